"""The four-monthly reports at padrón scale (issue 14, point 6): a period of 150,000
contractors imported, fired and exported, next to a round of opinions of the same padrón.

On a SQLite store without closures: the padrón of 2026-1 (not timed); then, timed, the
baseline: a complete round-1 opinion list of every contractor read from CSV and applied, and the
round's export (its lists in CSV and XLSX, the exhorto letters, the agenda and statistics); then
IMSS's filing list of 2026-C1 read from CSV and applied (85 % on time, 3 % "sin contratos"), the
clock past the due date (Mon 18 May 2026), firing the omissions, and the export of the period
(the breaches with the fine range in CSV and XLSX, and the notice to STPS). It prints each time
and the ratio of the period's whole (import + clock + export) to the round's; the target is the
same time class: at most 2 ×.

    make bench                                   # includes it
    python -m bench.declaraciones [--n 150000]
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

from .cycle import SEED, cycle_inputs

OBJETIVO = 2.0


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.declaraciones")
    parser.add_argument("--n", type=int, default=150_000)
    args = parser.parse_args()

    from repse.core import inputs as inp
    from repse.core.api import Repositorio
    from repse.core.exports_declaraciones import exportar_declaraciones
    from repse.core.files import exportar, importar
    from repse.core.plazos import MX

    n = args.n
    entradas, rfcs, flagged = cycle_inputs(n)
    marcados = set(flagged)
    rng = np.random.default_rng(SEED)
    suerte = rng.random(n)
    with tempfile.TemporaryDirectory() as tmp:
        carpeta = Path(tmp)
        vacio = carpeta / "vacio.toml"
        vacio.write_text("")
        repo = Repositorio.crear(carpeta / "d.db", calendario=vacio, simulacion=True)
        repo.registrar(entradas[0])  # the padrón of 2026-1, D0 Mon 26 Jan 2026

        opiniones = carpeta / "ronda1.csv"
        with opiniones.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["RFC", "Opinión"])
            w.writerows((r, "Negativa" if k in marcados else "Positiva")
                        for k, r in enumerate(rfcs))
        filings = carpeta / "icsoe_2026-C1.csv"
        with filings.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["RFC", "Fecha de presentación", "Sin contratos"])
            w.writerows((r, f"{date(2026, 5, 1 + k % 17):%d/%m/%Y}", "sí" if s < 0.03 else "")
                        for k, (r, s) in enumerate(zip(rfcs, suerte.tolist(), strict=True))
                        if s < 0.88)

        t = time.perf_counter()
        r = importar(repo, "opiniones", opiniones, ciclo="2026-1", ronda=1, completo=True,
                     at=_at("2026-01-26T17:00", MX))
        assert r.aceptada and not r.rechazos, r.motivo
        ronda_importada = time.perf_counter() - t
        t = time.perf_counter()
        exportar(repo.vista(), "2026-1", carpeta / "ronda1", ronda=1)
        ronda_exportada = time.perf_counter() - t
        ronda = ronda_importada + ronda_exportada

        t = time.perf_counter()
        r = importar(repo, "declaraciones", filings, ciclo="2026-C1",
                     at=_at("2026-05-18T18:00", MX))
        importada = time.perf_counter() - t
        assert r.aceptada and not r.rechazos, r.motivo

        t = time.perf_counter()
        repo.registrar(inp.Reloj(at=_at("2026-05-19T09:00", MX), actor="imss"))
        disparo = time.perf_counter() - t

        t = time.perf_counter()
        vista = repo.vista()
        archivos = exportar_declaraciones(vista, "2026-C1", carpeta / "salida")
        exportada = time.perf_counter() - t
        resumen = vista.resumen_declaraciones("2026-C1")
        repo.cerrar()

    total = importada + disparo + exportada
    print(f"== declaraciones cuatrimestrales: {n:,} contratistas, SQLite ==")
    print(f"ronda de opiniones: CSV de {n:,} filas importado y aplicado {ronda_importada:.2f} s; "
          f"exportación de la ronda 1 ({len(marcados):,} señalados) {ronda_exportada:.2f} s")
    print(f"periodo 2026-C1: lista del IMSS importada {importada:.2f} s; reloj que dispara "
          f"{resumen.por_estado['omisa']:,} omisas {disparo:.2f} s; exportación "
          f"({len(archivos)} archivos) {exportada:.2f} s")
    print(f"  total del periodo {total:.2f} s = {total / ronda:.2f} × la ronda "
          f"(objetivo: a lo más {OBJETIVO:.0f} ×) — "
          f"{'cumple' if total <= OBJETIVO * ronda else 'NO CUMPLE'}")


def _at(text: str, tz):
    from datetime import datetime
    return datetime.fromisoformat(text).replace(tzinfo=tz)


if __name__ == "__main__":
    main()
