"""``repse init | registrar | avanzar | estado | historial | agenda | rechazos | entradas |
verificar | replay``: the engine's command line, over the same API the Textual app uses."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import msgspec

from ..core.api import EntradaRegistrada, Repositorio, Respuesta, replay_file, verificar
from ..core.errors import Rechazo
from ..core.etiquetas import ESTADO_OBLIGACION, RESPONSABLE
from ..core.vista import Ancla, Vista
from .texto import UsageError, now, parse_instant


def open_repo(path: str) -> Repositorio:
    return Repositorio.abrir(path, ahora=now)


@contextmanager
def opened(path: str) -> Iterator[Repositorio]:
    """The repository at ``path``; its snapshot is saved when the command ends."""
    repo = open_repo(path)
    for aviso in repo.avisos:
        print(f"repse: aviso: {aviso}", file=sys.stderr)
    try:
        yield repo
    finally:
        repo.cerrar()


def contractor(vista: Vista, raw: str) -> str:
    rfc = raw.strip().upper()
    if vista.posicion(rfc) is None:
        raise UsageError(f"{rfc}: no está en ningún padrón recibido")
    return rfc


def emit_json(obj: object) -> None:
    sys.stdout.write(msgspec.json.encode(obj).decode() + "\n")


def format_rechazo(r: Rechazo) -> str:
    """``entrada 4, exhorto.csv, fila 9003 (exhorto): RFC: motivo``."""
    where = ", ".join(x for x in (f"entrada {r.linea}", r.archivo,
                                  f"fila {r.fila}" if r.archivo and r.fila else None) if x)
    rfc = f" {r.rfc}:" if r.rfc else ""
    return f"  {where} ({r.tipo}):{rfc} {r.motivo}"


def format_respuesta(r: Respuesta) -> list[str]:
    head = f"Entrada {r.numero} ({r.tipo or 'ilegible'}): "
    if not r.aceptada:
        return [head + f"RECHAZADA — {r.motivo}", *map(format_rechazo, r.rechazos)]
    lines = [head + f"aceptada — {r.aceptadas} aceptadas, {len(r.rechazos)} filas rechazadas, "
             f"{r.transiciones} transiciones"]
    lines += [f"  leído: {n}" for n in r.notas]
    lines += [f"  {d.evento} ({d.ciclo or 'registro'}): {d.contratistas}" for d in r.disparos]
    lines += [format_rechazo(x) for x in r.rechazos]
    lines += [f"  aviso: {a.descripcion()}" for a in r.avisos]
    if r.cambios:
        lines.append(f"  Cambios por recálculo: {len(r.cambios)} contratistas")
        lines += [f"    {c.rfc}: {c.antes or '—'} → {c.despues or '—'}" for c in r.cambios[:50]]
        if len(r.cambios) > 50:
            lines.append(f"    … y {len(r.cambios) - 50} más")
    return lines


# --------------------------------------------------------------------------------------------
def cmd_init(args) -> int:
    repo = Repositorio.crear(args.db, calendario=args.calendario, simulacion=args.simulacion,
                             ahora=now)
    kind = "simulación" if args.simulacion else "operación"
    print(f"Almacén de {kind} creado: {args.db}")
    print(f"Entrada 1: calendario vigente ({len(repo.vista().calendario.datos.cierre)} cierres, "
          f"{args.calendario or 'datos incluidos'}).")
    repo.cerrar()
    return 0


def cmd_registrar(args) -> int:
    if not Path(args.archivo).is_file():
        raise UsageError(f"{args.archivo}: el archivo no existe")
    refused = 0
    answers = []
    with opened(args.db) as repo, Path(args.archivo).open("rb") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            r = repo.registrar_linea(line.rstrip(b"\r\n"),
                                     archivo=f"{args.archivo}, línea {number}")
            refused += (not r.aceptada) + len(r.rechazos)
            if args.json:
                answers.append(r)
                continue
            for text in format_respuesta(r):
                print(text)
    if args.json:
        emit_json(answers)
        return 1 if refused else 0
    print(f"{refused} rechazos." if refused else "Sin rechazos.")
    return 1 if refused else 0


def cmd_avanzar(args) -> int:
    with opened(args.db) as repo:
        r = repo.avanzar(parse_instant(args.hasta, "--hasta"), usuario=args.usuario)
        if args.json:
            emit_json(r)
        else:
            for text in format_respuesta(r):
                print(text)
    return 0 if r.aceptada else 1


def cmd_estado(args) -> int:
    with opened(args.db) as repo:
        vista = repo.vista()
        if args.rfc:
            rfc = contractor(vista, args.rfc)
            st = vista.estado(rfc)
            if args.json:
                emit_json(st)
            else:
                quien = vista.contratista(rfc)
                print(f"{rfc} — {quien.razon_social} (folio {quien.folio})")
                print(f"  Expediente: {st.estado or '—'} (ciclo {st.ciclo or '—'})")
                for e in vista.ficha(rfc).expedientes[:-1]:  # the earlier cycles, oldest first
                    abierto = "" if e.final else " — sigue abierto"
                    print(f"  Expediente del ciclo {e.ciclo}: {e.estado}{abierto}")
                print(f"  Última opinión: {st.opinion or '—'}")
                print(f"  Registro: {st.registro}")
                if st.proximo_plazo:
                    print(f"  Próximo plazo: {st.proximo_plazo.plazo} "
                          f"{st.proximo_plazo.fecha:%d-%m-%Y}")
            return 0
        if args.json:
            emit_json(repo.estado())
            return 0
        print(f"Reloj: {vista.reloj:%Y-%m-%d %H:%M} "
              f"({'simulación' if repo.simulacion else 'operación'})")
        for nombre in vista.ciclos:
            conteos = vista.conteos(nombre)
            print(f"Ciclo {nombre}: {sum(conteos.values())} expedientes")
            for estado, n in conteos.items():
                if n:
                    print(f"  {estado:<26} {n:>9}")
        return 0


def cmd_historial(args) -> int:
    with opened(args.db) as repo:
        vista = repo.vista()
        rfc = contractor(vista, args.rfc)
        steps = vista.historial(rfc)
        if args.json:
            emit_json(steps)
            return 0
        print(f"Historial de {rfc} — {vista.contratista(rfc).razon_social}")
        for s in steps:
            change = f"{s.desde} → {s.hacia}" if s.desde else "(sin cambio de estado)"
            print(f"{s.at:%Y-%m-%d %H:%M}  #{s.entrada:<5} {s.actor:<10} {s.evento:<26} "
                  f"{s.ciclo or 'registro':<8} {change}")
            print(f"{'':<18} {s.fundamento}")
            if s.nota:
                print(f"{'':<18} «{s.nota}»")
        return 0


def cmd_agenda(args) -> int:
    with opened(args.db) as repo:
        agenda = repo.vista().agenda()
        if args.json:
            emit_json(agenda)
            return 0
        print(f"{'Límite':<17} {'Ciclo':<7} {'Responsable':<11} {'Obligación':<22} Estado")
        for o in agenda:
            done = f" ({o.cumplida_en:%Y-%m-%d %H:%M})" if o.cumplida_en else ""
            extra = f" — {o.pendientes} de {o.contratistas} pendientes" if o.pendientes else ""
            print(f"{o.limite:%Y-%m-%d %H:%M} {o.ciclo:<7} {RESPONSABLE[o.responsable]:<11} "
                  f"{o.clave:<22} {ESTADO_OBLIGACION[o.estado]}{done}{extra}")
        return 0


def cmd_rechazos(args) -> int:
    with opened(args.db) as repo:
        rows = repo.rechazos()
        if args.json:
            emit_json(rows)
            return 0
        for r in rows:
            print(format_rechazo(r).strip())
        print(f"{len(rows)} rechazos.")
        return 0


ENTRADAS_COLUMNAS = ("Núm.", "Tipo", "Ciclo", "Fecha", "Actor", "Usuario", "Aceptada",
                     "Aceptadas", "Rechazadas", "Anulada por", "Archivo", "Hash")
_A_LA_DERECHA = {0, 7, 8, 9}  # numbers


def _fila_entrada(e: EntradaRegistrada) -> tuple[str, ...]:
    return (f"{e.numero:,}", e.tipo or "ilegible", e.ciclo or "—",
            f"{e.at:%Y-%m-%d %H:%M}" if e.at else "—", RESPONSABLE.get(e.actor or "", "—"),
            e.usuario or "—", "sí" if e.aceptada else "no", f"{e.aceptadas:,}",
            f"{e.rechazadas:,}", f"{e.anulada:,}" if e.anulada else "—", e.archivo or "—",
            e.hash)


def cmd_entradas(args) -> int:
    with opened(args.db) as repo:
        entradas = repo.entradas()
    if args.json:
        emit_json(entradas)
        return 0
    filas = [ENTRADAS_COLUMNAS, *(_fila_entrada(e) for e in entradas)]
    anchos = [max(len(f[i]) for f in filas) for i in range(len(ENTRADAS_COLUMNAS))]
    for fila in filas:
        print("  ".join(c.rjust(w) if i in _A_LA_DERECHA else c.ljust(w)
                        for i, (c, w) in enumerate(zip(fila, anchos, strict=True))).rstrip())
    aceptadas = sum(e.aceptada for e in entradas)
    anuladas = sum(e.anulada is not None for e in entradas)
    print(f"{len(entradas):,} entradas: {aceptadas:,} aceptadas ({anuladas:,} anuladas), "
          f"{len(entradas) - aceptadas:,} rechazadas.")
    return 0


def _ancla(texto: str) -> Ancla:
    try:
        return Ancla.parse(texto)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def cmd_verificar(args) -> int:
    v = verificar(args.db, args.ancla)
    for p in v.problemas:
        print(f"repse: verificación fallida: {p}", file=sys.stderr)
    if not v.cadena:
        print(f"Cadena de hashes íntegra: {v.entradas} entradas verificadas.")
    if not v.modo:
        print("Modo del almacén: conforme a su cadena.")
    if args.ancla and not v.anclas:
        numeros = ", ".join(str(a.numero) for a in args.ancla)
        print(f"Anclas conformes: el registro conserva con su hash la entrada {numeros}.")
    if not v.instantanea:
        print("Instantánea del estado: conforme al registro de entradas (o ninguna).")
    return 1 if v.problemas else 0


def cmd_replay(args) -> int:
    if not Path(args.archivo).exists():
        raise UsageError(f"{args.archivo}: el archivo no existe")
    state = replay_file(args.archivo, calendario=args.calendario)
    if args.json:
        emit_json(state)
    else:
        print(f"Reloj: {state.reloj:%Y-%m-%d %H:%M}; {len(state.contratistas)} contratistas; "
              f"{state.transiciones} transiciones; {len(state.rechazos)} rechazos.")
        for r in state.rechazos:
            print(format_rechazo(r).strip())
    return 0


def opciones_de_almacen_nuevo(p: argparse.ArgumentParser) -> None:
    """What a new store is created with, on a file (``init``) or a server (``servidor
    preparar``)."""
    p.add_argument("--calendario", metavar="ARCHIVO", help="cierres que sustituyen al incluido")
    p.add_argument("--simulacion", action="store_true",
                   help="almacén de simulación: el reloj puede pasar del presente (ensayos)")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="crea un almacén de entradas")
    p.add_argument("db", metavar="DB")
    opciones_de_almacen_nuevo(p)
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("registrar", help="agrega entradas desde un archivo JSON Lines")
    p.add_argument("db", metavar="DB")
    p.add_argument("archivo", metavar="ARCHIVO.jsonl")
    p.add_argument("--json", action="store_true", help="una lista JSON con la respuesta a cada "
                   "entrada")
    p.set_defaults(func=cmd_registrar)

    p = sub.add_parser("avanzar", help="avanza el reloj y dispara los plazos vencidos")
    p.add_argument("db", metavar="DB")
    p.add_argument("--hasta", required=True, metavar="FECHA[THH:MM]")
    p.add_argument("--usuario")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_avanzar)

    p = sub.add_parser("estado", help="estado del padrón o de un contratista")
    p.add_argument("db", metavar="DB")
    p.add_argument("rfc", nargs="?", metavar="RFC")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_estado)

    p = sub.add_parser("historial", help="historial de un contratista con su fundamento")
    p.add_argument("db", metavar="DB")
    p.add_argument("rfc", metavar="RFC")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_historial)

    p = sub.add_parser("agenda", help="obligaciones de cada institución y su estado")
    p.add_argument("db", metavar="DB")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_agenda)

    p = sub.add_parser("rechazos", help="entradas y filas rechazadas, con su motivo")
    p.add_argument("db", metavar="DB")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_rechazos)

    p = sub.add_parser("entradas", help="todas las entradas del registro: quién, cuándo, "
                       "qué se aceptó y su hash")
    p.add_argument("db", metavar="DB")
    p.add_argument("--json", action="store_true", help="una lista JSON de las entradas")
    p.set_defaults(func=cmd_entradas)

    p = sub.add_parser("verificar", help="comprueba la cadena de hashes del almacén")
    p.add_argument("db", metavar="DB")
    p.add_argument("--ancla", action="append", default=[], type=_ancla, metavar="NUMERO:HASH",
                   help="el ancla impresa en un listado, carta u oficio: el registro debe "
                   "conservar esa entrada con ese hash (repetible)")
    p.set_defaults(func=cmd_verificar)

    p = sub.add_parser("replay", help="ejecuta un archivo JSON Lines en memoria")
    p.add_argument("archivo", metavar="ARCHIVO.jsonl")
    p.add_argument("--calendario", metavar="ARCHIVO")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_replay)
