"""The ``repse`` command line: a thin shell over ``repse.core``. Messages in Spanish.

Errors a user can cause (a bad cycle, an unreadable calendar file) end in one Spanish line on
stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date

import msgspec

from ..core import Calendarios, Ciclo, RepseError, calendarios, plan_ciclo
from ..core.calendars import AUTORIDAD_NOMBRE
from ..core.cycle import DIAS_SEMANA, fecha_corta, format_plan, pasos
from ..core.declaraciones import vencimientos
from . import (
    cmd_documentos,
    cmd_files,
    cmd_servidor,
    cmd_specs,
    cmd_store,
    cmd_tui,
    spanish_argparse,
)
from .texto import UsageError, now

spanish_argparse.install()


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        self.exit(2, f"repse: error: {message}\n")


def parse_date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{what}: fecha no válida «{text}» (se espera AAAA-MM-DD)") from None


def today() -> date:
    """Today in Mexico City. The CLI may read the wall clock; the core never does."""
    return now().date()


def emit_json(obj: object) -> None:
    sys.stdout.write(msgspec.json.encode(obj).decode() + "\n")


# --------------------------------------------------------------------------------------------
def cmd_plan(args: argparse.Namespace) -> int:
    cals = calendarios(args.calendario)
    if args.declaraciones is not None:
        return _plan_declaraciones(args.declaraciones, cals, args.json)
    hoy = parse_date(args.hoy, "--hoy") if args.hoy else today()
    ciclo = Ciclo.parse(args.ciclo) if args.ciclo else Ciclo.proximo(hoy)
    d0 = (parse_date(args.fecha_consulta, "--fecha-consulta") if args.fecha_consulta
          else None)
    exhorto = parse_date(args.exhorto, "--exhorto") if args.exhorto else None
    inicio = (parse_date(args.inicio_cancelacion, "--inicio-cancelacion")
              if args.inicio_cancelacion else None)
    plan = plan_ciclo(ciclo, cals, fecha_consulta=d0, exhorto=exhorto, inicio_cancelacion=inicio)
    if args.json:
        emit_json(plan)
    else:
        filas = pasos(plan, cals, exhorto_supuesto=exhorto is None,
                      inicio_supuesto=inicio is None)
        print(format_plan(plan, filas))
    return 0


def _plan_declaraciones(anio: int, cals: Calendarios, como_json: bool) -> int:
    filas = vencimientos(anio, cals)
    if como_json:
        emit_json(filas)
        return 0
    print(f"Declaraciones cuatrimestrales de contratos que vencen en {anio} (LSS art. 15 A; "
          "calendario del IMSS)")
    print()
    for v in filas:
        print(f"{v.periodo}  contratos del {fecha_corta(v.desde)} al {fecha_corta(v.hasta)}  "
              f"vence {fecha_corta(v.vence)} (fin del día)  {v.fundamento}")
    for a in cals.avisos_sin_datos([v.vence.year for v in filas], ("imss",)):
        print(f"Aviso: {a}")
    return 0


def cmd_calendario(args: argparse.Namespace) -> int:
    if args.autoridad not in ("imss", "stps", "conjunto"):
        raise UsageError(f"--autoridad: «{args.autoridad}» no válida (imss, stps o conjunto)")
    if not 1900 <= args.anio <= 2200:
        raise UsageError(f"--anio: año fuera de rango: {args.anio}")
    cals: Calendarios = calendarios(args.calendario)
    cal = cals.calendario(args.autoridad, args.procedimiento)
    days = cal.inhabiles_entre_semana(args.anio)
    avisos = cals.avisos_sin_datos([args.anio], cal.autoridades)
    if args.json:
        emit_json([{"fecha": d, "autoridad": args.autoridad, "motivo": "; ".join(m)}
                   for d, m in days])
        for a in avisos:
            print(f"aviso: {a}", file=sys.stderr)
        return 0
    print(f"Días inhábiles entre semana de {args.anio} — calendario "
          f"{AUTORIDAD_NOMBRE[args.autoridad]} (procedimiento: {args.procedimiento})")
    print()
    for d, motivos in days:
        print(f"{d:%Y-%m-%d}  {DIAS_SEMANA[d.weekday()]}  {'; '.join(motivos)}")
    if not days:
        print("(ninguno)")
    print()
    print(f"{len(days)} días inhábiles entre semana, además de sábados y domingos.")
    for a in avisos:
        print(f"Aviso: {a}")
    return 0


# --------------------------------------------------------------------------------------------
def build_parser() -> Parser:
    parser = Parser(prog="repse", description="Ciclo REPSE del grupo de trabajo IMSS–STPS.")
    sub = parser.add_subparsers(dest="orden", metavar="ORDEN", parser_class=Parser)
    sub.required = True

    p = sub.add_parser("plan", help="fechas y plazos de un ciclo semestral",
                       description="Fechas, cortes y plazos de un ciclo (numerales 1 a 7).")
    p.add_argument("--ciclo", help="AAAA-1 (enero) o AAAA-2 (julio); por omisión, el próximo")
    p.add_argument("--fecha-consulta", metavar="FECHA",
                   help="fecha de consulta (D0) movida por un criterio del GT (numeral 8); por "
                        "omisión, el último lunes de enero o julio")
    p.add_argument("--exhorto", metavar="FECHA",
                   help="fecha de notificación del exhorto; por omisión, el último día permitido")
    p.add_argument("--inicio-cancelacion", metavar="FECHA",
                   help="inicio del procedimiento de cancelación; por omisión, la segunda consulta")
    p.add_argument("--calendario", metavar="ARCHIVO",
                   help="archivo TOML de cierres que sustituye al incluido")
    p.add_argument("--hoy", metavar="FECHA", help="fecha de hoy (para pruebas)")
    p.add_argument("--declaraciones", type=_int("--declaraciones"), metavar="AAAA",
                   help="en lugar del ciclo, los vencimientos de las declaraciones "
                        "cuatrimestrales de contratos (LSS art. 15 A) que caen en ese año")
    p.add_argument("--json", action="store_true", help="un objeto JSON en lugar de la tabla")
    p.set_defaults(func=cmd_plan)

    c = sub.add_parser("calendario", help="días inhábiles de un año y su motivo",
                       description="Días inhábiles entre semana de un año, con su motivo o "
                                   "fuente en el DOF.")
    c.add_argument("--anio", type=_int("--anio"), required=True, metavar="AAAA")
    c.add_argument("--autoridad", default="conjunto", metavar="imss|stps|conjunto",
                   help="calendario a mostrar (por omisión, conjunto)")
    c.add_argument("--procedimiento", default="mecanismo",
                   choices=("mecanismo", "cancelacion", "renovacion"),
                   help="procedimiento para el que se aplican las excepciones de los cierres")
    c.add_argument("--calendario", metavar="ARCHIVO",
                   help="archivo TOML de cierres que sustituye al incluido")
    c.add_argument("--json", action="store_true", help="lista JSON de {fecha, autoridad, motivo}")
    c.set_defaults(func=cmd_calendario)
    cmd_specs.register(sub)
    cmd_store.register(sub)
    cmd_files.register(sub)
    cmd_tui.register(sub)
    cmd_servidor.register(sub)
    cmd_documentos.register(sub)
    return parser


def _int(what: str) -> Callable[[str], int]:
    def convert(text: str) -> int:
        try:
            return int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"número no válido «{text}»") from None
    convert.__name__ = what
    return convert


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except RepseError as exc:
        print(f"repse: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("repse: interrumpido", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the output went to a pager or `head` that stopped reading
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
