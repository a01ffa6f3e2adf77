"""The TUI's targets at padrón scale, measured (reported, never asserted):

- opening a 150,000-contractor store until the tablero is drawn (target < 2 s);
- a keystroke answered (cursor moves in the padrón, a letter typed in the search) (< 100 ms);
- filtering the whole table by state, by opinion and by a search (< 300 ms).

    python -m bench.tui                   # 150,000
    python -m bench.tui --n 1000000
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from .cycle import cycle_inputs


def build(n: int, db: Path) -> None:
    from repse.core.api import Repositorio

    empty = db.parent / "vacio.toml"
    empty.write_text("")
    repo = Repositorio.crear(db, calendario=empty, simulacion=True)
    inputs, _, _ = cycle_inputs(n)
    for entrada in inputs[:7]:  # up to round 3: every state of the procedure is populated
        repo.registrar(entrada)
    repo.cerrar()


async def measure(db: Path, n: int) -> dict[str, float | list[float]]:
    from repse.core.motor import EXP, OPINION_CODE
    from repse.tui.app import RepseApp

    out: dict[str, float | list[float]] = {}
    t0 = time.perf_counter()
    app = RepseApp(db, usuario="bench")
    async with app.run_test(size=(120, 40)) as pilot:
        await app.listo.wait()
        await pilot.pause()
        out["abrir"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        await pilot.press("c")
        out["pantalla_contratistas"] = time.perf_counter() - t0
        keys = []
        for _ in range(30):
            t0 = time.perf_counter()
            await pilot.press("down")
            keys.append(time.perf_counter() - t0)
        for key in ("pagedown", "end", "home"):
            t0 = time.perf_counter()
            await pilot.press(key)
            keys.append(time.perf_counter() - t0)
        out["teclas"] = keys

        screen = app.screen
        filtros = []
        for selector, value in (("#f-estado", EXP["por_cancelar"]),
                                ("#f-opinion", OPINION_CODE["negativa"])):
            t0 = time.perf_counter()
            screen.query_one(selector).value = value
            await pilot.pause()
            filtros.append(time.perf_counter() - t0)
        await pilot.press("escape")
        await pilot.press("slash")
        search = []
        for ch in "contratista 12":
            t0 = time.perf_counter()
            await pilot.press(ch if ch != " " else "space")
            search.append(time.perf_counter() - t0)
        out["filtros"] = filtros
        out["busqueda"] = search
        # The work a keystroke of the search costs inside the app, without Pilot's round trip:
        # filtering the whole padrón and composing a full frame.
        handler = []
        box = screen.query_one("#buscar")
        for q in ("c", "co", "contratista 1", "aab", "zzz"):
            box.value = ""
            screen.filtrar(desde_cero=True)
            box.value = q
            t0 = time.perf_counter()
            screen.filtrar(desde_cero=True)
            screen._compositor.render_update(full=True)
            handler.append(time.perf_counter() - t0)
        out["busqueda_app"] = handler
        t0 = time.perf_counter()
        screen.filtrar(desde_cero=True)  # the whole padrón, the search included
        out["filtro_completo"] = time.perf_counter() - t0
    return out


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.tui")
    parser.add_argument("--n", type=int, default=150_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "tui.db"
        t0 = time.perf_counter()
        build(args.n, db)
        print(f"almacén de {args.n:,} contratistas creado en {time.perf_counter() - t0:.1f} s")
        r = asyncio.run(measure(db, args.n))

    def ms(x: float) -> str:
        return f"{x * 1000:.0f} ms"

    teclas = r["teclas"]
    assert isinstance(teclas, list)
    print(f"abrir el almacén hasta ver el tablero: {r['abrir']:.2f} s "
          f"(meta 2 s: {r['abrir'] / 2:.2f} de la meta)")
    print(f"cambiar a Contratistas ({args.n:,} filas): {ms(r['pantalla_contratistas'])}")
    print(f"tecla (cursor, página, inicio/fin) — mediana {ms(statistics.median(teclas))}, "
          f"máxima {ms(max(teclas))} (meta 100 ms: {max(teclas) / 0.1:.2f} de la meta)")
    busqueda = r["busqueda"]
    assert isinstance(busqueda, list)
    print(f"búsqueda incremental, por tecla — mediana {ms(statistics.median(busqueda))}, "
          f"máxima {ms(max(busqueda))} (la primera recorre todo el padrón)")
    app_ms = r["busqueda_app"]
    assert isinstance(app_ms, list)
    print(f"búsqueda sobre todo el padrón dentro de la app (filtrar + cuadro completo): "
          f"mediana {ms(statistics.median(app_ms))}, máxima {ms(max(app_ms))} "
          f"(meta 100 ms: {max(app_ms) / 0.1:.2f} de la meta)")
    filtros = r["filtros"]
    assert isinstance(filtros, list)
    print(f"filtrar por estado / opinión (hasta redibujar): "
          f"{' / '.join(ms(f) for f in filtros)}; "
          f"todos los filtros desde cero: {ms(r['filtro_completo'])} "
          f"(meta 300 ms: {max([*filtros, r['filtro_completo']]) / 0.3:.2f} de la meta)")
    print("(medido con el Pilot de Textual sin terminal: incluye su sobrecarga por tecla)")


if __name__ == "__main__":
    main()
