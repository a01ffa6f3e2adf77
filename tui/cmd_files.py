"""``repse exportar | estadisticas``: the files the institutions must send."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.exports import estadisticas_md, exportar
from .cmd_store import UsageError, opened, parse_instant


def parse_ronda(text: str | None) -> int | str | None:
    if text is None:
        return None
    if text in ("1", "2", "3"):
        return int(text)
    if text == "diaria":
        return text
    raise UsageError(f"--ronda: «{text}» no válida (1, 2, 3 o diaria)")


class Progress:
    """A one-line progress indicator on stderr, only when it is a terminal."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int, total: int | None) -> None:
        if self.tty:
            of = f" de {total}" if total else ""
            sys.stderr.write(f"\r{self.what}: {done}{of}…")
            sys.stderr.flush()

    def close(self) -> None:
        if self.tty:
            sys.stderr.write("\r\033[K")


def cmd_exportar(args) -> int:
    with opened(args.db) as repo:
        notificacion = parse_instant(args.notificacion, "--notificacion").date() \
            if args.notificacion else None
        progress = Progress("Exportando")
        files = exportar(repo.engine, args.ciclo, Path(args.dir), ronda=parse_ronda(args.ronda),
                         notificacion=notificacion, progreso=progress)
        progress.close()
    letters = sum(1 for f in files if f.parent.name == "exhortos")
    others = [f for f in files if f.parent.name != "exhortos"]
    print(f"Exportados {len(files)} archivos en {args.dir}:")
    for f in others:
        print(f"  {f.relative_to(args.dir)}")
    if letters:
        print(f"  exhortos/: {letters} cartas de exhorto")
    return 0


def cmd_estadisticas(args) -> int:
    with opened(args.db) as repo:
        print(estadisticas_md(repo.engine, args.ciclo), end="")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("exportar", help="listados, exhortos, oficio, agenda y estadísticas")
    p.add_argument("db", metavar="DB")
    p.add_argument("--ciclo", required=True)
    p.add_argument("--ronda", help="1, 2, 3 o diaria")
    p.add_argument("--dir", required=True, metavar="CARPETA")
    p.add_argument("--notificacion", metavar="FECHA",
                   help="fecha de notificación de los exhortos (por omisión, la del plan)")
    p.set_defaults(func=cmd_exportar)

    p = sub.add_parser("estadisticas", help="estadísticas de un ciclo")
    p.add_argument("db", metavar="DB")
    p.add_argument("--ciclo", required=True)
    p.set_defaults(func=cmd_estadisticas)
