"""The round-1 export at padrón scale: 150,000 contractors, about 18,000 flagged, so 18,000
exhorto letters as PDF (one file each and the combined file), the lists, the agenda and the
statistics. It prints the time (and the CPU time of every process that drew letters: on a
machine busy with other work the time grows) and the letters per second next to the target
(issue 13, point 7): well under a minute.

    make bench                               # includes it
    python -m bench.documentos [--n 150000]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from .cycle import cycle_inputs

OBJETIVO = 60.0  # seconds for the whole round-1 export


def cpu_time() -> float:
    """CPU seconds of this process and of its children that ended (the processes that draw
    the letters)."""
    hijos = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + hijos.ru_utime + hijos.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.documentos")
    parser.add_argument("--n", type=int, default=150_000)
    args = parser.parse_args()

    from repse.core import inputs as inp
    from repse.core.api import Repositorio
    from repse.core.exports import exportar

    inputs, _rfcs, flagged = cycle_inputs(args.n)
    padron, ronda1, exhorto = inputs[:3]
    with tempfile.TemporaryDirectory() as tmp:
        repo = Repositorio.crear(Path(tmp) / "documentos.db", simulacion=True)
        for entrada in (padron, ronda1, exhorto):
            assert repo.registrar(entrada).aceptada
        firmante = inp.Firmante("Nombre Apellido Apellido", "Titular de la unidad")
        assert repo.registrar(inp.Membrete(
            at=exhorto.at, actor="gt", prefijo_oficio="DIR/REPSE", lugar="Ciudad de México",
            imss=firmante, stps=firmante)).aceptada
        vista = repo.vista()
        start, cpu = time.perf_counter(), cpu_time()
        files = exportar(vista, "2026-1", Path(tmp) / "salidas", ronda=1)
        took, cpu = time.perf_counter() - start, cpu_time() - cpu
        cartas = sum(1 for f in files if f.parent.name == "exhortos")
        todas = (Path(tmp) / "salidas" / "exhortos_2026-1.pdf").stat().st_size
        repo.cerrar()
    assert cartas == len(flagged)
    estado = "ok" if took < OBJETIVO else "LENTO"
    print(f"Exportación de la ronda 1, {args.n:,} contratistas: {cartas:,} cartas de exhorto "
          f"en PDF (y el archivo con todas, {todas / 2**20:,.1f} MB) en {took:,.1f} s "
          f"({cpu:,.1f} s de CPU), {cartas / took:,.0f} cartas por segundo (objetivo: menos de "
          f"{OBJETIVO:.0f} s: {estado})")


if __name__ == "__main__":
    main()
