"""While an import runs in the store worker, the padrón table keeps showing the state before that
input, and switches to the state after it only when the worker's message arrives: scrolling never
shows a row half-applied, nor some rows before and others after."""

from __future__ import annotations

import csv
import threading

from bench.cycle import cycle_inputs
from repse.core.etiquetas import ESTADO, OPINION
from repse.core.files import importar
from repse.tui.app import RepseApp
from repse.tui.screens.dialogos.confirmar import Confirmar
from repse.tui.screens.dialogos.importar import Importar
from repse.tui.screens.dialogos.resultado import Resultado
from repse.tui.widgets.tabla_padron import TablaPadron, anchos

from .tui_apoyo import at, crear, esperar, pantalla, quieta, sincrono

N = 400  # about 13 pages of the table at 120×40


def renglon(vista, k: int) -> tuple[str, str, str]:
    """RFC, state and opinion of padrón row ``k`` as the table writes them."""
    f = vista.fila(k)
    return (f.rfc, ESTADO[f.estado] if f.estado else "sin ciclo",
            OPINION[f.opinion] if f.opinion else "—")


def renglones(vista) -> dict[str, tuple[str, str, str]]:
    return {r[0]: r for r in (renglon(vista, k) for k in range(len(vista)))}


def leer_tabla(app) -> list[tuple[str, str, str]]:
    """The rows on screen, read back from the screen's text by the table's column widths."""
    tabla = app.screen.query_one(TablaPadron)
    region = tabla.content_region
    rfc_w, razon_w, estado_w, opinion_w, _ = anchos(tabla.scrollable_content_region.width - 1)
    lineas = pantalla(app).splitlines()[region.y + 1: region.y + region.height]
    filas = []
    for linea in lineas:
        x = region.x + 1  # after the cursor mark
        rfc = linea[x: x + rfc_w].strip()
        if not rfc:
            continue
        x += rfc_w + 1 + razon_w + 1
        estado = linea[x: x + estado_w].strip()
        x += estado_w + 1
        filas.append((rfc, estado, linea[x: x + opinion_w].strip()))
    return filas


async def recorrer(pilot) -> list[tuple[str, str, str]]:
    """Scroll the whole table page by page, reading every page as drawn."""
    vistas = []
    await pilot.press("home")
    for _ in range(N // 20):
        await pilot.pause()
        vistas += leer_tabla(pilot.app)
        await pilot.press("pagedown")
    return vistas


@sincrono
async def test_durante_una_importacion_la_tabla_muestra_antes_o_despues_nunca_una_mezcla(
        tmp_path):
    entradas, _, _ = cycle_inputs(N)
    db = crear(tmp_path, entradas[:1])  # the padrón: everyone «En consulta»
    ronda1 = tmp_path / "ronda1.csv"
    with ronda1.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([("rfc", "opinion"),
                                 *((r.rfc, r.opinion) for r in entradas[1].resultados)])

    aplicada, soltar = threading.Event(), threading.Event()

    def importar_y_esperar(*args, **kwargs):
        """The real import; then the worker holds its answer until the test lets it go. The
        trial the confirmation shows first records nothing: it passes through."""
        r = importar(*args, **kwargs)
        if kwargs.get("ensayo"):
            return r
        aplicada.set()  # the repository's own state is now the one after the input
        assert soltar.wait(60)
        return r

    app = RepseApp(db, ahora=lambda: at("2026-11-21T12:00:00"), usuario="prueba",
                   importar=importar_y_esperar)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.listo.wait()
        await pilot.press("c")
        await pilot.pause()
        vista_antes = app.vista
        antes = renglones(vista_antes)
        assert {estado for _, estado, _ in antes.values()} == {"En consulta"}

        await pilot.press("i")
        await esperar(pilot, lambda: isinstance(app.screen, Importar))
        d = app.screen
        d.query_one("#tipo").value = "opiniones"
        d.query_one("#archivo").value = str(ronda1)
        d.query_one("#ciclo").value = "2026-1"
        d.query_one("#at").value = "2026-01-26 17:00"
        d.query_one("#ronda").value = "1"
        d.query_one("#completo").value = True
        await pilot.press("ctrl+s")
        await esperar(pilot, lambda: isinstance(app.screen, Confirmar))
        await pilot.press("enter")

        vistas = []
        while not aplicada.is_set():  # the worker reads the file and applies it
            vistas += await recorrer(pilot)
        durante = await recorrer(pilot)  # applied in the store, its message not sent yet
        assert app.vista is vista_antes
        assert app.screen.query_one(TablaPadron).vista is vista_antes
        assert len({rfc for rfc, _, _ in durante}) == N  # every row was drawn
        assert all(fila == antes[fila[0]] for fila in durante)

        soltar.set()
        await esperar(pilot, lambda: isinstance(app.screen, Resultado))
        despues = renglones(app.vista)
        await pilot.press("escape")
        await esperar(pilot, lambda: quieta(app))
        assert app.screen.query_one(TablaPadron).vista is app.vista
        luego = await recorrer(pilot)

    cambiaron = [rfc for rfc in antes if antes[rfc] != despues[rfc]]
    assert len(cambiaron) == N  # completo: every contractor got an opinion
    assert len({rfc for rfc, _, _ in luego}) == N
    assert all(fila == despues[fila[0]] for fila in luego)
    assert all(fila in (antes[fila[0]], despues[fila[0]]) for fila in vistas)
