"""The import and act dialogs make the consequence visible before it happens (issue 13, point
1): every field labelled, toggles that show their state by shape, defaults from the state, an
IMSS list declared complete or partial, warnings, and a preview computed by the engine whose
numbers are what the input then does. Driven from the keyboard with Pilot."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest

from bench.cycle import cycle_inputs
from repse.core.api import Repositorio
from repse.core.files import importar
from repse.tui.app import RepseApp
from repse.tui.screens.dialogos.acto import Acto
from repse.tui.screens.dialogos.confirmar import Confirmar
from repse.tui.screens.dialogos.importar import Importar
from repse.tui.screens.dialogos.resultado import Resultado

from .test_tui_ciclo import AHORA, CICLO, archivos, conteo, dialogo, texto
from .test_tui_pantallas import abierta
from .tui_apoyo import at, crear, esperar, pantalla, quieta, sincrono


@pytest.fixture(scope="module")
def ciclo():
    return cycle_inputs(300)


@pytest.fixture
def padron(tmp_path, monkeypatch):
    """The 40-contractor padrón of ``archivos`` recorded on D0 at 09:00 (input 2), the files
    beside the store; the working folder is theirs, so the dialog names them short."""
    files = archivos(tmp_path)
    db = crear(tmp_path, ())
    repo = Repositorio.abrir(db)
    assert importar(repo, "padron", files["padron"], ciclo=CICLO,
                    at=at("2026-01-26T09:00")).aceptada
    repo.cerrar()
    monkeypatch.chdir(tmp_path)
    return db, files


def app_de(db, datos=None) -> RepseApp:
    return RepseApp(db, ahora=lambda: AHORA, usuario="prueba", datos=datos)


async def asentada(pilot, veces: int = 8) -> str:
    """The screen once ``veces`` looks in a row agree: the tablero behind a dialog sizes its
    tables' columns on a refresh after their rows arrive, later on a loaded machine."""
    vistas: list[str] = []
    for _ in range(500):
        await pilot.pause(0.02)
        vistas = [*vistas[-(veces - 1):], pantalla(pilot.app)]
        if len(vistas) == veces and len(set(vistas)) == 1:
            return vistas[0]
    raise AssertionError("la pantalla no se asentó en 10 s")


@contextlib.asynccontextmanager
async def importando(padron):
    """The app on the ``padron`` store at 120x40 with the import dialog open."""
    db, files = padron
    app = app_de(db, datos=files["r1"].parent)
    async with app.run_test(size=(120, 40)) as pilot:
        yield app, pilot, await importar_dialogo(pilot)


async def importar_dialogo(pilot) -> Importar:
    await abierta(pilot)
    await asentada(pilot)
    await pilot.press("i")
    return await dialogo(pilot, Importar)


def numeros(patron: str, en: str) -> tuple[int, ...]:
    """The counts ``patron`` finds in ``en`` (thousands separated by commas)."""
    found = re.search(patron, en)
    assert found, f"«{patron}» no aparece en:\n{en}"
    return tuple(int(g.replace(",", "")) for g in found.groups())


@sincrono
async def test_the_preview_of_an_import_is_what_the_input_then_does(padron):
    async with importando(padron) as (app, pilot, d):
        # Proposed from the state: the round-1 lists are what the contractors await, and a
        # round's list is complete (IMSS deposits only the negative lists).
        assert d.query_one("#tipo").value == "opiniones"
        assert d.query_one("#ronda").value == "1"
        assert d.query_one("#completo").value and not d.query_one("#parcial").value
        d.query_one("#archivo").value = "r1.csv"
        d.query_one("#at").value = "2026-01-26 17:00"
        await pilot.press("ctrl+s")
        c = await dialogo(pilot, Confirmar)
        for linea in ("Tipo: opiniones del IMSS, ronda 1",
                      "Lista completa: quien no figura queda positiva",
                      "Fecha efectiva: lun 26-01-2026 17:00", "Emite: IMSS · registra: prueba"):
            assert linea in c.texto
        aceptadas, rechazadas = numeros(r"ACEPTADA: ([\d,]+) filas aceptadas, ([\d,]+) filas "
                                        r"rechazadas", c.texto)
        negativa, sin_opinion, positiva = numeros(
            r"Opiniones: ([\d,]+) negativa, ([\d,]+) sin opinión; pasan a positiva: ([\d,]+)",
            c.texto)
        eventos = c.texto.split("Transiciones por evento:\n")[1].splitlines()
        assert app.presente.ancla.numero == 2  # tried, not recorded
        await pilot.press("enter")
        r = await dialogo(pilot, Resultado)
        await pilot.press("escape")
        await esperar(pilot, lambda: quieta(app))
        # What the preview said is what the input did.
        assert f"{aceptadas} filas aceptadas, {rechazadas} rechazadas" in texto(r)
        assert [f"  {e}" for e in r.lineas if "(2026-1)" in e] == eventos
        assert (negativa + sin_opinion, positiva) == (8, 32)
        assert conteo(app, "senalado") == negativa + sin_opinion
        assert conteo(app, "al_corriente") == positiva


@sincrono
async def test_fields_are_labelled_and_toggles_show_their_state_by_shape(padron):
    async with importando(padron) as (app, pilot, d):
        text = pantalla(app)
        for etiqueta in ("Tipo de archivo", "Archivo", "Ciclo", "Fecha efectiva", "Ronda",
                         "La lista es", "Hoja (XLSX)", "Emite: IMSS"):
            assert etiqueta in text, etiqueta
        assert "▐●▌ Lista completa: quien no figura queda positiva" in text
        assert "▐ ▌ Lista parcial: solo cambian quienes figuran" in text
        d.query_one("#parcial").focus()
        await pilot.press("space")
        await pilot.pause()
        assert "▐ ▌ Lista completa" in pantalla(app) and "▐●▌ Lista parcial" in pantalla(app)
        assert not d.query_one("#completo").value
        d.query_one("#at").value = "2026-01-26 08:00"  # before the clock: «Retroactivo»
        await pilot.pause()
        assert "▐ ▌ Retroactivo" in pantalla(app)
        d.query_one("#retroactivo").focus()
        await pilot.press("space")
        await pilot.pause()
        assert "▐X▌ Retroactivo" in pantalla(app)
        d.query_one("#tipo").value = "cancelacion_impedida"
        await pilot.pause()
        text = pantalla(app)
        assert "Motivo" in text and "Emite: STPS" in text and "La lista es" not in text


@sincrono
async def test_warnings_name_the_earlier_input_and_the_step_of_the_plan(padron):
    db, files = padron
    repo = Repositorio.abrir(db)
    assert importar(repo, "opiniones", files["r1"], ciclo=CICLO, at=at("2026-01-26T17:00"),
                    ronda=1, completo=True).numero == 3
    repo.cerrar()
    async with importando(padron) as (app, pilot, d):
        d.query_one("#tipo").value = "opiniones"
        d.query_one("#archivo").value = "r1.csv"  # round 1's file again, as round 2
        d.query_one("#ronda").value = "2"
        d.query_one("#parcial").value = True
        d.query_one("#at").value = "2026-04-20 11:00"
        await pilot.press("ctrl+s")
        c = await dialogo(pilot, Confirmar)
        assert "Archivo ya registrado: las mismas filas son la entrada 3 (opiniones del IMSS " \
               "de «r1.csv», lun 26-01-2026 17:00)" in c.texto
        # No exhorto yet: the plan assumes it on the last day of its window (3 hábil days
        # from Mon 26-01: Thu 29-01); its 30 natural days end Sat 28-02, moved to Mon 02-03;
        # D2 is the next hábil day, Tue 03-03-2026: 28 + 20 = 48 days before Mon 20-04.
        assert "Fecha lejos del plan del ciclo 2026-1: la segunda consulta (D2) es el mar " \
               "03-03-2026; esta entrada se fecha el lun 20-04-2026, 48 días naturales " \
               "después" in c.texto
        assert "Lista parcial: solo cambian quienes figuran" in c.texto
        await pilot.press("escape")
        await esperar(pilot, lambda: quieta(app) and not isinstance(app.screen, Confirmar))
    repo = Repositorio.abrir(db)
    assert repo.store.last()[0] == 3  # nothing recorded
    repo.cerrar()


@sincrono
async def test_the_round_awaited_is_proposed(tmp_path, ciclo):
    db = crear(tmp_path, ciclo[0][:4])  # the clock at D2: round 2 is awaited
    app = app_de(db, datos=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        d = await importar_dialogo(pilot)
        assert (d.query_one("#tipo").value, d.query_one("#ronda").value) == ("opiniones", "2")
        assert d.query_one("#completo").value


@sincrono
async def test_a_daily_update_must_be_declared_complete_or_partial(tmp_path, ciclo):
    db = crear(tmp_path, ciclo[0][:9])  # a cancellation impeded: daily updates are owed
    (tmp_path / "diaria.csv").write_text(f"rfc,opinion\n{ciclo[1][0]},positiva\n")
    app = app_de(db, datos=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        d = await importar_dialogo(pilot)
        assert (d.query_one("#tipo").value, d.query_one("#ronda").value) == ("opiniones",
                                                                             "diaria")
        assert not d.query_one("#completo").value and not d.query_one("#parcial").value
        d.query_one("#archivo").value = str(tmp_path / "diaria.csv")
        d.query_one("#at").value = "2026-03-11 11:00"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "diga si la lista del IMSS es completa" in str(d.query_one("#error").render())
        assert isinstance(app.screen, Importar)


@sincrono
async def test_the_act_proposed_is_the_one_the_filtered_contractors_can_receive(tmp_path,
                                                                                 ciclo):
    db = crear(tmp_path, ciclo[0][:5])  # round 2 recorded: some are «Por iniciar cancelación»
    app = app_de(db, datos=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await abierta(pilot)
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("#f-estado").value = "por_iniciar_cancelacion"
        await pilot.pause()
        await pilot.press("x")
        d = await dialogo(pilot, Acto)
        assert d.query_one("#tipo").value == "inicio_cancelacion"
        text = pantalla(app)
        for etiqueta in ("Acto", "Para", "RFC", "Ciclo", "Fecha efectiva", "Emite: STPS"):
            assert etiqueta in text, etiqueta
        assert "▐●▌ El contratista seleccionado" in text and "▐ ▌ Los 18 filtrados" in text
        d.query_one("#filtrados").value = True
        await pilot.press("ctrl+s")
        c = await dialogo(pilot, Confirmar)
        transiciones, = numeros(r"Inicio del procedimiento de cancelación \(2026-1\): ([\d,]+)",
                                c.texto)
        assert transiciones == 18
        await pilot.press("enter")
        r = await dialogo(pilot, Resultado)
        assert "Inicio del procedimiento de cancelación (2026-1): 18" in texto(r)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@sincrono
async def test_the_import_dialog_and_its_confirmation(padron, snapshot, size):
    db, _ = padron
    app = app_de(db, datos=Path("."))  # the working folder: the files' (a path that stays)
    async with app.run_test(size=size) as pilot:
        d = await importar_dialogo(pilot)
        assert await asentada(pilot) == snapshot(name="dialogo")
        d.query_one("#archivo").value = "r1.csv"
        d.query_one("#at").value = "2026-01-26 17:00"
        await pilot.press("ctrl+s")
        await dialogo(pilot, Confirmar)
        assert await asentada(pilot) == snapshot(name="confirmacion")
