"""``repse specs``: regenerate or check ``specs/``, what specification reviewers read."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.specs import desactualizados, escribir


def cmd_specs(args: argparse.Namespace) -> int:
    carpeta = Path(args.dir)
    if args.check:
        stale = desactualizados(carpeta)
        if stale:
            lines = [f"{carpeta}/ está desactualizado respecto de los diagramas del código:",
                     *(f"  - {name}" for name in stale),
                     "Ejecute `make specs` (o `repse specs`), revise los cambios y confírmelos."]
            print("\n".join(lines), file=sys.stderr)
            return 1
        print(f"{carpeta}/ está al día.")
        return 0
    written, svg = escribir(carpeta)
    for path in written:
        print(f"escrito: {path}")
    if not svg:
        print("Graphviz (dot) no está instalado: no se generaron los SVG; los archivos de texto "
              "sí están al día.")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    s = subparsers.add_parser(
        "specs", help="regenera specs/: diagramas y libro de especificación",
        description="Regenera specs/ a partir de los diagramas de estados del código: Mermaid, "
                    "Graphviz (DOT y, si está instalado, SVG) y ESPECIFICACION.md.")
    s.add_argument("--dir", default="specs", metavar="CARPETA",
                   help="carpeta de salida (por omisión, specs)")
    s.add_argument("--check", action="store_true",
                   help="no escribe nada; termina con error si specs/ está desactualizado")
    s.set_defaults(func=cmd_specs)
