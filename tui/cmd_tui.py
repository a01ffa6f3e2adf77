"""``repse tui DB`` and ``repse demo``: the operators' terminal UI (Textual, imported only when
it starts)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from ..core.api import es_servidor
from .cmd_files import Progress
from .texto import UsageError, parse_instant

DEMO_CONTRATISTAS = 150_000
DEMO_SEMILLA = 20260126
DEMO_CICLO = "2026-1"
DEMO_PADRON_AT = parse_instant("2026-01-26T09:00", "demo")  # D0 of 2026-1, before 10:00


def cmd_tui(args: argparse.Namespace) -> int:
    # A server's URL is checked by connecting (a password it carries is never printed).
    if not es_servidor(args.db) and not Path(args.db).exists():
        raise UsageError(f"{args.db}: no existe; créelo con «repse init» o pruebe «repse demo»")
    return _run(args.db, datos=Path(args.datos) if args.datos else None)


def _run(db: str | Path, datos: Path | None = None) -> int:
    from .app import RepseApp  # Textual only when the TUI starts

    app = RepseApp(db, datos=datos)
    app.run()
    return app.return_code or 0


def cmd_demo(args: argparse.Namespace) -> int:
    db = Path(args.db)
    datos = Path(args.datos) if args.datos else db.parent
    if db.exists() and not args.nuevo:
        print(f"Reabriendo el demo existente {db} (use --nuevo para generarlo de nuevo).")
        return _run(db, datos)
    from ..core.api import Repositorio
    from ..core.demo import generar_demo
    from ..core.files import importar

    if db.exists():
        for extra in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            extra.unlink(missing_ok=True)
    datos.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    print(f"Generando {args.contratistas:,} contratistas del ciclo {DEMO_CICLO} en {datos}/ "
          f"(semilla {args.semilla})…", flush=True)
    generar_demo(args.contratistas, args.semilla, datos)
    print(f"  listo en {time.perf_counter() - t0:.1f} s", flush=True)
    repo = Repositorio.crear(db, simulacion=True)
    try:
        print(f"Importando el padrón en el almacén de simulación {db}…", flush=True)
        barra = Progress("  padrón")
        r = importar(repo, "padron", datos / "padron.csv", ciclo=DEMO_CICLO, at=DEMO_PADRON_AT,
                     actor="stps", usuario="repse demo", progreso=barra)
        barra.close()
        print(f"  {r.aceptadas:,} contratistas en consulta; {len(r.rechazos)} filas "
              f"rechazadas (a propósito: el demo trae errores reales).", flush=True)
    finally:
        repo.cerrar()
    print(f"Abriendo la interfaz (F1: ayuda). Los archivos de cada ronda están en {datos}/; "
          "LEEME.txt dice cuándo cargar cada uno.", flush=True)
    return _run(db, datos)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("tui", help="interfaz de terminal para operar el ciclo",
                       description="Interfaz de terminal (Textual) sobre un almacén: tablero, "
                                   "contratistas, detalle, agenda, reloj, importar y exportar.")
    p.add_argument("db", metavar="DB", help="un archivo SQLite, o un servidor PostgreSQL: "
                   "«postgresql://usuario@servidor/base» o «host=… dbname=… user=…»")
    p.add_argument("--datos", metavar="CARPETA",
                   help="carpeta donde buscar los archivos a importar (por omisión, la del DB; "
                        "con un servidor, la actual)")
    p.set_defaults(func=cmd_tui)

    p = sub.add_parser("demo", help="genera un padrón de demostración y abre la interfaz",
                       description="Genera los archivos de un ciclo de demostración (2026-1), "
                                   "crea un almacén de simulación, importa el padrón y abre la "
                                   "interfaz. Si el almacén ya existe, lo reabre.")
    p.add_argument("--contratistas", type=int, default=DEMO_CONTRATISTAS, metavar="N")
    p.add_argument("--semilla", type=int, default=DEMO_SEMILLA, metavar="S")
    p.add_argument("--db", default="demo/demo.db", metavar="RUTA")
    p.add_argument("--datos", metavar="CARPETA",
                   help="carpeta de los archivos generados (por omisión, la del almacén)")
    p.add_argument("--nuevo", action="store_true",
                   help="borra el almacén existente y genera el demo de nuevo")
    p.set_defaults(func=cmd_demo)



