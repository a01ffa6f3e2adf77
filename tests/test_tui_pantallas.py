"""The TUI's screens, driven with Textual's Pilot and pinned as plain-text snapshots at a fixed
size: tablero, contratistas filtered, detalle, agenda, help and the command palette."""

from __future__ import annotations

import pytest

from bench.cycle import cycle_inputs
from repse.tui.app import RepseApp
from repse.tui.screens.detalle import DetalleScreen
from repse.tui.widgets.tabla_padron import TablaPadron

from .tui_apoyo import at, crear, esperar, pantalla, sincrono

N = 300  # enough for every path of the cycle, an impeded cancellation included


@pytest.fixture(scope="module")
def ciclo():
    return cycle_inputs(N)


@pytest.fixture
def exhortados(tmp_path, ciclo):
    """Padrón, round 1 and the exhorto of cycle 2026-1 (wed 28-01-2026 10:00)."""
    return crear(tmp_path, ciclo[0][:3])


@pytest.fixture
def completo(tmp_path, ciclo):
    """The whole cycle: rounds 2 and 3, cancellations, an impediment, daily updates."""
    return crear(tmp_path, ciclo[0])


def app_de(db, **kw) -> RepseApp:
    return RepseApp(db, ahora=lambda: at("2026-11-21T12:00:00"), usuario="prueba", **kw)


async def abierta(pilot) -> None:
    """The app open and its screen settled: a DataTable sizes its columns to its rows on a
    refresh after they arrive, later on a loaded machine; wait until three looks agree."""
    await pilot.app.listo.wait()
    vistas: list[str] = []
    for _ in range(250):
        await pilot.pause(0.02)
        vistas = [*vistas[-2:], pantalla(pilot.app)]
        if len(vistas) == 3 and len(set(vistas)) == 1:
            return
    raise AssertionError("la pantalla no se asentó en 5 s")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@sincrono
async def test_tablero(exhortados, snapshot, size):
    app = app_de(exhortados)
    async with app.run_test(size=size) as pilot:
        await abierta(pilot)
        text = pantalla(app)
        assert "Reloj mié 28-01-2026 10:00 · Ciclo 2026-1" in text
        assert "▶ 02-03 12:00" in text  # the next obligation: the round-2 lists, highlighted
        assert text == snapshot


@sincrono
async def test_contratistas_filtrados_por_estado_y_busqueda(exhortados, snapshot, ciclo):
    rfcs, flagged = ciclo[1], ciclo[2]
    app = app_de(exhortados)
    async with app.run_test(size=(80, 24)) as pilot:
        await abierta(pilot)
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert f"{N} de {N} contratistas" in pantalla(app)
        screen.query_one("#f-estado").value = "exhortado"
        await pilot.pause()
        assert f"{len(flagged)} de {N} contratistas · estado «Exhortado»" in pantalla(app)
        assert text_rfcs(app) == [rfcs[i] for i in flagged]
        await pilot.press("slash", *"contratista 1")
        await pilot.pause()
        assert text_rfcs(app) == [rfcs[i] for i in flagged if str(i).startswith("1")]
        assert pantalla(app) == snapshot
        await pilot.press("escape")  # the search box gives the focus back…
        await pilot.press("escape")  # …and the table's Escape clears every filter
        await pilot.pause()
        assert f"{N} de {N} contratistas\n" in pantalla(app)


def text_rfcs(app) -> list[str]:
    tabla = app.screen.query_one(TablaPadron)
    return [app.vista.rfc(k) for k in tabla.filas.tolist()]


@sincrono
async def test_detalle_de_un_cancelado(completo, snapshot, ciclo):
    rfcs, _flagged = ciclo[1], ciclo[2]
    app = app_de(completo)
    async with app.run_test(size=(100, 66)) as pilot:
        await abierta(pilot)
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("#f-estado").value = "cancelado"
        await pilot.pause()
        await pilot.press("enter")
        await esperar(pilot, lambda: isinstance(app.screen, DetalleScreen))
        await pilot.pause()
        text = pantalla(app)
        rfc = app.screen.rfc
        assert rfc in rfcs and "▶ Cancelado ◼" in text
        assert "Cancelación del registro" in text and "Mecanismo, numeral 6" in text
        assert text == snapshot
        await pilot.press("escape")
        await pilot.pause()
        assert "estado «Cancelado»" in pantalla(app)


@sincrono
async def test_detalle_de_un_exhortado_dice_su_plazo_y_lo_que_admite(exhortados, ciclo):
    rfcs, flagged = ciclo[1], ciclo[2]
    app = app_de(exhortados)
    async with app.run_test(size=(80, 40)) as pilot:
        await abierta(pilot)
        app.abrir_detalle(rfcs[flagged[0]])
        await pilot.pause()
        text = pantalla(app)
        assert rfcs[flagged[0]] in text
        assert "Plazo en curso: fin regularización, último día vie 27-02-2026" in text
        assert "Fin del plazo de regularización (reloj (vence un plazo))" in text
        assert "▶ Exhortado" in text and "✓ Señalado" in text


@sincrono
async def test_agenda(completo, snapshot):
    app = app_de(completo)
    async with app.run_test(size=(100, 30)) as pilot:
        await abierta(pilot)
        await pilot.press("a")
        await pilot.pause()
        text = pantalla(app)
        assert "Oficio 3.ª consulta" in text and "Actualización diaria" in text
        assert text == snapshot


@sincrono
async def test_ayuda_explica_el_ciclo_los_estados_y_las_teclas(exhortados):
    app = app_de(exhortados)
    async with app.run_test(size=(100, 40)) as pilot:
        await abierta(pilot)
        await pilot.press("f1")
        await pilot.pause()
        text = pantalla(app)
        assert "El ciclo REPSE en la terminal" in text
        assert "Avanzar el reloj al próximo vencimiento" in text
        await pilot.press("escape")
        await pilot.pause()
        assert "El ciclo REPSE" not in pantalla(app)


@sincrono
async def test_paleta_de_comandos_tiene_cada_accion(exhortados):
    app = app_de(exhortados)
    async with app.run_test(size=(100, 30)) as pilot:
        await abierta(pilot)
        titulos = [c.title for c in app.get_system_commands(app.screen)]
        for titulo in ("Avanzar el reloj al próximo vencimiento", "Importar un archivo",
                       "Exportar listados", "Ver un momento pasado", "Registrar: anulación",
                       "Registrar: criterio del GT", "Cambiar entre tema claro y oscuro"):
            assert any(t.startswith(titulo) for t in titulos), titulo
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"avanzar")
        await pilot.pause(0.3)
        assert "Avanzar el reloj al próximo vencimiento" in pantalla(app)


@sincrono
async def test_tema_claro_y_oscuro(exhortados):
    app = app_de(exhortados)
    async with app.run_test(size=(80, 24)) as pilot:
        await abierta(pilot)
        assert app.theme == "textual-dark"
        await pilot.press("f2")
        assert app.theme == "textual-light"
        await pilot.press("f2")
        assert app.theme == "textual-dark"


# --- help, agenda and padrón pinned at 80×24 and 120×40 ------------------------------------
@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@sincrono
async def test_ayuda_agenda_y_padron_filtrado(exhortados, snapshot, size):
    app = app_de(exhortados)
    async with app.run_test(size=size) as pilot:
        await abierta(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert pantalla(app) == snapshot(name="ayuda-inicio")
        await pilot.press("end")
        await pilot.pause()
        assert pantalla(app) == snapshot(name="ayuda-final")
        await pilot.press("escape", "a")
        await abierta(pilot)
        text = pantalla(app)
        assert "Contratistas" in text or "Cuántos" in text  # the count column in view
        assert text == snapshot(name="agenda")
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("#f-estado").value = "por_iniciar_cancelacion"
        await abierta(pilot)
        text = pantalla(app)
        assert "Por iniciar cancelación" in text  # on one line: the filter row keeps its height
        assert text == snapshot(name="padron")
