"""Helpers for the TUI tests: stores built from typed inputs, the screen as plain text, and a
stand-in for the file layer's contract (``repse.core.files``) while it is not installed."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from rich.console import Console

from repse.core import inputs as inp
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


def importar_contrato(repo: Repositorio, tipo: str, archivo: Path, *, ciclo: str,
                      at: datetime, actor: str, ronda=None, completo: bool = False,
                      motivo: str | None = None, usuario: str | None = None, progreso=None):
    """The contract of ``repse.core.files.importar`` over plain UTF-8 CSV with the public
    input's field names, for testing the TUI's flow until the file layer lands. It reads, it
    does not validate: the engine refuses what does not fit."""
    with archivo.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    if progreso:
        progreso(0, len(rows))
    common = {"at": at, "actor": actor, "usuario": usuario, "archivo": archivo.name}
    if tipo == "padron":
        entrada = inp.Padron(ciclo=ciclo, contratistas=tuple(
            inp.FilaPadron(r["rfc"], r["razon_social"], r["folio"],
                           date.fromisoformat(r["fecha_registro"]), fila=k + 2)
            for k, r in enumerate(rows)), **common)
    elif tipo == "opiniones":
        entrada = inp.Opiniones(ciclo=ciclo, ronda=ronda, completo=completo, resultados=tuple(
            inp.Resultado(r["rfc"], r["opinion"], fila=k + 2) for k, r in enumerate(rows)),
            **common)
    else:
        cls = {"exhorto": inp.Exhorto, "inicio_cancelacion": inp.InicioCancelacion,
               "cancelacion": inp.Cancelacion,
               "cancelacion_impedida": inp.CancelacionImpedida}[tipo]
        extra = {"motivo": motivo or ""} if tipo == "cancelacion_impedida" else {}
        entrada = cls(ciclo=ciclo, rfcs=tuple(r["rfc"] for r in rows),
                      filas=tuple(range(2, len(rows) + 2)), **extra, **common)
    if progreso:
        progreso(len(rows), len(rows))
    return repo.registrar(entrada)


def exportar_contrato(engine, ciclo: str, destino: Path, *, ronda=None, notificacion=None,
                      progreso=None) -> list[Path]:
    """The contract of ``repse.core.files.exportar``, reduced to one list per state, for
    testing the TUI's flow until the file layer lands."""
    from repse.core import consultas
    from repse.core.table import EXPEDIENTE

    destino.mkdir(parents=True, exist_ok=True)
    c = engine.ciclos[ciclo]
    out = []
    for code, state in enumerate(EXPEDIENTE.states):
        ids = c.idx[c.state == code]
        if len(ids):
            path = destino / f"{ciclo}_{state}.csv"
            path.write_text("rfc\n" + "".join(f"{engine.rfcs[i]}\n" for i in ids.tolist()))
            out.append(path)
    assert consultas.ciclo_actual(engine) is not None
    if progreso:
        progreso(len(out), len(out))
    return out


def sincrono(test):
    """Run an ``async def`` test with ``asyncio.run`` (the suite has no async plugin)."""
    import functools
    import inspect

    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    run.__signature__ = inspect.signature(test)  # keep pytest's fixtures
    return run
