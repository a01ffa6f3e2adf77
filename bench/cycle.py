"""A full cycle at padrón scale, measured against two baselines in the same run.

For each size (150,000 and 1,000,000 by default) a fresh process runs every input of a cycle
through the repository API with a SQLite store (persistence included) — and, at 150,000, with a
PostgreSQL store on a throw-away local server (tests/pg.py) — then reports wall time,
peak memory (max RSS), transitions per second, the time to reopen the store, and the time of a
retroactive input and of an annulment. In the same run it measures the transition work of
(a) one python-statemachine instance per contractor on a sample, and (b) a bare dict-lookup loop
over the same events — the pure-Python floor — and prints the ratios.

    make bench                        # 150,000 and 1,000,000; PostgreSQL at 150,000
    python -m bench --sizes 20000 --servidor 20000     # a quick look
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

SEED = 20260126


def rfcs_for(n: int) -> list[str]:
    """``n`` distinct, well-formed persona-moral RFCs with correct check digits."""
    from repse.core.rfc import check_digits

    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    base = date(1960, 1, 1).toordinal()
    bodies = []
    for i in range(n):
        a, rest = i % 17576, i // 17576
        name = letters[a // 676] + letters[a // 26 % 26] + letters[a % 26]
        born = date.fromordinal(base + rest * 37 % 20000)
        homo = letters[rest % 26] + str(i % 10)
        bodies.append(f"{name}{born:%y%m%d}{homo}0")
    return [b[:-1] + d for b, d in zip(bodies, check_digits(bodies), strict=True)]


def cycle_inputs(n: int, ciclo: str = "2026-1", rfcs: list[str] | None = None,
                 starts: np.ndarray | None = None, seed: int = SEED
                 ) -> tuple[list, list[str], list[int]]:
    """Every input of ``ciclo`` for ``n`` contractors (about 12 % flagged at round 1), their
    RFCs and those flagged. The inputs are dated by the cycle's plan on the joint calendar
    without closures: padrón and round 1 at D0, exhorto
    two hábil days later, rounds 2 and 3 on their dates, the daily update and the last
    cancellations on the next two hábil days, the clock 94 days after D0. ``rfcs`` and
    ``starts`` (ordinal registration dates) default to :func:`rfcs_for` and registrations of
    June 2023 to November 2025."""
    from repse.core import inputs as inp
    from repse.core.calendars import Calendarios
    from repse.core.cycle import Ciclo, plan_ciclo
    from repse.core.plazos import MX, next_habil_day

    rng = np.random.default_rng(seed)
    rfcs = rfcs_for(n) if rfcs is None else rfcs
    if starts is None:
        starts = date(2023, 6, 1).toordinal() + rng.integers(0, 900, n)
    cal = Calendarios()
    d0 = Ciclo.parse(ciclo).fecha_consulta
    exhorto = next_habil_day(next_habil_day(d0, cal.conjunto()), cal.conjunto())
    plan = plan_ciclo(Ciclo.parse(ciclo), cal, exhorto=exhorto)
    d2, d3 = plan.segunda_consulta, plan.tercera_consulta
    diaria = next_habil_day(d3, cal.conjunto())
    ultima = next_habil_day(diaria, cal.conjunto())

    def at(day: date, hora: str) -> datetime:
        return datetime.fromisoformat(f"{day}T{hora}").replace(tzinfo=MX)

    def pick(pool: list[int], share: float) -> list[int]:
        return sorted(rng.choice(pool, int(len(pool) * share), replace=False).tolist())

    rows = tuple(inp.FilaPadron(r, f"Contratista {k} S.A. de C.V.", f"R-{k:07d}",
                                date.fromordinal(int(s)))
                 for k, (r, s) in enumerate(zip(rfcs, starts.tolist(), strict=True)))
    flagged = pick(list(range(n)), 0.12)
    still2 = pick(flagged, 0.5)
    still3 = pick(still2, 0.6)
    impeded = still3[: len(still3) // 10]
    cancel = still3[len(still3) // 10:]
    daily_ok = impeded[: len(impeded) // 2]
    late = [i for i in impeded if i not in set(daily_ok)]

    def results(idx, opinion=None):
        return tuple(inp.Resultado(rfcs[i], opinion or ("negativa" if i % 3 else "sin_opinion"))
                     for i in idx)

    def acto(cls, when, idx, **kw):
        return cls(at=when, actor=kw.pop("actor"), ciclo=ciclo,
                   rfcs=tuple(rfcs[i] for i in idx), **kw)

    return [
        inp.Padron(at=at(d0, "09:00"), actor="stps", ciclo=ciclo, contratistas=rows),
        inp.Opiniones(at=at(d0, "17:00"), actor="imss", ciclo=ciclo, ronda=1,
                      completo=True, resultados=results(flagged)),
        acto(inp.Exhorto, at(exhorto, "10:00"), flagged, actor="gt"),
        inp.Reloj(at=at(d2, "00:00"), actor="gt"),
        inp.Opiniones(at=at(d2, "11:00"), actor="imss", ciclo=ciclo, ronda=2,
                      completo=True, resultados=results(still2)),
        acto(inp.InicioCancelacion, at(d2, "13:00"), still2, actor="stps"),
        inp.Opiniones(at=at(d3, "11:00"), actor="imss", ciclo=ciclo, ronda=3,
                      completo=True, resultados=results(still3)),
        acto(inp.Cancelacion, at(d3, "15:00"), cancel, actor="stps"),
        acto(inp.CancelacionImpedida, at(d3, "16:00"), impeded, actor="stps",
             motivo="amparo en trámite"),
        inp.Opiniones(at=at(diaria, "11:00"), actor="imss", ciclo=ciclo, ronda="diaria",
                      resultados=results(daily_ok, "positiva") + results(late)),
        acto(inp.Cancelacion, at(ultima, "15:00"), late, actor="stps"),
        inp.Reloj(at=at(d0 + timedelta(days=94), "00:00"), actor="gt"),
    ], rfcs, flagged


def event_sequences(n: int, flagged, engine) -> list[list[str]]:
    """Per contractor, the procedure events the engine fired (for the baselines)."""
    from repse.core.table import EXPEDIENTE

    seqs: list[list[str]] = [[] for _ in range(n)]
    for lote in engine.lotes:
        if lote.ciclo is None:
            continue
        for i in lote.idx.tolist():
            seqs[i].append(lote.evento)
    assert EXPEDIENTE is not None
    return seqs


@contextmanager
def almacen_nuevo(tmp: Path, servidor: bool) -> Iterator[tuple[str, Callable[[], float]]]:
    """(where a new store goes, its size in MB afterwards): a SQLite file, or a database on a
    throw-away PostgreSQL server."""
    if not servidor:
        db = tmp / "bench.db"
        yield str(db), lambda: db.stat().st_size / 2**20
        return
    from tests.pg import ServidorPrueba

    pg = ServidorPrueba()
    try:
        base = pg.nueva_base()
        url = pg.url(base)
        tamano = f"SELECT pg_database_size('{base}')"
        yield url, lambda: int(pg.psql(url, tamano).stdout.split()[2]) / 2**20  # header, ---
    finally:
        pg.parar()


def run_size(n: int, servidor: bool = False) -> dict:
    from repse.core import inputs as inp
    from repse.core import motor
    from repse.core.api import Repositorio

    fire_time = [0.0]
    original = motor.Engine._fire

    def timed_fire(self, *args, **kwargs):
        t0 = time.perf_counter()
        original(self, *args, **kwargs)
        fire_time[0] += time.perf_counter() - t0

    motor.Engine._fire = timed_fire
    inputs, rfcs, flagged = cycle_inputs(n)
    with tempfile.TemporaryDirectory() as tmp, almacen_nuevo(Path(tmp), servidor) as (db, mb):
        empty = Path(tmp) / "vacio.toml"
        empty.write_text("")
        t0 = time.perf_counter()
        repo = Repositorio.crear(db, calendario=empty, simulacion=True)
        for entrada in inputs:
            r = repo.registrar(entrada)
            assert r.aceptada and not r.rechazos, (r.tipo, r.motivo, r.rechazos[:3])
        repo.cerrar()
        cycle_s = time.perf_counter() - t0
        transitions = repo.engine.transiciones
        motor.Engine._fire = original

        t0 = time.perf_counter()
        repo = Repositorio.abrir(db)
        reopen_s = time.perf_counter() - t0

        # An hour before the round-2 list (D2 11:00): the contractor still awaits round 2, so
        # the late row applies (an input none of whose rows applies is refused whole).
        late = inp.Opiniones(at=inputs[4].at - timedelta(hours=1), actor="imss", ciclo="2026-1",
                             ronda=2, retroactivo=True,
                             resultados=(inp.Resultado(rfcs[flagged[0]], "positiva"),))
        t0 = time.perf_counter()
        r = repo.registrar(late)
        retro_s = time.perf_counter() - t0
        assert r.aceptada, r.motivo
        t0 = time.perf_counter()
        r = repo.registrar(inp.Anulacion(at=inputs[-1].at, actor="gt", entrada=r.numero,
                                         motivo="prueba de rendimiento"))
        annul_s = time.perf_counter() - t0
        assert r.aceptada, r.motivo
        seqs = event_sequences(n, flagged, repo.engine)
        repo.store.close()
        db_mb = mb()
    dict_s = dict_loop(seqs)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"n": n, "almacen": "PostgreSQL" if servidor else "SQLite", "cycle_s": cycle_s,
            "transitions": transitions, "fire_s": fire_time[0],
            "reopen_s": reopen_s, "retro_s": retro_s, "annul_s": annul_s, "peak_mb": peak_mb,
            "db_mb": db_mb, "dict_s": dict_s,
            "procedure_transitions": sum(len(s) for s in seqs)}


def dict_loop(seqs: list[list[str]]) -> float:
    """The pure-Python floor: one dict lookup per transition, states kept in a list."""
    from repse.core.table import EXPEDIENTE

    table = {(s, e): EXPEDIENTE.states[t] for (s, e), info in EXPEDIENTE.info.items()
             for t in [EXPEDIENTE.state_code(info.target)]}
    t0 = time.perf_counter()
    states = ["registrado"] * len(seqs)
    for i, seq in enumerate(seqs):
        state = states[i]
        for event in seq:
            state = table[state, event]
        states[i] = state
    return time.perf_counter() - t0


def statemachine_sample(seqs: list[list[str]], sample: int = 2000) -> tuple[float, int]:
    """One python-statemachine instance per contractor, on a sample: seconds, transitions."""
    from repse.core.lifecycle import Expediente

    chosen = seqs[:sample]
    t0 = time.perf_counter()
    count = 0
    for seq in chosen:
        sm = Expediente()
        for event in seq:
            sm.send(event)
            count += 1
    return time.perf_counter() - t0, count


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--sizes", default="150000,1000000")
    parser.add_argument("--servidor", default="150000",
                        help="sizes also run on PostgreSQL (empty: none)")
    parser.add_argument("--child", type=int)
    parser.add_argument("--en-servidor", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_size(args.child, args.en_servidor)))
        return
    runs = [(int(s), False) for s in args.sizes.split(",")]
    runs += [(int(s), True) for s in args.servidor.split(",") if s]
    results = []
    for n, servidor in runs:
        out = subprocess.run([sys.executable, "-m", "bench", "--child", str(n),
                              *(["--en-servidor"] if servidor else [])],
                             capture_output=True, text=True, check=True)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    # The statemachine baseline on a sample of the smallest size's event sequences.
    from repse.core.motor import Engine  # noqa: F401  (warm imports outside the timing)

    inputs_small = results[0]
    seqs = _sample_sequences(inputs_small["n"])
    sm_s, sm_count = statemachine_sample(seqs)
    sm_per_transition = sm_s / sm_count
    print(f"python-statemachine, una instancia por contratista (muestra): "
          f"{sm_count} transiciones en {sm_s:.2f} s = {sm_per_transition * 1e6:.0f} µs c/u")
    for r in results:
        per_t = r["fire_s"] / r["procedure_transitions"]
        dict_per_t = r["dict_s"] / r["procedure_transitions"]
        print()
        print(f"== {r['n']:,} contratistas, {r['almacen']} ==")
        print(f"ciclo completo persistido: {r['cycle_s']:.2f} s; memoria máxima "
              f"{r['peak_mb']:.0f} MB; almacén {r['db_mb']:.0f} MB")
        print(f"transiciones: {r['transitions']:,} ({r['transitions'] / r['cycle_s']:,.0f}/s "
              "en el ciclo completo)")
        print(f"trabajo de transición (columnas): {r['fire_s']:.3f} s; "
              f"bucle dict: {r['dict_s']:.3f} s; "
              f"statemachine (extrapolado): {sm_per_transition * r['procedure_transitions']:.1f} s")
        print(f"  razón vs statemachine: {sm_per_transition / per_t:,.0f}x más rápido")
        print(f"  razón vs bucle dict: {per_t / dict_per_t:.2f}x el tiempo del bucle")
        print(f"reabrir: {r['reopen_s']:.2f} s; entrada retroactiva: {r['retro_s']:.2f} s; "
              f"anulación: {r['annul_s']:.2f} s")


def _sample_sequences(n: int) -> list[list[str]]:
    """Event sequences of a small in-memory run shaped like the benchmark's cycle."""
    from repse.core.api import Repositorio
    from repse.core.store import Store

    size = min(n, 20000)
    inputs, _, flagged = cycle_inputs(size)
    repo = Repositorio(Store(":memory:", create=True, simulacion=True))
    for entrada in inputs:
        repo.registrar(entrada)
    seqs = event_sequences(size, flagged, repo.engine)
    # Put every kind of path in the sample, not just the al_corriente majority.
    flagged_set = set(flagged)
    return [seqs[i] for i in flagged] + [s for i, s in enumerate(seqs) if i not in flagged_set]


if __name__ == "__main__":
    main()
