"""The input log as screens (issue 13, point 2), driven from the keyboard with Pilot: «Entradas»
lists every input with its number and counts, an annulment chosen there is tried first and then
restores the states; «Rechazos» says which input and file each refusal belongs to, filters and
exports. Screens pinned at 80×24 and 120×40."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bench.cycle import cycle_inputs
from repse.core import inputs as inp
from repse.core.api import Repositorio
from repse.core.files import importar
from repse.core.vista import Vista
from repse.tui.app import RepseApp
from repse.tui.screens.dialogos.anular import Anular
from repse.tui.screens.dialogos.confirmar import Confirmar
from repse.tui.screens.dialogos.resultado import Resultado
from repse.tui.screens.entradas import EntradaScreen, EntradasScreen, RechazosScreen
from repse.tui.widgets.tabla_virtual import TablaVirtual

from .tui_apoyo import at, esperar, pantalla, quieta, sincrono

N = 60


@pytest.fixture
def registro(tmp_path):
    """1 the calendar, 2 the padrón of 2026-1, 3 round 1 from «ronda1.csv» (its flagged
    contractors, negativa, and two bad rows), 4 an exhorto typed for a contractor not flagged:
    refused whole."""
    entradas, rfcs, flagged = cycle_inputs(N)
    db = tmp_path / "t.db"
    repo = Repositorio.crear(db, simulacion=True)  # the calendar bundled: no file of tmp_path
    assert repo.registrar(entradas[0]).aceptada
    senalados = [rfcs[i] for i in flagged]
    (tmp_path / "ronda1.csv").write_text(
        "rfc,opinion\n" + "".join(f"{r},negativa\n" for r in senalados)
        + "ABC123,negativa\nXAXX010101000,sin_opinion\n", encoding="utf-8")
    r = importar(repo, "opiniones", tmp_path / "ronda1.csv", ciclo="2026-1",
                 at=at("2026-01-26T17:00"), actor="imss", ronda=1)
    assert r.aceptada and len(r.rechazos) == 2
    libre = next(r for k, r in enumerate(rfcs) if k not in flagged)
    assert not repo.registrar(inp.Exhorto(at=at("2026-01-28T10:00"), actor="gt",
                                          ciclo="2026-1", rfcs=(libre,), usuario="ana")).aceptada
    repo.cerrar()
    return db, senalados


def app_de(db, tmp_path) -> RepseApp:
    app = RepseApp(db, ahora=lambda: at("2026-11-21T12:00:00"), usuario="prueba")
    app.salidas = tmp_path / "salidas"
    return app


async def ir(pilot, tecla: str, cls) -> None:
    """Once the store is open, ``tecla`` brings ``cls`` into view."""
    await pilot.app.listo.wait()
    await pilot.press(tecla)
    await en(pilot, cls)


async def en(pilot, cls) -> None:
    """``cls`` in view with what it read from the store drawn."""
    app = pilot.app
    await esperar(pilot, lambda: isinstance(app.screen, cls) and quieta(app)
                  and app.screen._leido is app.presente)
    await pilot.pause()


def filas(app, selector: str = "TablaVirtual") -> list[tuple[str, ...]]:
    return [tuple(f) for f in app.screen.query_one(selector, TablaVirtual).filas]


def estado(app, rfc: str) -> str | None:
    return app.presente.estado(rfc).estado


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@sincrono
async def test_entradas_su_detalle_y_los_rechazos(registro, tmp_path, snapshot, size):
    db, _ = registro
    app = app_de(db, tmp_path)
    async with app.run_test(size=size) as pilot:
        await ir(pilot, "l", EntradasScreen)
        text = pantalla(app)
        assert "4 de 4 entradas · 0 anuladas · 1 rechazada" in text
        assert [(f[0], f[1], f[6], f[7], f[8]) for f in filas(app)] == [
            ("1", "Calendario vigente", "1", "0", "aplicada"),
            ("2", "Padrón", "60", "0", "aplicada"),
            ("3", "Opiniones del IMSS", "7", "2", "aplicada"),
            ("4", "Exhorto", "0", "1", "RECHAZADA")]
        assert text == snapshot(name="entradas")

        await pilot.press("up", "enter")  # round 1: its rows and its refusals
        await en(pilot, EntradaScreen)
        text = pantalla(app)
        assert "Entrada 3 · Opiniones del IMSS" in text and "Ronda 1, lista parcial" in text
        assert len(filas(app, "#filas-entrada")) == 7
        # The reason wraps instead of being cut.
        assert "física)" in text
        assert text == snapshot(name="detalle")

        await pilot.press("r")
        await en(pilot, RechazosScreen)
        text = pantalla(app)
        assert "4 de 4 rechazos" in text and "RFC genérico: nunca es un contratista" in text
        assert text == snapshot(name="rechazos")


@sincrono
async def test_una_anulacion_elegida_en_entradas_restaura_los_estados(registro, tmp_path):
    db, senalados = registro
    rfc = senalados[0]
    repo = Repositorio.abrir(db)  # before round 1, the padrón alone
    antes = Vista(repo.en_instante(at("2026-01-26T12:00")), 0, congelado=True).estado(rfc)
    repo.cerrar()
    assert antes is not None and antes.estado == "en_consulta"
    app = app_de(db, tmp_path)
    avisos: list[str] = []
    app.notify = lambda texto, **_: avisos.append(texto)  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await ir(pilot, "l", EntradasScreen)
        assert estado(app, rfc) == "senalado"  # after round 1
        await pilot.press("u")  # input 4, refused whole: nothing to annul, said at once
        await pilot.pause()
        assert avisos == ["La entrada 4 fue rechazada: no hay nada que anular."]
        assert isinstance(app.screen, EntradasScreen)
        await pilot.press("up", "u")  # input 3, round 1
        await esperar(pilot, lambda: isinstance(app.screen, Anular))
        await pilot.press("ctrl+s")  # no reason: said, nothing tried
        assert "escriba el motivo" in str(app.screen.query_one("#error").render())
        await pilot.press(*"archivo de otra ronda", "ctrl+s")
        await esperar(pilot, lambda: isinstance(app.screen, Confirmar))
        texto = app.screen.texto
        # Tried on the store, not recorded: every flagged contractor goes back.
        assert (f"ENSAYO (aún no se registra): el estado se recalcula sin esta entrada; "
                f"{len(senalados)} contratistas cambian de estado:\n"
                f"  Señalado → En consulta: {len(senalados)}") in texto
        assert app.presente.ancla.numero == 4 and estado(app, rfc) == "senalado"
        await pilot.press("enter")
        await esperar(pilot, lambda: isinstance(app.screen, Resultado))
        resultado = "\n".join(app.screen.lineas)
        assert f"Cambios por recálculo: {len(senalados)} contratistas" in resultado
        assert all(estado(app, r) == antes.estado for r in senalados)
        await pilot.press("escape")
        await en(pilot, EntradasScreen)
        assert [(f[0], f[8]) for f in filas(app)][2:] == [
            ("3", "anulada por la 5"), ("4", "RECHAZADA"), ("5", "aplicada")]
        assert filas(app)[4][1] == "Anulación de una entrada"
    repo = Repositorio.abrir(db)  # recorded in the store
    assert repo.vista().estado(rfc).estado == "en_consulta"
    assert [e.anulada for e in repo.entradas()] == [None, None, 5, None, None]
    repo.cerrar()


@sincrono
async def test_los_rechazos_se_filtran_por_entrada_y_texto_y_se_exportan(registro, tmp_path):
    db, _ = registro
    app = app_de(db, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ir(pilot, "r", RechazosScreen)
        assert [f[0] for f in filas(app)] == ["3", "3", "4", "4"]
        app.screen.query_one("#f-entrada").value = 3
        await pilot.pause()
        assert [(f[1], f[3], f[4]) for f in filas(app)] == [
            ("ronda1.csv", "9", "ABC123"), ("ronda1.csv", "10", "XAXX010101000")]
        await pilot.press("slash", *"generico")  # without its accent
        await pilot.pause()
        assert [f[4] for f in filas(app)] == ["XAXX010101000"]
        await pilot.press("enter", "e")
        await esperar(pilot, lambda: isinstance(app.screen, Resultado))
        assert "  rechazos-entrada-3.csv" in app.screen.lineas
    archivo = tmp_path / "salidas" / "rechazos" / "rechazos-entrada-3.csv"
    assert leer(archivo) == [
        ["entrada", "tipo", "archivo", "fecha", "fila", "rfc", "motivo"],
        ["3", "opiniones del IMSS", "ronda1.csv", "2026-01-26 17:00", "10", "XAXX010101000",
         "RFC genérico: nunca es un contratista"]]
    assert [p.name for p in archivo.parent.iterdir()] == ["rechazos-entrada-3.csv"]


@sincrono
async def test_una_entrada_se_exporta_con_sus_filas_y_sus_rechazos(registro, tmp_path):
    db, senalados = registro
    app = app_de(db, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ir(pilot, "l", EntradasScreen)
        await pilot.press("slash", *"ronda1", "enter", "enter")  # search by file name
        await en(pilot, EntradaScreen)
        await pilot.press("e")
        await esperar(pilot, lambda: isinstance(app.screen, Resultado))
    carpeta = tmp_path / "salidas" / "entradas"
    assert leer(carpeta / "entrada-3-filas.csv") == [["fila", "rfc", "opinion"]] + [
        [str(k), r, "negativa"] for k, r in enumerate(senalados, 2)]
    assert [f[4:6] for f in leer(carpeta / "entrada-3-rechazos.csv")] == [
        ["fila", "rfc"], ["9", "ABC123"], ["10", "XAXX010101000"]]


def leer(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


@sincrono
async def test_la_paleta_lleva_la_anulacion_a_entradas(registro, tmp_path):
    db, _ = registro
    app = app_de(db, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.listo.wait()
        [comando] = [c for c in app.get_system_commands(app.screen)
                     if c.title == "Registrar: anulación de una entrada"]
        comando.callback()
        await en(pilot, EntradasScreen)
        assert "Anular" in pantalla(app)
