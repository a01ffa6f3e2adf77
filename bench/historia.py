"""Five years of record: ten cycles (2026-1 … 2030-2) of 150,000 contractors appended through
the API to a SQLite store, then what a correction costs at the end of that history.

Each cycle's padrón holds the contractors not cancelled so far (new ones fill it up to the
size); a contractor is registered within the 300 days before its first D0, and renewed the same
way (a padrón with a newer date records the renewal) once its term ends within 450 days, so
none lapses. After the ten cycles the store is closed and reopened, as each ``repse`` command
does, and the benchmark times, in that process: appending an ordinary input at the end (the
average of the latest cycle's inputs; the clock one hour on, the median of three, is shown beside
it), a retroactive round-2 opinion inside the latest cycle, and the annulment of the latest
input (that opinion); then the same correction and annulment again (checkpoints now in memory,
as in the terminal UI). It prints each figure next to its target (issue 11, point 8):

- a correction or an annulment: at most 1.5 × an ordinary input;
- reopening the store: at most 1 s;
- the store's growth per cycle: at most 25 MB.

    make bench                               # includes it
    python -m bench.historia [--n 150000] [--ciclos 10]
"""

from __future__ import annotations

import argparse
import itertools
import resource
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .cycle import SEED, cycle_inputs, rfcs_for

MB = 2**20
TERMINO = 3 * 365  # days a registration lasts, near enough to plan renewals


def ciclos(cuantos: int) -> list[str]:
    return [f"{2026 + k // 2}-{k % 2 + 1}" for k in range(cuantos)]


def tamano(db: Path) -> float:
    """The store's size in MB, its write-ahead log folded in first."""
    return db.stat().st_size / MB


class Historia(NamedTuple):
    """What building the history leaves for the measurements: the last cycle's inputs, its
    RFCs and those flagged at round 1, the store's size after each cycle, and the average time
    of one input of the last cycle."""

    entradas: list
    rfcs: list[str]
    flagged: list[int]
    tamanos: list[float]
    por_entrada: float


def construir(db: Path, n: int, cuantos: int) -> Historia:
    """Append ``cuantos`` cycles of ``n`` contractors to a new simulation store at ``db``,
    printing each cycle's figures, and close it."""
    from repse.core import inputs as inp
    from repse.core.api import Repositorio
    from repse.core.cycle import Ciclo

    universo = rfcs_for(n * 2)
    activos = list(range(len(universo)))  # not cancelled so far, in order of first padrón
    registro = np.zeros(len(universo), dtype=np.int64)  # ordinal date of each registration
    vacio = db.with_name("vacio.toml")
    vacio.write_text("")
    repo = Repositorio.crear(db, calendario=vacio, simulacion=True)
    tamanos = [tamano(db)]
    for k, ciclo in enumerate(ciclos(cuantos)):
        d0 = Ciclo.parse(ciclo).fecha_consulta.toordinal()
        padron = activos[:n]
        idx = np.array(padron)
        # New contractors, and those whose term ends within 450 days, (re)registered in
        # the 300 days before D0: about a sixth renews each cycle, and none lapses.
        debida = (registro[idx] == 0) | (registro[idx] + TERMINO - d0 < 450)
        nuevas = d0 - np.random.default_rng(SEED + k).integers(0, 300, n)
        registro[idx] = np.where(debida, nuevas, registro[idx])
        starts = registro[idx]
        entradas, rfcs, flagged = cycle_inputs(n, ciclo, [universo[i] for i in padron],
                                               starts, SEED + k)
        t0 = time.perf_counter()
        for entrada in entradas:
            r = repo.registrar(entrada)
            assert r.aceptada and not r.rechazos, (ciclo, r.tipo, r.motivo, r.rechazos[:3])
        t1 = time.perf_counter()
        repo.guardar_instantanea()  # what closing the store after the cycle leaves
        t2 = time.perf_counter()
        repo.store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        tamanos.append(tamano(db))
        print(f"{ciclo}: entradas {t1 - t0:.2f} s, instantáneas {t2 - t1:.2f} s; almacén "
              f"{tamanos[-1]:.0f} MB (+{tamanos[-1] - tamanos[-2]:.1f})", flush=True)
        por_entrada = (t1 - t0) / len(entradas)
        canceladas = {rfc for e in entradas if isinstance(e, inp.Cancelacion) for rfc in e.rfcs}
        activos = [i for i in activos if universo[i] not in canceladas]
    repo.cerrar()
    return Historia(entradas, rfcs, flagged, tamanos, por_entrada)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.historia")
    parser.add_argument("--n", type=int, default=150_000)
    parser.add_argument("--ciclos", type=int, default=10)
    args = parser.parse_args()

    from repse.core import inputs as inp
    from repse.core.api import Repositorio

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "historia.db"
        print(f"== historia: {args.ciclos} ciclos de {args.n:,} contratistas, SQLite ==")
        entradas, rfcs, flagged, tamanos, por_entrada = construir(db, args.n, args.ciclos)

        t0 = time.perf_counter()
        repo = Repositorio.abrir(db)
        reabrir = time.perf_counter() - t0

        def medir(entrada: inp.Entrada) -> tuple[float, int]:
            t0 = time.perf_counter()
            r = repo.registrar(entrada)
            segundos = time.perf_counter() - t0
            assert r.aceptada, r.motivo
            return segundos, r.numero

        fin = entradas[-1].at
        ordinaria = statistics.median(
            medir(inp.Reloj(at=fin + timedelta(hours=h), actor="gt"))[0] for h in (1, 2, 3))
        ronda2, rfc = entradas[4], rfcs[flagged[0]]
        correcciones = []
        for vez in (1, 2):
            # An hour before the round-2 list: the row applies (the contractor still awaits it).
            tarde = inp.Opiniones(at=ronda2.at - timedelta(hours=1), actor="imss",
                                  ciclo=ronda2.ciclo, ronda=2,
                                  retroactivo=True, repetida=vez > 1,
                                  resultados=(inp.Resultado(rfc, "positiva"),))
            retro, numero = medir(tarde)
            anulacion, _ = medir(inp.Anulacion(at=fin + timedelta(hours=3), actor="imss",
                                               entrada=numero, motivo="prueba de rendimiento"))
            correcciones.append((retro, anulacion))
        repo.cerrar()
    crecimiento = max(b - a for a, b in itertools.pairwise(tamanos[1:]))
    media = (tamanos[-1] - tamanos[1]) / max(1, len(tamanos) - 2)

    def marca(ok: bool) -> str:
        return "cumple" if ok else "no cumple"

    # The target's unit is an ordinary input appended at the end: one of the latest cycle's,
    # on average (a padrón, lists, acts); a bare clock step is shown beside it for reference.
    print(f"entrada ordinaria del último ciclo, en promedio: {por_entrada * 1000:.0f} ms (el "
          f"reloj una hora después, solo: {ordinaria * 1000:.0f} ms)")
    for vez, (retro, anulacion) in enumerate(correcciones, 1):
        cuando = "recién abierto" if vez == 1 else "con los puntos de control en memoria"
        for nombre, s in (("opinión retroactiva en el último ciclo", retro),
                          ("anulación de la última entrada", anulacion)):
            print(f"{nombre} ({cuando}): {s * 1000:.0f} ms = {s / por_entrada:.1f}× la entrada "
                  f"ordinaria (meta ≤ 1.5×: {marca(s <= 1.5 * por_entrada)})")
    print(f"reabrir: {reabrir:.2f} s (meta ≤ 1 s: {marca(reabrir <= 1)}); memoria máxima "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"crecimiento del almacén por ciclo: máximo {crecimiento:.1f} MB, media {media:.1f} MB "
          f"(meta ≤ 25 MB: {marca(crecimiento <= 25)})")


if __name__ == "__main__":
    main()
