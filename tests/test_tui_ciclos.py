"""The padrón screen with two cycles: a contractor whose 2026-1 procedure is still open while
2026-2 shows its headline carries a mark, and a filter finds such contractors."""

from __future__ import annotations

from repse.tui.app import RepseApp
from repse.tui.screens.detalle import DetalleScreen
from repse.tui.widgets.tabla_padron import TablaPadron

from .test_ciclos import entradas_dos_ciclos, politica_apagada
from .test_engine import B, C
from .tui_apoyo import at, crear, esperar, pantalla, sincrono

LEYENDA = "* expediente abierto de un ciclo anterior"


@sincrono
async def test_the_padron_marks_and_filters_an_open_procedure_of_an_earlier_cycle(tmp_path):
    db = crear(tmp_path, [politica_apagada(), *entradas_dos_ciclos()])
    app = RepseApp(db, ahora=lambda: at("2026-11-21T12:00:00"), usuario="prueba")
    async with app.run_test(size=(120, 30)) as pilot:
        await app.listo.wait()
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        text = pantalla(app)
        assert f"3 de 3 contratistas · {LEYENDA}" in text
        [fila_b] = [line for line in text.splitlines() if B in line]
        [fila_c] = [line for line in text.splitlines() if C in line]
        assert "* Al corriente" in fila_b  # headline 2026-2, 2026-1 still suspended
        assert "*" not in fila_c  # its only procedure is the one shown
        app.screen.query_one("#f-estado").value = "anterior_abierto"
        await pilot.pause()
        assert (f"1 de 3 contratistas · con expediente abierto de un ciclo anterior · "
                f"{LEYENDA}") in pantalla(app)
        tabla = app.screen.query_one(TablaPadron)
        assert [app.vista.rfc(k) for k in tabla.filas.tolist()] == [B]
        await pilot.press("enter")  # the detail lists both procedures
        await esperar(pilot, lambda: isinstance(app.screen, DetalleScreen))
        await pilot.pause()
        text = pantalla(app)
        assert "Ciclo 2026-1: Cancelación suspendida" in text
        assert "Ciclo 2026-2: Al corriente" in text
