"""``repse importar | exportar | estadisticas | demo-datos``: the files the institutions
deliver and must send."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from ..core import lifecycle, previa
from ..core.api import Respuesta
from ..core.cycle import Ciclo
from ..core.declaraciones import cargar_uma
from ..core.errors import RepseError
from ..core.etiquetas import cuantos
from ..core.exports import avisos_exportar, estadisticas_md, exportar, resumen
from ..core.exports_declaraciones import exportar_declaraciones
from ..core.files import importar
from ..core.lifecycle import Ronda
from .cmd_store import format_respuesta, opened
from .texto import UsageError, parse_instant


def parse_ronda(text: str | None) -> Ronda | None:
    if text is None:
        return None
    try:
        return lifecycle.parse_ronda(text)
    except RepseError as exc:
        raise UsageError(f"--ronda: {exc}") from None


class Progress:
    """A one-line progress bar on stderr, only when it is a terminal."""

    WIDTH = 30

    def __init__(self, what: str) -> None:
        self.what = what
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int, total: int | None) -> None:
        if self.tty:
            if total:
                filled = int(self.WIDTH * min(done, total) / total)
                bar = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done:,}/{total:,}"
            else:
                bar = f"{done:,} filas"
            sys.stderr.write(f"\r{self.what}: {bar}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.tty:
            sys.stderr.write("\r\033[K")


def cmd_importar(args) -> int:
    if args.tipo == "opiniones" and args.ronda is None:
        raise UsageError("--ronda: obligatoria para las opiniones (1, 2, 3 o diaria)")
    # The reports belong to a four-month period, every other file to a cycle.
    que, valor = (("--periodo", args.periodo) if args.tipo == "declaraciones"
                  else ("--ciclo", args.ciclo))
    if valor is None:
        raise UsageError(f"{que}: obligatorio para «{args.tipo}»")
    at, ronda = parse_instant(args.at, "--at"), parse_ronda(args.ronda)
    with opened(args.db) as repo:
        antes = repo.vista()  # the plan's warnings are about the state the input arrives at
        progress = Progress(f"Leyendo {Path(args.archivo).name}")
        r = importar(repo, args.tipo, args.archivo, ciclo=valor, at=at, actor=args.actor,
                     ronda=ronda, completo=args.completo, motivo=args.motivo,
                     usuario=args.usuario, hoja=args.hoja, repetida=args.repetida,
                     retroactivo=args.retroactivo, ensayo=args.ensayo, progreso=progress)
        progress.close()
        # The same warnings with or without --ensayo; a file already recorded under another
        # date only with it (that check reads the file once more).
        avisos = previa.avisos(
            antes, args.tipo, ciclo=args.ciclo, at=at, ronda=ronda, retroactivo=args.retroactivo,
            leido=[Path(args.archivo).name, *r.notas],
            repetida=previa.ya_registrada(repo.store, args.tipo, args.archivo, args.hoja)
            if args.ensayo else ())
        if args.ensayo:
            print_ensayo(args, at, ronda, r, avisos)
            return 0 if r.aceptada else 1
        for text in format_respuesta(r):
            print(text)
        for aviso in avisos:
            print(f"repse: aviso: {aviso}", file=sys.stderr)
    if not r.aceptada:
        return 1
    print(f"Resumen: {cuantos(r.aceptadas, 'fila aceptada', 'filas aceptadas')}, "
          f"{cuantos(len(r.rechazos), 'rechazada', 'rechazadas')}, "
          f"{cuantos(len(r.avisos), 'aviso', 'avisos')}.")
    return 1 if r.rechazos else 0


def print_ensayo(args, at: datetime, ronda: Ronda | None, r: Respuesta,
                 avisos: list[str]) -> None:
    """What ``--ensayo`` prints: the input in words, the warnings and the engine's trial, as
    the TUI's confirmation shows them; nothing is recorded."""
    print("\n".join(previa.cabecera(args.tipo, ciclo=args.ciclo, at=at, archivo=args.archivo,
                                     ronda=ronda, completo=args.completo, motivo=args.motivo,
                                     hoja=args.hoja, retroactivo=args.retroactivo,
                                     usuario=args.usuario)))
    if args.tipo == "declaraciones":
        print(f"Periodo: {args.periodo}")
    if avisos:
        print("\nAVISOS:")
        print("\n".join(f"• {a}" for a in avisos))
    print()
    print("\n".join(previa.previa(r).lineas()))
    print("Nada se registró (--ensayo).")


def cmd_demo_datos(args) -> int:
    from ..core.demo import generar_demo

    ciclo = Ciclo.parse(args.ciclo) if args.ciclo else None
    resumen = generar_demo(args.contratistas, args.semilla, Path(args.dir), ciclo)
    print(resumen.texto())
    print("Los pasos del ciclo y la orden para cargar cada archivo: "
          f"{Path(args.dir) / 'LEEME.txt'}")
    return 0


def cmd_exportar(args) -> int:
    if (args.ciclo is None) == (args.periodo is None):
        raise UsageError("--ciclo o --periodo: uno de los dos (un ciclo, o las declaraciones "
                         "cuatrimestrales de un periodo)")
    with opened(args.db) as repo:
        vista = repo.vista()
        if args.periodo:
            files = exportar_declaraciones(vista, args.periodo, Path(args.dir),
                                           cargar_uma(args.uma) if args.uma else None)
        else:
            notificacion = parse_instant(args.notificacion, "--notificacion").date() \
                if args.notificacion else None
            progress = Progress("Exportando")
            ronda = parse_ronda(args.ronda)
            for aviso in avisos_exportar(vista, args.ciclo, ronda, notificacion):
                print(f"repse: aviso: {aviso}", file=sys.stderr)
            files = exportar(vista, args.ciclo, Path(args.dir), ronda=ronda,
                             notificacion=notificacion, progreso=progress)
            progress.close()
    print(f"Exportados {len(files):,} archivos:")
    print("\n".join(resumen(Path(args.dir), files)))
    print(f"{vista.ancla.leyenda()}; compruébela con «repse verificar {args.db} --ancla "
          f"{vista.ancla}»")
    return 0


def cmd_estadisticas(args) -> int:
    with opened(args.db) as repo:
        print(estadisticas_md(repo.vista(), args.ciclo), end="")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("importar", help="carga un archivo CSV o XLSX como una entrada",
                       description="Lee el padrón, las opiniones o la lista de RFC de un acto y "
                                   "lo registra como una entrada; informa cada fila rechazada "
                                   "con archivo, fila y motivo.")
    p.add_argument("tipo", choices=("padron", "opiniones", "exhorto", "inicio_cancelacion",
                                    "cancelacion", "cancelacion_impedida", "declaraciones"))
    p.add_argument("db", metavar="DB")
    p.add_argument("archivo", metavar="ARCHIVO")
    p.add_argument("--ciclo", help="AAAA-1 o AAAA-2 (todo archivo salvo las declaraciones)")
    p.add_argument("--periodo", help="AAAA-C1, AAAA-C2 o AAAA-C3 (declaraciones cuatrimestrales "
                                     "recibidas por el IMSS, LSS art. 15 A)")
    p.add_argument("--ronda", help="1, 2, 3 o diaria (opiniones)")
    p.add_argument("--completo", action="store_true",
                   help="el listado es completo: quien falta en él tiene opinión positiva")
    p.add_argument("--at", required=True, metavar="FECHA[THH:MM]",
                   help="cuándo ocurrió (hora de la Ciudad de México si no lleva desfase)")
    p.add_argument("--actor", choices=("imss", "stps", "gt"))
    p.add_argument("--motivo", help="motivo (cancelación impedida)")
    p.add_argument("--hoja", help="la hoja del libro XLSX que se lee (obligatoria si el libro "
                                  "tiene varias hojas con datos o alguna oculta)")
    p.add_argument("--repetida", action="store_true",
                   help="registra de nuevo, a propósito, un archivo ya registrado")
    p.add_argument("--retroactivo", action="store_true",
                   help="una entrada con fecha anterior al reloj: el estado se recalcula "
                        "desde su fecha y se informan los contratistas que cambian")
    p.add_argument("--usuario")
    p.add_argument("--ensayo", action="store_true",
                   help="no registra nada: muestra lo que haría la entrada (filas aceptadas y "
                        "rechazadas, opiniones, transiciones) y sus avisos; sale con 0 si se "
                        "aceptaría")
    p.set_defaults(func=cmd_importar)

    p = sub.add_parser("demo-datos", help="genera archivos de demostración de un ciclo")
    p.add_argument("--contratistas", type=int, default=150_000, metavar="N",
                   help="cuántos contratistas tiene el padrón (por omisión, 150,000)")
    p.add_argument("--semilla", type=int, default=1, metavar="S",
                   help="semilla del generador: la misma da los mismos archivos (por omisión, 1)")
    p.add_argument("--dir", required=True, metavar="CARPETA",
                   help="carpeta donde se escriben el padrón, las listas y LEEME.txt")
    p.add_argument("--ciclo", help="AAAA-1 o AAAA-2 (por omisión, 2026-1)")
    p.set_defaults(func=cmd_demo_datos)

    p = sub.add_parser("exportar", help="listados, exhortos, oficio, agenda y estadísticas; "
                                        "o los omisos de un periodo y el aviso a la STPS")
    p.add_argument("db", metavar="DB")
    p.add_argument("--ciclo")
    p.add_argument("--periodo", help="AAAA-Cn: los omisos de las declaraciones cuatrimestrales "
                                     "(LSS art. 15 A) con el rango de la multa, y el aviso a la "
                                     "STPS")
    p.add_argument("--uma", metavar="ARCHIVO",
                   help="archivo TOML de valores de la UMA que sustituye al incluido")
    p.add_argument("--ronda", help="1, 2, 3 o diaria")
    p.add_argument("--dir", required=True, metavar="CARPETA")
    p.add_argument("--notificacion", metavar="FECHA",
                   help="fecha de notificación de los exhortos, en o después de la fecha de "
                        "consulta (por omisión, la del exhorto registrado; sin él, la del plan)")
    p.set_defaults(func=cmd_exportar)

    p = sub.add_parser("estadisticas", help="estadísticas de un ciclo")
    p.add_argument("db", metavar="DB")
    p.add_argument("--ciclo", required=True)
    p.set_defaults(func=cmd_estadisticas)
