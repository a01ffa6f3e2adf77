"""``repse init | registrar | avanzar | estado | historial | agenda | rechazos | entradas |
verificar | replay``: the engine's command line, over the same API the Textual app uses."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import msgspec

from ..core.api import ORIGEN, EntradaRegistrada, Repositorio, Respuesta, replay_file, verificar
from ..core.errors import Rechazo
from ..core.etiquetas import (
    ACTOR,
    ENTRADA,
    ESTADO_OBLIGACION,
    EVENTO,
    OBLIGACION,
    OPINION,
    PLAZO,
    RESPONSABLE,
    cuantos,
    fecha_hora,
    momento,
    nombre_estado,
    numero,
)
from ..core.rfc import check_rfc
from ..core.vista import Ancla, Vista
from .texto import UsageError, now, parse_instant


def open_repo(path: str) -> Repositorio:
    return Repositorio.abrir(path, ahora=now)


@contextmanager
def opened(path: str) -> Iterator[Repositorio]:
    """The repository at ``path``; its snapshot is saved when the command ends. A Ctrl+C says
    whether the command had already recorded an input: one pressed while the answer is printed
    comes after the input was committed, and «interrumpido» alone would read as «nothing
    saved»."""
    repo = open_repo(path)
    for aviso in repo.avisos:
        print(f"repse: aviso: {aviso}", file=sys.stderr)
    antes = repo.store.last()[0]
    try:
        yield repo
    except KeyboardInterrupt:
        print(_lo_registrado(antes, repo.store.last()[0], path), file=sys.stderr)
        raise
    finally:
        repo.cerrar()


def _lo_registrado(antes: int, despues: int, path: str) -> str:
    if despues == antes:
        return "repse: no se registró nada: el almacén queda como estaba."
    cuales = (f"la entrada {numero(despues)} quedó registrada" if despues == antes + 1 else
              f"las entradas {numero(antes + 1)} a {numero(despues)} quedaron registradas")
    return (f"repse: {cuales} antes de la interrupción (véalas con «repse entradas {path}»; "
            "si no correspondía, anúlela).")


def contractor(vista: Vista, raw: str) -> str:
    """The RFC typed, normalised; a malformed or generic one, or one in no padrón, is said
    so."""
    check = check_rfc(raw)
    if check.error:
        raise UsageError(check.error if check.rfc in check.error else
                         f"{check.rfc}: {check.error}")
    if vista.posicion(check.rfc) is None:
        raise UsageError(f"{check.rfc}: no está en ningún padrón recibido")
    return check.rfc


def tabla(filas: list[tuple[str, ...]], derecha: frozenset[int] = frozenset()) -> list[str]:
    """``filas`` (the header first) as aligned columns; the columns in ``derecha`` (numbers)
    aligned to the right."""
    anchos = [max(len(f[i]) for f in filas) for i in range(len(filas[0]))]
    return ["  ".join(c.rjust(w) if i in derecha else c.ljust(w)
                      for i, (c, w) in enumerate(zip(fila, anchos, strict=True))).rstrip()
            for fila in filas]


def emit_json(obj: object) -> None:
    sys.stdout.write(msgspec.json.encode(obj).decode() + "\n")


def tipo_entrada(tipo: str | None) -> str:
    return ENTRADA.get(tipo, tipo) if tipo else "ilegible"


def format_rechazo(r: Rechazo) -> str:
    """``entrada 4, exhorto.csv, fila 9,003 (exhorto): RFC: motivo``."""
    where = ", ".join(x for x in (f"entrada {numero(r.linea)}", r.archivo,
                                  f"fila {numero(r.fila)}" if r.archivo and r.fila else None)
                      if x)
    rfc = f" {r.rfc}:" if r.rfc else ""
    return f"  {where} ({tipo_entrada(r.tipo)}):{rfc} {r.motivo}"


def format_respuesta(r: Respuesta) -> list[str]:
    """The answer to one input, as ``registrar``, ``avanzar`` and ``importar`` print it."""
    head = f"Entrada {numero(r.numero)} ({tipo_entrada(r.tipo)}): "
    if not r.aceptada:
        return [head + f"RECHAZADA — {r.motivo}", *map(format_rechazo, r.rechazos)]
    lines = [head + f"aceptada — {cuantos(r.aceptadas, 'fila aceptada', 'filas aceptadas')}, "
             f"{cuantos(len(r.rechazos), 'fila rechazada', 'filas rechazadas')}, "
             f"{cuantos(r.transiciones, 'transición', 'transiciones')}"]
    lines += [f"  leído: {n}" for n in r.notas]
    lines += [f"  {EVENTO.get(d.evento, d.evento)} ({d.ciclo or 'registro'}): "
              f"{numero(d.contratistas)}" for d in r.disparos]
    lines += [format_rechazo(x) for x in r.rechazos]
    lines += [f"  aviso: {a.descripcion()}" for a in r.avisos]
    if r.cambios:
        lines.append(f"  Cambios por recálculo: "
                     f"{cuantos(len(r.cambios), 'contratista', 'contratistas')}")
        lines += [f"    {c.rfc}: {nombre_estado(c.antes)} → {nombre_estado(c.despues)}"
                  for c in r.cambios[:50]]
        if len(r.cambios) > 50:
            lines.append(f"    … y {numero(len(r.cambios) - 50)} más")
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
    print(f"{cuantos(refused, 'rechazo', 'rechazos')}." if refused else "Sin rechazos.")
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
                print("\n".join(ficha(vista, rfc)))
            return 0
        if args.json:
            emit_json(repo.estado())
            return 0
        tipo = "simulación" if repo.simulacion else "operación"
        # A new store's clock sits at the calendar's origin (2000-01-01): not a date of its own.
        reloj = momento(vista.reloj) if vista.reloj and vista.reloj > ORIGEN else \
            "sin fecha aún (ninguna entrada fechada)"
        print(f"Reloj: {reloj} (almacén de {tipo})")
        if not vista.ciclos:
            print("Ningún padrón recibido: importe el de un ciclo con «repse importar padron».")
        for nombre in vista.ciclos:
            conteos = vista.conteos(nombre)
            total = sum(conteos.values())
            print(f"Ciclo {nombre}: {cuantos(total, 'expediente', 'expedientes')}")
            filas = [(nombre_estado(e), numero(n)) for e, n in conteos.items() if n]
            print("\n".join(f"  {x}" for x in tabla([("Estado", "Expedientes"), *filas],
                                                    frozenset({1}))))
        return 0


def ficha(vista: Vista, rfc: str) -> list[str]:
    """One contractor, as ``repse estado RFC`` prints it."""
    st = vista.estado(rfc)
    quien = vista.contratista(rfc)
    lines = [f"{rfc} — {quien.razon_social} (folio {quien.folio})",
             f"  Expediente: {nombre_estado(st.estado)} (ciclo {st.ciclo or '—'})"]
    for e in vista.ficha(rfc).expedientes[:-1]:  # the earlier cycles, oldest first
        abierto = "" if e.final else " — sigue abierto"
        lines.append(f"  Expediente del ciclo {e.ciclo}: {nombre_estado(e.estado)}{abierto}")
    lines.append(f"  Última opinión: {OPINION.get(st.opinion, st.opinion) if st.opinion else '—'}")
    lines.append(f"  Registro: {nombre_estado(st.registro)}")
    if st.proximo_plazo:
        p = st.proximo_plazo
        lines.append(f"  Próximo plazo: {PLAZO.get(p.plazo, p.plazo)}, {p.fecha:%d-%m-%Y}")
    return lines


def cmd_historial(args) -> int:
    with opened(args.db) as repo:
        vista = repo.vista()
        rfc = contractor(vista, args.rfc)
        steps = vista.historial(rfc)
        if args.json:
            emit_json(steps)
            return 0
        print(f"Historial de {rfc} — {vista.contratista(rfc).razon_social}")
        filas = tabla([("Fecha", "Entrada", "Actor", "Evento", "Ciclo", "Cambio"), *(
            (fecha_hora(s.at), f"#{numero(s.entrada)}", ACTOR.get(s.actor, s.actor),
             EVENTO.get(s.evento, s.evento), s.ciclo or "registro",
             f"{nombre_estado(s.desde)} → {nombre_estado(s.hacia)}" if s.desde
             else "(sin cambio de estado)")
            for s in steps)])
        print(filas[0])
        sangria = " " * len("26-01-2026 09:00  ")  # under the input's number
        for linea, s in zip(filas[1:], steps, strict=True):
            print(linea)
            print(f"{sangria}{s.fundamento}")
            if s.nota:
                print(f"{sangria}«{s.nota}»")
        return 0


def cmd_agenda(args) -> int:
    with opened(args.db) as repo:
        agenda = repo.vista().agenda()
        if args.json:
            emit_json(agenda)
            return 0
        filas = [("Límite", "Ciclo", "Responsable", "Obligación", "Contratistas", "Pendientes",
                  "Estado", "Cumplida el"), *(
            (fecha_hora(o.limite), o.ciclo, RESPONSABLE[o.responsable],
             OBLIGACION.get(o.clave, o.clave), numero(o.contratistas), numero(o.pendientes),
             ESTADO_OBLIGACION[o.estado], fecha_hora(o.cumplida_en)) for o in agenda)]
        print("\n".join(tabla(filas, frozenset({4, 5}))))
        return 0


def cmd_rechazos(args) -> int:
    with opened(args.db) as repo:
        rows = repo.rechazos()
        if args.json:
            emit_json(rows)
            return 0
        for r in rows:
            print(format_rechazo(r).strip())
        print(f"{cuantos(len(rows), 'rechazo', 'rechazos')}.")
        return 0


ENTRADAS_COLUMNAS = ("Núm.", "Tipo", "Ciclo", "Fecha", "Actor", "Usuario", "Aceptada",
                     "Aceptadas", "Rechazadas", "Anulada por", "Archivo", "Hash")
_A_LA_DERECHA = frozenset({0, 7, 8, 9})  # numbers


def _fila_entrada(e: EntradaRegistrada) -> tuple[str, ...]:
    return (numero(e.numero), tipo_entrada(e.tipo), e.ciclo or "—", fecha_hora(e.at),
            RESPONSABLE.get(e.actor or "", "—"), e.usuario or "—", "sí" if e.aceptada else "no",
            numero(e.aceptadas), numero(e.rechazadas), numero(e.anulada) if e.anulada else "—",
            e.archivo or "—", e.hash)


def cmd_entradas(args) -> int:
    with opened(args.db) as repo:
        entradas = repo.entradas()
    if args.json:
        emit_json(entradas)
        return 0
    print("\n".join(tabla([ENTRADAS_COLUMNAS, *map(_fila_entrada, entradas)], _A_LA_DERECHA)))
    aceptadas = sum(e.aceptada for e in entradas)
    anuladas = sum(e.anulada is not None for e in entradas)
    print(f"{cuantos(len(entradas), 'entrada', 'entradas')}: "
          f"{cuantos(aceptadas, 'aceptada', 'aceptadas')} "
          f"({cuantos(anuladas, 'anulada', 'anuladas')}), "
          f"{cuantos(len(entradas) - aceptadas, 'rechazada', 'rechazadas')}.")
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
        print(f"Cadena de hashes íntegra: "
              f"{cuantos(v.entradas, 'entrada verificada', 'entradas verificadas')}.")
    if not v.modo:
        print("Modo del almacén: conforme a su cadena.")
    if args.ancla and not v.anclas:
        numeros = ", ".join(numero(a.numero) for a in args.ancla)
        cual = "la entrada" if len(args.ancla) == 1 else "las entradas"
        print(f"Anclas conformes: el registro conserva con su hash {cual} {numeros}.")
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
        print(f"Reloj: {momento(state.reloj)}; "
              f"{cuantos(len(state.contratistas), 'contratista', 'contratistas')}; "
              f"{cuantos(state.transiciones, 'transición', 'transiciones')}; "
              f"{cuantos(len(state.rechazos), 'rechazo', 'rechazos')}.")
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
