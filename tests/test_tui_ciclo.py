"""An operator walks a whole cycle in the TUI with Pilot: import the padrón, load each round,
record the exhorto and the cancellations, step the clock, look back, export. Also: an operation
store never passes the real present (a simulation copy does), refusals show their reasons."""

from __future__ import annotations

import csv
from pathlib import Path

from bench.cycle import cycle_inputs, rfcs_for
from repse.core.api import Repositorio
from repse.core.demo import generar_demo
from repse.tui.app import RepseApp
from repse.tui.screens.dialogos.acto import Acto
from repse.tui.screens.dialogos.confirmar import Confirmar
from repse.tui.screens.dialogos.exportar import Exportar
from repse.tui.screens.dialogos.importar import Importar
from repse.tui.screens.dialogos.momento import PedirMomento
from repse.tui.screens.dialogos.resultado import Resultado

from .tui_apoyo import at, crear, esperar, pantalla, quieta, sincrono

CICLO = "2026-1"
AHORA = at("2026-11-21T12:00:00")


def escribir(path: Path, header: list[str], rows) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def archivos(tmp: Path, n: int = 40) -> dict[str, Path]:
    """A small cycle as the institutions would deliver it (public field names)."""
    rfcs = rfcs_for(n)
    flagged = rfcs[::5]  # 8 listed at round 1
    still2, still3 = flagged[::2], flagged[::2][:3]  # 4 at round 2, 3 at round 3
    return {
        "padron": escribir(tmp / "padron.csv", ["rfc", "razon_social", "folio", "fecha_registro"],
                           [(r, f"Empresa {k} S.A.", f"F-{k}", "2024-06-01")
                            for k, r in enumerate(rfcs)]),
        "r1": escribir(tmp / "r1.csv", ["rfc", "opinion"],
                       [(r, "negativa" if k % 2 else "sin_opinion")
                        for k, r in enumerate(flagged)]),
        "r2": escribir(tmp / "r2.csv", ["rfc", "opinion"], [(r, "negativa") for r in still2]),
        "r3": escribir(tmp / "r3.csv", ["rfc", "opinion"], [(r, "negativa") for r in still3]),
        "diaria": escribir(tmp / "diaria.csv", ["rfc", "opinion"], [(still3[0], "positiva")]),
    }


async def abrir(pilot) -> None:
    await pilot.app.listo.wait()
    await pilot.pause()


async def dialogo(pilot, cls, segundos: float = 20.0):
    await esperar(pilot, lambda: isinstance(pilot.app.screen, cls), segundos)
    await pilot.pause()
    return pilot.app.screen


async def confirmar_y_leer(pilot) -> Resultado:
    await pilot.press("ctrl+s")
    await dialogo(pilot, Confirmar)
    await pilot.press("enter")
    resultado = await dialogo(pilot, Resultado)
    return resultado


async def cerrar(pilot) -> None:
    await pilot.press("escape")
    await esperar(pilot, lambda: not isinstance(pilot.app.screen, Resultado))
    await esperar(pilot, lambda: quieta(pilot.app))


async def importar(pilot, tipo: str, archivo: Path, cuando: str, ronda: str | None = None,
                   completo: bool = False) -> Resultado:
    await pilot.press("i")
    d = await dialogo(pilot, Importar)
    d.query_one("#tipo").value = tipo
    d.query_one("#archivo").value = str(archivo)
    d.query_one("#ciclo").value = CICLO
    d.query_one("#at").value = cuando
    if ronda:
        d.query_one("#ronda").value = ronda
    if tipo == "opiniones":  # a list is declared complete or partial, never by default
        d.query_one("#completo" if completo else "#parcial").value = True
    r = await confirmar_y_leer(pilot)
    await cerrar(pilot)
    return r


async def acto(pilot, tipo: str, estado: str, cuando: str, *, quien: str = "filtrados",
               texto: str = "") -> Resultado:
    """Filter the padrón by ``estado`` and record ``tipo`` for the filtered (or selected)."""
    await pilot.press("c")
    await pilot.pause()
    pilot.app.screen.query_one("#f-estado").value = estado
    await pilot.pause()
    await pilot.press("x")
    d = await dialogo(pilot, Acto)
    d.query_one("#tipo").value = tipo
    d.query_one(f"#{quien}").value = True
    d.query_one("#at").value = cuando
    d.query_one("#texto").value = texto
    r = await confirmar_y_leer(pilot)
    await cerrar(pilot)
    return r


def conteo(app, estado: str) -> int:
    """Procedures of the cycle in ``estado``, in the state the app shows."""
    return app.vista.conteos(CICLO)[estado]


def texto(r: Resultado) -> str:
    return "\n".join([r.titulo, *r.lineas])


async def avanzar_hasta(pilot, estado: str, maximo: int = 8) -> None:
    """Press «n» (next deadline) until someone reaches ``estado``."""
    for _ in range(maximo):
        if conteo(pilot.app, estado):
            return
        reloj = pilot.app.vista.reloj
        await pilot.press("n")
        await esperar(pilot, lambda r=reloj: pilot.app.vista.reloj > r)
        await esperar(pilot, lambda: quieta(pilot.app))
    raise AssertionError(f"nadie llegó a «{estado}»")


@sincrono
async def test_un_ciclo_completo_en_la_tui(tmp_path):
    files = archivos(tmp_path)
    db = crear(tmp_path, ())
    app = RepseApp(db, ahora=lambda: AHORA, usuario="prueba")
    async with app.run_test(size=(100, 32)) as pilot:
        await abrir(pilot)
        r = await importar(pilot, "padron", files["padron"], "2026-01-26 09:00")
        assert "40 filas aceptadas, 0 rechazadas" in texto(r)
        r = await importar(pilot, "opiniones", files["r1"], "2026-01-26 17:00", "1", True)
        # 8 rows in the file; the 32 absent from the complete list become positiva.
        assert "8 filas aceptadas" in texto(r) and conteo(app, "senalado") == 8

        r = await acto(pilot, "exhorto", "senalado", "2026-01-28 10:00")
        assert "Exhorto notificado (2026-1): 8" in texto(r)
        assert conteo(app, "exhortado") == 8

        await pilot.press("t")
        await avanzar_hasta(pilot, "segunda_consulta")
        await pilot.pause()
        assert "Fin del plazo de regularización (2026-1): 8" in pantalla(app)
        assert "Reloj sáb 28-02-2026 00:00" in pantalla(app)

        r = await importar(pilot, "opiniones", files["r2"], "2026-03-02 11:00", "2", True)
        assert conteo(app, "regularizado") == 4 and conteo(app, "por_iniciar_cancelacion") == 4
        r = await acto(pilot, "inicio_cancelacion", "por_iniciar_cancelacion",
                       "2026-03-02 13:00")
        assert conteo(app, "en_cancelacion") == 4

        await pilot.press("g")  # to a chosen date: the 5 hábil days end on 09-03
        d = await dialogo(pilot, PedirMomento)
        d.query_one("#momento").value = "2026-03-10 00:00"
        await pilot.press("enter")
        await esperar(pilot, lambda: conteo(app, "tercera_consulta") == 4)

        r = await importar(pilot, "opiniones", files["r3"], "2026-03-10 11:00", "3", True)
        assert conteo(app, "por_cancelar") == 3
        r = await acto(pilot, "cancelacion_impedida", "por_cancelar", "2026-03-10 15:00",
                       quien="seleccionado", texto="amparo en trámite")
        assert conteo(app, "cancelacion_suspendida") == 1
        r = await acto(pilot, "cancelacion", "por_cancelar", "2026-03-10 16:00")
        assert "Cancelación del registro (2026-1): 2" in texto(r)
        r = await importar(pilot, "opiniones", files["diaria"], "2026-03-11 11:00", "diaria")
        assert conteo(app, "cancelacion_suspendida") == 0 and conteo(app, "regularizado") == 6

        reloj = app.vista.reloj
        await pilot.press("d")  # the next hábil day
        await esperar(pilot, lambda: app.vista.reloj > reloj)
        assert "Reloj jue 12-03-2026 00:00" in pantalla(app)

        # Look at a past instant, read-only, and come back.
        await pilot.press("m")
        d = await dialogo(pilot, PedirMomento)
        d.query_one("#momento").value = "2026-02-01 12:00"
        await pilot.press("enter")
        await esperar(pilot, lambda: app.pasado is not None)
        await pilot.pause()
        assert "PASADO (solo lectura) · Reloj dom 01-02-2026 12:00" in pantalla(app)
        assert conteo(app, "exhortado") == 8
        await pilot.press("n")  # stepping is disabled in the past
        await pilot.pause()
        assert app.pasado is not None and not app.ocupado
        await pilot.press("m")
        await pilot.pause()
        assert "Reloj jue 12-03-2026 00:00" in pantalla(app) and conteo(app, "cancelado") == 2

        await pilot.press("e")
        d = await dialogo(pilot, Exportar)
        d.query_one("#destino").value = str(tmp_path / "salidas")
        r = await confirmar_y_leer(pilot)
        assert r.titulo.startswith("Exportados") and (tmp_path / "salidas").is_dir()
        await cerrar(pilot)

    repo = Repositorio.abrir(db)  # everything went to the store
    counts = repo.vista().conteos(CICLO)
    repo.cerrar()
    assert counts["al_corriente"] == 32 and counts["regularizado"] == 6
    assert counts["cancelado"] == 2 and sum(counts.values()) == 40


@sincrono
async def test_un_acto_que_no_procede_muestra_el_rechazo_y_su_motivo(tmp_path):
    entradas, _, _ = cycle_inputs(50)
    db = crear(tmp_path, entradas[:2])
    app = RepseApp(db, ahora=lambda: AHORA, usuario="prueba")
    async with app.run_test(size=(100, 32)) as pilot:
        await abrir(pilot)
        r = await acto(pilot, "exhorto", "al_corriente", "2026-01-27 10:00", quien="seleccionado")
        # Its only row does not apply: the act is refused whole, the row's reason shown.
        assert "RECHAZADA" in texto(r) and "su única fila no procede" in texto(r)
        [rechazo] = r.rechazos
        assert rechazo.motivo == "el expediente del ciclo 2026-1 ya concluyó en «Al corriente»"


@sincrono
async def test_un_almacen_de_operacion_no_pasa_del_presente_salvo_en_una_copia(tmp_path):
    entradas, _, flagged = cycle_inputs(50)
    db = crear(tmp_path, entradas[:3], simulacion=False)
    app = RepseApp(db, ahora=lambda: at("2026-02-10T12:00:00"), usuario="prueba")
    async with app.run_test(size=(100, 32)) as pilot:
        await abrir(pilot)
        assert "almacén de operación" in pantalla(app)
        await pilot.press("g")
        d = await dialogo(pilot, PedirMomento)
        d.query_one("#momento").value = "2026-03-03 00:00"
        await pilot.press("enter")
        await dialogo(pilot, Confirmar)
        assert "no puede pasar del presente" in pantalla(app)
        await pilot.press("enter")  # «Ensayar en una copia»
        await esperar(pilot, lambda: app.es_copia and conteo(app, "segunda_consulta") > 0)
        await pilot.pause()
        assert "COPIA DE SIMULACIÓN — nada se guarda en t.db" in pantalla(app)
        await pilot.press("s")  # leave the copy
        await dialogo(pilot, Confirmar)
        await pilot.press("enter")
        await esperar(pilot, lambda: not app.es_copia)
        assert conteo(app, "exhortado") == len(flagged)
    repo = Repositorio.abrir(db)
    assert repo.vista().reloj == at("2026-01-28T10:00:00")  # untouched
    repo.cerrar()


@sincrono
async def test_el_ciclo_del_demo_con_los_archivos_reales(tmp_path):
    generar_demo(300, 7, tmp_path)
    db = crear(tmp_path, ())
    app = RepseApp(db, ahora=lambda: AHORA, usuario="prueba", datos=tmp_path)
    pasos = [("padron", "padron.csv", "2026-01-26 09:00", None, False),
             ("opiniones", "opiniones_ronda1.csv", "2026-01-26 17:00", "1", True),
             ("exhorto", "exhorto.csv", "2026-01-28 10:00", None, False),
             ("opiniones", "opiniones_ronda2", "2026-03-02 11:00", "2", True),
             ("inicio_cancelacion", "inicio_cancelacion.csv", "2026-03-02 13:00", None, False),
             ("opiniones", "opiniones_ronda3.csv", "2026-03-10 11:00", "3", True),
             ("cancelacion", "cancelacion.csv", "2026-03-10 15:00", None, False)]
    async with app.run_test(size=(100, 32)) as pilot:
        await abrir(pilot)
        for tipo, nombre, cuando, ronda, completo in pasos:
            [path] = sorted(tmp_path.glob(nombre + ("*" if "." not in nombre else "")))[:1]
            r = await importar(pilot, tipo, path, cuando, ronda, completo)
            assert "aceptada" in r.titulo, texto(r)
        assert conteo(app, "cancelado") > 0
        # The proposed folder gets one subfolder per round: exporting round 3 must not
        # replace the letters of round 1 exported to the same proposal before.
        app.salidas = tmp_path / "salidas"
        ronda = app.vista.ronda_en_curso(CICLO)
        await pilot.press("e")
        await dialogo(pilot, Exportar)
        r = await confirmar_y_leer(pilot)
        assert r.titulo.startswith("Exportados"), texto(r)
        assert (tmp_path / "salidas" / CICLO / f"ronda{ronda}" / "manifiesto.json").is_file()


@sincrono
async def test_the_import_dialog_works_from_the_keyboard_alone(tmp_path):
    """What an operator at a terminal does: no field is set by code, every value is typed."""
    files = archivos(tmp_path)
    db = crear(tmp_path, ())
    app = RepseApp(db, ahora=lambda: AHORA, usuario="prueba", datos=tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await abrir(pilot)
        await pilot.press("i")
        d = await dialogo(pilot, Importar)
        assert app.focused is d.query_one("#tipo")  # the first field, ready to type
        await pilot.press("tab")  # the type stays «padrón»; on to the file
        assert app.focused is d.query_one("#archivo")
        # Tab selects a field's text, so typing replaces it.
        await pilot.press(*str(files["padron"]))
        await pilot.press("tab", *CICLO, "tab", *"2026-01-26 09:00")
        assert d.query_one("#archivo").value == str(files["padron"])
        r = await confirmar_y_leer(pilot)
        assert "40 filas aceptadas, 0 rechazadas" in texto(r)
        await cerrar(pilot)
        assert conteo(app, "en_consulta") == 40
        # A bare file name, as LEEME writes them, typed over the proposed folder: read there.
        await pilot.press("i")
        d = await dialogo(pilot, Importar)
        await pilot.press("tab", *files["r1"].name, "tab", "tab", *"2026-01-26 17:00")
        r = await confirmar_y_leer(pilot)
        assert "aceptada" in r.titulo, texto(r)
