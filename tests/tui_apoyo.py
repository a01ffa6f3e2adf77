"""Helpers for the TUI tests: stores built from typed inputs and the screen as plain text."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from rich.console import Console

from repse.core.api import Repositorio
from repse.core.plazos import MX

VACIO = "vacio.toml"  # an empty closures file: the base calendar only, as the engine tests


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=MX)


def crear(tmp: Path, entradas=(), *, simulacion: bool = True, nombre: str = "t.db") -> Path:
    (tmp / VACIO).write_text("")
    db = tmp / nombre
    repo = Repositorio.crear(db, calendario=tmp / VACIO, simulacion=simulacion)
    for e in entradas:
        r = repo.registrar(e)
        assert r.aceptada and not r.rechazos, (r.tipo, r.motivo, r.rechazos[:3])
    repo.cerrar()
    return db


def pantalla(app) -> str:
    """The screen as plain text (what a reviewer reads in a snapshot)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system=None, record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens))
    return "\n".join(line.rstrip() for line in console.export_text().splitlines()) + "\n"


async def esperar(pilot, cond: Callable[[], bool], segundos: float = 20.0) -> None:
    """Let the app run until ``cond()`` holds (workers on the repository thread)."""
    loop = asyncio.get_running_loop()
    limit = loop.time() + segundos
    while not cond():
        if loop.time() > limit:
            raise AssertionError(f"la condición no se cumplió en {segundos} s")
        await pilot.pause(0.02)


def quieta(app) -> bool:
    """Nothing running but the follower of other offices' inputs, which runs while the app
    does."""
    return not app.ocupado and all(w.group == "seguimiento" for w in app.workers)


def sincrono(test):
    """Run an ``async def`` test with ``asyncio.run`` (the suite has no async plugin)."""
    import functools
    import inspect

    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    run.__signature__ = inspect.signature(test)  # keep pytest's fixtures
    return run
