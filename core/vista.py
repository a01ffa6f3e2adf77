"""The read model: what every screen, list, export and command reads, as of one version of the
log.

A :class:`Vista` is built by the repository after each input it applies (``Repositorio.vista()``)
from a frozen copy of the engine's state: once handed out nothing changes it (its arrays are
read-only), so the Textual UI thread can read it while the repository thread applies the next
input. Everything in it is keyed by RFC; a padrón row's position (``fila``) is only an index
into this one Vista, used by tables that render 150,000 rows on demand.

This is the only module outside the engine that reads the engine's columns. The shells (the CLI
and the Textual app) and the exports read only this module, the API, the input types and the
errors: never the engine or the store.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cached_property

import msgspec
import numpy as np

from .calendars import Calendarios
from .cycle import HORA_LISTADO_INICIAL, HORA_LISTADOS, HORA_PADRON, Ciclo, fecha_corta
from .declaraciones import Periodo
from .errors import Rechazo, RepseError
from .inputs import Membrete
from .lifecycle import Expediente
from .motor import (
    COLUMNAS_DECLARACION,
    COLUMNAS_REGISTRO,
    EXP,
    EXP_FINAL,
    NO_DEBE,
    OPINIONES,
    CicloEstado,
    Engine,
    instant,
    tabla_de,
)
from .plazos import MX, cutoff, next_habil_day
from .table import DECLARACION, EXPEDIENTE, REGISTRO

SIN_OPINION_AUN = "ninguna"  # the opinion filter for "no opinion received yet"
SIN_ESTADO = -1  # a contractor no cycle's padrón includes (only its registration is known)
ESTADOS_OBLIGACION = ("pendiente", "cumplida", "extemporanea", "vencida")
CLAVES = ("padron", "listado_inicial", "exhorto", "listado_segunda", "listado_tercera",
          "cancelacion", "actualizacion_diaria", "declaracion", "informe_stps")
class CicloNoAbierto(RepseError):
    """A cycle asked for whose padrón has not been received."""


class PeriodoNoSeguido(RepseError):
    """A period asked for whose reports are not followed (before the first padrón, or not
    begun)."""


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------
class Obligacion(msgspec.Struct, frozen=True):
    """One obligation of one institution: per cycle, key and due date (an obligation's status
    rule)."""

    ciclo: str
    clave: str
    responsable: str
    limite: datetime
    estado: str
    cumplida_en: datetime | None
    contratistas: int = 0  # how many contractors it concerns (the padrón's rows, a universe)
    pendientes: int = 0  # of those, how many the act has not reached yet


class ProximoPlazo(msgspec.Struct, frozen=True):
    plazo: str
    fecha: date


class ExpedienteCiclo(msgspec.Struct, frozen=True):
    """One procedure of a contractor: its cycle and state."""

    ciclo: str
    estado: str


class DeclaracionPeriodo(msgspec.Struct, frozen=True):
    """One four-monthly report a contractor owes (LSS art. 15 A): its period and state."""

    periodo: str
    estado: str


class EstadoContratista(msgspec.Struct, frozen=True):
    """A contractor's displayed state: ``estado``, ``ciclo`` and ``opinion`` are its latest
    cycle's; ``expedientes`` every procedure of every cycle, oldest first; ``declaraciones``
    every period's report it owes, oldest first."""

    estado: str | None
    ciclo: str | None
    opinion: str | None
    registro: str
    proximo_plazo: ProximoPlazo | None
    expedientes: tuple[ExpedienteCiclo, ...] = ()
    declaraciones: tuple[DeclaracionPeriodo, ...] = ()


class Paso(msgspec.Struct, frozen=True):
    """One line of a contractor's history."""

    at: datetime
    entrada: int
    evento: str
    actor: str
    ciclo: str | None
    carta: str  # expediente | registro | declaracion | nota
    desde: str | None
    hacia: str | None
    fundamento: str
    nota: str = ""


class Estadisticas(msgspec.Struct, frozen=True):
    ciclo: str
    padron: int
    negativa: int
    sin_opinion: int
    exhortados: int
    regularizados_ronda2: int
    regularizados_ronda3: int
    regularizados_diaria: int
    cancelados: int  # by the mechanism (numeral 6)
    concluidos_sin_registro: int  # the registration ended: lapsed or cancelled outside
    suspendidos: int
    excluidos: int
    por_estado: dict[str, int]


class ResumenPeriodo(msgspec.Struct, frozen=True):
    """The reports of one period (LSS art. 15 A): its due date, how many owe it, per state."""

    periodo: str
    vence: date
    deben: int
    por_estado: dict[str, int]


class Incumplimiento(msgspec.Struct, frozen=True):
    """A contractor that did not file a period's report in time (LSS art. 304 A, fr. XXII):
    its report's state, the day it filed late (if it did), the fine imposed in UMA (if any)."""

    rfc: str
    razon_social: str
    folio: str
    correo: str | None
    estado: str
    presentada: date | None
    umas: int | None


INCUMPLIDAS = ("omisa", "extemporanea", "multada", "informada")
"""The report states of a breach."""


class EstadoJSON(msgspec.Struct):
    """What ``repse replay --json`` and ``repse estado --json`` print."""

    reloj: datetime
    contratistas: dict[str, EstadoContratista]
    obligaciones: list[Obligacion]
    rechazos: list[Rechazo]
    transiciones: int


_ANCLA = re.compile(r"\s*(\d+):([0-9a-fA-F]{64})\s*")


class Ancla(msgspec.Struct, frozen=True):
    """The last input of the log a Vista reflects: its number and its hash in the chain.
    Every export prints it (``NUMERO:HASH``), so that ``repse verificar --ancla`` can check a
    log against paper."""

    numero: int
    hash: str

    def __str__(self) -> str:
        return f"{self.numero}:{self.hash}"

    def leyenda(self) -> str:
        """The line exports print."""
        return (f"Ancla del registro de entradas: {self} (refleja hasta la entrada "
                f"{self.numero:,})")

    @classmethod
    def parse(cls, texto: str) -> Ancla:
        m = _ANCLA.fullmatch(texto)
        if m is None:
            raise ValueError(f"ancla no válida «{texto}»: se espera NUMERO:HASH (el número de "
                             "la entrada y sus 64 dígitos hexadecimales)")
        return cls(int(m[1]), m[2].lower())


@dataclass(frozen=True)
class FilaPadron:
    """One line of the padrón table."""

    rfc: str
    razon_social: str
    ciclo: str | None  # the cycle whose procedure is shown (the latest); None: no cycle
    estado: str | None
    opinion: str | None
    proximo_plazo: ProximoPlazo | None
    anterior_abierto: bool = False  # a procedure of an earlier cycle is still open


@dataclass(frozen=True)
class Contratista:
    """A contractor's registration data, as its latest padrón gave it."""

    rfc: str
    razon_social: str
    folio: str
    correo: str | None
    domicilio: str | None


@dataclass(frozen=True)
class Exhortado:
    """A contractor an exhorto letter goes to, with its round-1 opinion."""

    rfc: str
    razon_social: str
    folio: str
    correo: str | None
    domicilio: str | None
    opinion: str  # negativa | sin_opinion


@dataclass(frozen=True)
class Movimiento:
    """One event fired for many contractors by one input: the tablero's latest transitions."""

    at: datetime
    entrada: int
    ciclo: str | None
    evento: str
    contratistas: int
    pasos: tuple[tuple[str, str, int], ...]  # (from, to, how many), most frequent first


@dataclass(frozen=True)
class FichaExpediente:
    """One procedure of one contractor: its cycle, state, opinion, running plazo and the
    inputs it can take now."""

    ciclo: str
    estado: str
    opinion: str | None
    final: bool
    plazo: ProximoPlazo | None
    admite: tuple[tuple[str, str], ...]  # (event, input tipo) the chart allows now


@dataclass(frozen=True)
class Ficha:
    """One contractor's file: registration, every procedure of every cycle, history."""

    rfc: str
    razon_social: str
    folio: str
    correo: str | None
    domicilio: str | None
    registro: str  # registration state id
    plazo_registro: ProximoPlazo | None
    expedientes: tuple[FichaExpediente, ...]  # oldest cycle first
    historial: tuple[Paso, ...]
    recorrido: tuple[str, ...]  # states of the latest procedure, in order (lifecycle drawing)


@dataclass(frozen=True)
class Listado:
    """One list: the contractors of a round with one outcome, and the consultation date."""

    ronda: int | str
    opinion: str
    consulta: date
    filas: list[tuple[str, str, str]]  # (RFC, razón social, folio), sorted by RFC


# --------------------------------------------------------------------------------------------
# The frozen copy
# --------------------------------------------------------------------------------------------
def congelar(engine: Engine) -> Engine:
    """A copy of ``engine`` that shares nothing mutable with it (:meth:`Engine.copia`), its
    arrays read-only: a reader cannot change what another thread reads."""
    e = engine.copia()
    for name in COLUMNAS_REGISTRO:
        getattr(e, name).flags.writeable = False
    for c in e.ciclos.values():
        for col in (*c.columnas(), "posicion_de"):
            getattr(c, col).flags.writeable = False
    for name in COLUMNAS_DECLARACION:
        getattr(e, name).flags.writeable = False
    for periodo in e.periodos.values():
        for col in periodo.columnas():
            getattr(periodo, col).flags.writeable = False
    return e


# --------------------------------------------------------------------------------------------
# The padrón as columns
# --------------------------------------------------------------------------------------------
@dataclass
class _Padron:
    """Every known contractor as columns, each with its displayed procedure (that of the latest
    cycle whose padrón included it)."""

    ciclos: list[CicloEstado]  # oldest first
    ciclo: np.ndarray  # int16: index into ``ciclos``; -1 without a cycle
    estado: np.ndarray  # int16: EXPEDIENTE state code; SIN_ESTADO without a cycle
    opinion: np.ndarray  # int8: index into OPINIONES (0: none yet)
    anterior_abierto: np.ndarray  # bool: a procedure of an earlier cycle is not final


def _padron(engine: Engine) -> _Padron:
    n = len(engine.rfcs)
    ciclos, which = engine.ciclo_mostrado()
    estado = np.full(n, SIN_ESTADO, dtype=np.int16)
    opinion = np.zeros(n, dtype=np.int8)
    anterior = np.zeros(n, dtype=bool)
    for k, c in enumerate(ciclos):
        shown = which[c.contratista] == k
        estado[c.contratista[shown]] = c.estado[shown]
        opinion[c.contratista[shown]] = c.opinion[shown]
        anterior[c.contratista[~shown & ~EXP_FINAL[c.estado]]] = True
    return _Padron(ciclos, which, estado, opinion, anterior)


def _expedientes_de(ciclos: list[CicloEstado], i: int) -> tuple[ExpedienteCiclo, ...]:
    """Every procedure of contractor ``i`` as (cycle, state), oldest cycle first."""
    return tuple(ExpedienteCiclo(c.nombre, EXPEDIENTE.states[c.estado[c.posicion_de[i]]])
                 for c in ciclos if i < len(c.posicion_de) and c.posicion_de[i] >= 0)


def _plano(texto: str) -> str:
    """Upper case, accents and tildes dropped: NFD splits «Í» into «I» and a combining mark,
    and the marks (like any other character outside ASCII) go. At C speed: 150,000 names in a
    tenth of a second."""
    return unicodedata.normalize("NFD", texto).upper().encode("ascii", "ignore").decode()


def normalizar(texto: str) -> str:
    """``texto`` as the search compares it (operators type without accents): «garcía  lópez»
    → «GARCIA LOPEZ»."""
    return " ".join(_plano(texto).split())


class _Busqueda:
    """``RFC RAZÓN SOCIAL<tab>FOLIO`` of every contractor, normalised (:func:`normalizar`), as
    one text scanned at C speed: a substring search over 150,000 names costs milliseconds. The
    tab keeps a query (which has no tab) from spanning the name and the folio."""

    def __init__(self, engine: Engine) -> None:
        # Normalised once, as one text: per-line calls would cost a second at 1,000,000.
        texto = "\n".join(f"{r} {n}\t{f}" for r, n, f in
                          zip(engine.rfcs, engine.razon_social, engine.folio, strict=True))
        self.texto = _plano(texto)
        lines = self.texto.split("\n") if engine.rfcs else []
        self.textos = lines
        lengths = np.fromiter((len(x) + 1 for x in lines), dtype=np.int64, count=len(lines))
        self.inicios = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)

    def ids(self, q: str) -> np.ndarray:
        """Ids whose text contains ``q`` (already :func:`normalizar`-ed)."""
        if self.texto.count(q) > len(self.textos) // 8:  # most lines match: test each line
            return np.fromiter((i for i, t in enumerate(self.textos) if q in t),
                               dtype=np.int64)
        offsets = np.fromiter((m.start() for m in re.finditer(re.escape(q), self.texto)),
                              dtype=np.int64)
        return np.unique(np.searchsorted(self.inicios, offsets, side="right") - 1)


# --------------------------------------------------------------------------------------------
# Obligations (the agenda)
# --------------------------------------------------------------------------------------------
def _status(limite: datetime, met: int, complete: bool, reloj: int) -> tuple[str, datetime | None]:
    """The status rule: at or before the cut-off *cumplida*, after it *extemporanea*; past the
    cut-off with nothing done *vencida* until met; otherwise *pendiente*."""
    lim = int(limite.timestamp())
    if complete:
        return ("cumplida" if met <= lim else "extemporanea"), instant(met)
    return ("vencida" if reloj > lim else "pendiente"), None


def _salidas(engine: Engine, c: CicloEstado, de: np.ndarray) -> np.ndarray:
    """Per procedure of ``c``, the instant it last moved from a state in ``de`` (a mask over
    the chart's states) to one outside it; 0: never."""
    out = np.zeros(len(c.estado), dtype=np.int64)
    for lote in engine.lotes:
        if lote.ciclo != c.nombre:
            continue
        moved = de[lote.desde] & ~de[lote.hacia]
        if moved.any():
            out[c.posicion_de[lote.idx[moved]]] = lote.at
    return out


def _groups(c: CicloEstado, due: np.ndarray, met: np.ndarray, ended: np.ndarray, reloj: int,
            clave: str, responsable: str, hour: time | None) -> Iterator[Obligacion]:
    """One obligation per distinct due day among the procedures that have one. A procedure
    that ended (``ended``: the instant it reached a final state) without the act before the
    cut-off no longer counts; one that ended after it stays owed: a breach is history
    (cycles that overlap)."""
    unmet_ended = (met == 0) & (ended > 0)
    for day in np.unique(due[due > 0]).tolist():
        limite = cutoff(date.fromordinal(day), hour)
        m = met[(due == day) & ~(unmet_ended & (ended <= int(limite.timestamp())))]
        if not len(m):
            continue
        complete = bool((m > 0).all())
        estado, en = _status(limite, int(m.max()), complete, reloj)
        yield Obligacion(c.nombre, clave, responsable, limite, estado, en, len(m),
                         int((m == 0).sum()))


def _obligaciones(engine: Engine) -> list[Obligacion]:
    """The agenda: every obligation of each institution, by cut-off."""
    out: list[Obligacion] = []
    reloj = engine.reloj
    conjunto = engine.cal.conjunto()
    for c in engine.ciclos.values():
        d0 = date.fromordinal(c.d0)
        limite = cutoff(d0, HORA_PADRON)
        out.append(Obligacion(c.nombre, "padron", "stps", limite,
                              *_status(limite, c.padron_recibido_en, True, reloj),
                              len(c.contratista)))
        ended = _salidas(engine, c, ~EXP_FINAL)
        received = max(d0, instant(c.padron_recibido_en).date())
        day1 = np.full(len(c.estado), received.toordinal(), dtype=np.int32)
        for due, met, clave, responsable, hora in (
                (day1, c.primera_consulta_recibida, "listado_inicial", "imss",
                 HORA_LISTADO_INICIAL),
                (c.limite_exhorto, c.exhorto_notificado_en, "exhorto", "gt", None),
                (c.dia_segunda_consulta, c.segunda_consulta_recibida, "listado_segunda", "imss",
                 HORA_LISTADOS),
                (c.dia_tercera_consulta, c.tercera_consulta_recibida, "listado_tercera", "imss",
                 HORA_LISTADOS),
                (c.limite_cancelacion, c.cancelacion_resuelta_en, "cancelacion", "stps", None)):
            out += _groups(c, due, met, ended, reloj, clave, responsable, hora)
        out += _daily(engine, c, conjunto, reloj)
    out += _declaraciones(engine)
    out.sort(key=lambda o: (o.limite, o.ciclo, CLAVES.index(o.clave)))
    return out


def _daily(engine: Engine, c: CicloEstado, conjunto, reloj: int) -> Iterator[Obligacion]:
    """While STPS cannot cancel, IMSS deposits updated opinions every hábil day by 12:00
    (numeral 7): one obligation per hábil day on which the universe is not empty (procedures
    suspended before that day and still suspended when it began), counting them; none once
    every procedure left the suspension, however it left."""
    suspended = np.flatnonzero(c.suspendida_desde > 0)
    if not len(suspended):
        return
    since = c.suspendida_desde[suspended]
    de = np.zeros(len(EXPEDIENTE.states), dtype=bool)
    de[EXP["cancelacion_suspendida"]] = True
    left = _salidas(engine, c, de)[suspended]
    # The last day owed: that of the last instant still suspended (one that left at 00:00
    # of a day is not owed that day); 0: still suspended.
    until = np.array([_dia_de(int(t) - 1) if t else 0 for t in left.tolist()], dtype=np.int64)
    today = instant(reloj).date()
    inputs_by_day: dict[int, int] = {}
    for t in c.actualizaciones_diarias:
        inputs_by_day.setdefault(instant(t).date().toordinal(), t)
    day = next_habil_day(date.fromordinal(int(since.min())), conjunto)
    while True:
        o = day.toordinal()
        if (until > 0).all() and o > int(until.max()):
            break  # the universe emptied for good
        universe = int(((since < o) & ((until == 0) | (until >= o))).sum())
        if universe:
            limite = cutoff(day, HORA_LISTADOS)
            t = inputs_by_day.get(o)
            estado, en = _status(limite, t or 0, t is not None, reloj)
            yield Obligacion(c.nombre, "actualizacion_diaria", "imss", limite, estado, en,
                             universe)
        if day > today:
            break
        day = next_habil_day(day, conjunto)


def _declaraciones(engine: Engine) -> Iterator[Obligacion]:
    """Per period: the contractors' reports, due at the end of the due date (LSS art. 15 A),
    and, once there are breaches, IMSS's notice of them to STPS (same article, last paragraph;
    the law sets it no plazo, so it is pendiente until every breach is informed, never
    vencida)."""
    codes = {s: DECLARACION.state_code(s) for s in DECLARACION.states}
    breach = [codes[s] for s in INCUMPLIDAS]
    for nombre, p in sorted(engine.periodos.items()):
        deben = p.estado != NO_DEBE
        if not deben.any():
            continue
        limite = cutoff(date.fromordinal(engine.vence_periodo(p.periodo)))
        sin_presentar = int(np.isin(p.estado, [codes["pendiente"], codes["omisa"]]).sum())
        tarde = np.isin(p.estado, breach)
        if sin_presentar:
            estado, en = ("vencida" if engine.reloj > limite.timestamp() else "pendiente"), None
        else:
            ultima = int(p.presentada[deben].max())
            estado = "extemporanea" if tarde.any() else "cumplida"
            en = cutoff(date.fromordinal(ultima), time(0)) if ultima else None
        yield Obligacion(nombre, "declaracion", "contratistas", limite, estado, en,
                         int(deben.sum()), sin_presentar)
        if tarde.any():
            sin_informar = int((tarde & (p.estado != codes["informada"])).sum())
            informes = [lote.at for lote in engine.lotes
                        if lote.ciclo == nombre and lote.evento == "informe_stps"]
            yield Obligacion(nombre, "informe_stps", "imss", limite,
                             "pendiente" if sin_informar else "cumplida",
                             None if sin_informar else instant(max(informes)),
                             int(tarde.sum()), sin_informar)


def _dia_de(t: int) -> int:
    """The Mexico City day of instant ``t``, as an ordinal."""
    return instant(t).date().toordinal()


# --------------------------------------------------------------------------------------------
# One contractor
# --------------------------------------------------------------------------------------------
_PLAZOS_REGISTRO = ("inicio_ventana_renovacion", "fin_vigencia", "fin_plazo_resolucion",
                    "afirmativa_ficta")
"""The plazos of a registration (a procedure lists only its own)."""


def _proximo_plazo(engine: Engine, c: CicloEstado | None, p: int, i: int) -> ProximoPlazo | None:
    reg = REGISTRO.states[engine.registro[i]]
    if c is not None:
        state = EXPEDIENTE.states[c.estado[p]]
        column = {"senalado": ("limite_exhorto", c.limite_exhorto),
                  "exhortado": ("fin_plazo_regularizacion", c.fin_plazo),
                  "segunda_consulta": ("segunda_consulta", c.dia_segunda_consulta),
                  "en_cancelacion": ("fin_plazo_audiencia", c.fin_plazo),
                  "tercera_consulta": ("tercera_consulta", c.dia_tercera_consulta),
                  "por_cancelar": ("cancelacion", c.limite_cancelacion)}.get(state)
        if column and column[1][p]:
            return ProximoPlazo(column[0], date.fromordinal(int(column[1][p])))
    if reg == "registro_por_renovar":
        return ProximoPlazo("fin_vigencia", date.fromordinal(int(engine.vence[i]) - 1))
    if reg in ("registro_en_renovacion", "registro_requerido"):
        plazo = "fin_plazo_resolucion" if reg == "registro_en_renovacion" else "afirmativa_ficta"
        return ProximoPlazo(plazo, date.fromordinal(int(engine.fin_resolucion[i])))
    if reg == "registro_vigente":
        return ProximoPlazo("inicio_ventana_renovacion", date.fromordinal(int(engine.ventana[i])))
    return None


def _declaraciones_de(engine: Engine, i: int) -> tuple[DeclaracionPeriodo, ...]:
    """Every period's report contractor ``i`` owes, oldest first."""
    return tuple(DeclaracionPeriodo(nombre, DECLARACION.states[p.estado[i]])
                 for nombre, p in sorted(engine.periodos.items())
                 if i < len(p.estado) and p.estado[i] != NO_DEBE)


def _estado_de(engine: Engine, i: int, c: CicloEstado | None,
               expedientes: tuple[ExpedienteCiclo, ...],
               declaraciones: tuple[DeclaracionPeriodo, ...] | None = None
               ) -> EstadoContratista:
    """Contractor ``i``'s displayed state: that of cycle ``c`` (its latest; None: no cycle),
    with ``expedientes``, every procedure of every cycle, and its reports (computed when
    ``declaraciones`` is None)."""
    reg = REGISTRO.states[engine.registro[i]]
    if declaraciones is None:
        declaraciones = _declaraciones_de(engine, i)
    if c is None:
        return EstadoContratista(None, None, None, reg, _proximo_plazo(engine, None, -1, i),
                                 expedientes, declaraciones)
    p = int(c.posicion_de[i])
    opinion = OPINIONES[c.opinion[p]] or None
    return EstadoContratista(EXPEDIENTE.states[c.estado[p]], c.nombre, opinion, reg,
                             _proximo_plazo(engine, c, p, i), expedientes, declaraciones)


def _historial(engine: Engine, i: int) -> list[Paso]:
    """Every transition of one contractor, in effective-time order, with its legal basis."""
    steps: list[Paso] = []
    for lote in engine.lotes:
        hits = np.flatnonzero(lote.idx == i)
        if not len(hits):
            continue
        k = int(hits[0])
        chart = tabla_de(lote.ciclo)
        src, dst = chart.states[lote.desde[k]], chart.states[lote.hacia[k]]
        info = chart.info[(src, lote.evento)]
        steps.append(Paso(instant(lote.at), lote.entrada, lote.evento, info.actor, lote.ciclo,
                          chart.name.lower(), src, dst, info.fundamento, lote.nota))
    for c in engine.ciclos.values():
        if i < len(c.posicion_de) and c.posicion_de[i] >= 0:
            steps += (Paso(instant(m.at), m.entrada, "criterio_fecha_consulta", "gt", c.nombre,
                           "nota", None, None, "Mecanismo, numeral 8 (criterio específico del GT)",
                           f"fecha de consulta movida del {fecha_corta(date.fromordinal(m.desde))} "
                           f"al {fecha_corta(date.fromordinal(m.hacia))}: {m.texto}")
                      for m in c.fechas_consulta)
    for nota in engine.notas:
        if nota.idx == i:
            steps.append(Paso(instant(nota.at), nota.entrada, "manifestacion", "stps", nota.ciclo,
                              "nota", None, None, "Acuerdo REPSE, DÉCIMO QUINTO (audiencia)",
                              nota.texto))
    steps.sort(key=lambda s: (s.at, s.entrada))
    return steps


def _expedientes(engine: Engine, i: int) -> list[FichaExpediente]:
    """Every procedure of contractor ``i``, oldest cycle first."""
    out = []
    for c in engine.ciclos_ordenados():
        if i >= len(c.posicion_de) or c.posicion_de[i] < 0:
            continue
        p = int(c.posicion_de[i])
        code = int(c.estado[p])
        state = EXPEDIENTE.states[code]
        plazo = _proximo_plazo(engine, c, p, i)
        if plazo is not None and plazo.plazo in _PLAZOS_REGISTRO:
            plazo = None  # the registration's plazo, listed apart
        admite = tuple((e, Expediente.entradas.get(e, e))
                       for e in EXPEDIENTE.allowed_events(state))
        out.append(FichaExpediente(c.nombre, state, OPINIONES[c.opinion[p]] or None,
                              bool(EXP_FINAL[code]), plazo, admite))
    return out


def _recorrido(engine: Engine, i: int, ciclo: str) -> list[str]:
    """The states one procedure went through, in order (for the lifecycle drawing)."""
    states = [EXPEDIENTE.states[EXPEDIENTE.initial]]
    for lote in engine.lotes:
        if lote.ciclo != ciclo:
            continue
        hits = np.flatnonzero(lote.idx == i)
        if len(hits):
            target = EXPEDIENTE.states[int(lote.hacia[int(hits[0])])]
            if target != states[-1]:
                states.append(target)
    return states


# --------------------------------------------------------------------------------------------
# The cycle as a whole
# --------------------------------------------------------------------------------------------
def _movimientos(engine: Engine, cuantos: int, ciclo: str | None) -> list[Movimiento]:
    """The latest batches of transitions, newest first (when ``ciclo`` is given, the procedures
    of that cycle alone, with the registrations' and the reports')."""
    out: list[Movimiento] = []
    for lote in reversed(engine.lotes):
        if len(out) == cuantos:
            break
        chart = tabla_de(lote.ciclo)
        if ciclo is not None and chart is EXPEDIENTE and lote.ciclo != ciclo:
            continue
        pairs, counts = np.unique(np.stack([lote.desde, lote.hacia]), axis=1,
                                  return_counts=True)
        order = np.argsort(-counts, kind="stable")
        pasos = tuple((chart.states[int(pairs[0, j])], chart.states[int(pairs[1, j])],
                       int(counts[j])) for j in order.tolist())
        out.append(Movimiento(instant(lote.at), lote.entrada, lote.ciclo, lote.evento,
                              len(lote.idx), pasos))
    return out


def _estadisticas(engine: Engine, c: CicloEstado) -> Estadisticas:
    count = {name: 0 for name in ("exh", "r2", "r3", "rd", "canc", "sin_reg", "susp", "excl")}
    src_key = {"segunda_consulta": "r2", "tercera_consulta": "r3",
               "cancelacion_suspendida": "rd"}
    for lote in engine.lotes:
        if lote.ciclo != c.nombre:
            continue
        if lote.evento == "exhorto_notificado":
            count["exh"] += len(lote.idx)
        elif lote.evento == "opinion_positiva":
            for state, key in src_key.items():
                count[key] += int((lote.desde == EXP[state]).sum())
        elif lote.evento == "cancelacion":
            count["canc"] += len(lote.idx)
        elif lote.evento == "registro_terminado":
            count["sin_reg"] += len(lote.idx)
        elif lote.evento == "cancelacion_impedida":
            count["susp"] += len(lote.idx)
        elif lote.evento == "criterio_exclusion":
            count["excl"] += len(lote.idx)
    states = np.bincount(c.estado, minlength=len(EXPEDIENTE.states))
    return Estadisticas(
        c.nombre, len(c.contratista),
        int((c.opinion_ronda1 == OPINIONES.index("negativa")).sum()),
        int((c.opinion_ronda1 == OPINIONES.index("sin_opinion")).sum()),
        count["exh"], count["r2"], count["r3"], count["rd"], count["canc"], count["sin_reg"],
        count["susp"], count["excl"],
        {s: int(n) for s, n in zip(EXPEDIENTE.states, states.tolist(), strict=True) if n},
    )


def _listados(engine: Engine, c: CicloEstado, ronda: int | str) -> list[Listado]:
    """The Negativa and Sin opinión lists of one round (for ``diaria``, one pair per day)."""
    source = EXP[Expediente.rondas[ronda].espera]
    by_key: dict[tuple[date, str], set[int]] = {}
    for lote in engine.lotes:
        if lote.ciclo != c.nombre or lote.evento not in ("opinion_negativa",
                                                         "opinion_sin_opinion"):
            continue
        hit = lote.desde == source
        if not hit.any():
            continue
        opinion = lote.evento.removeprefix("opinion_")
        day = instant(lote.at).date() if ronda != 1 else date.fromordinal(c.d0)
        by_key.setdefault((day, opinion), set()).update(lote.idx[hit].tolist())
    days = sorted({d for d, _ in by_key}) or ([date.fromordinal(c.d0)] if ronda == 1 else [])
    out = []
    for day in days:
        for opinion in ("negativa", "sin_opinion"):
            ids = by_key.get((day, opinion), set())
            rows = sorted((engine.rfcs[i], engine.razon_social[i], engine.folio[i]) for i in ids)
            out.append(Listado(ronda, opinion, day, rows))
    return out


def _ronda_en_curso(c: CicloEstado) -> int | str | None:
    if (c.suspendida_desde > 0).any():
        return "diaria"
    for ronda in (3, 2, 1):
        if (c.consulta_recibida(ronda) > 0).any():
            return ronda
    return None


def _nombre_estado(code: int) -> str | None:
    return EXPEDIENTE.states[code] if code >= 0 else None


def _cambios_por_rfc(antes: Vista, despues: Vista) -> list[tuple[str, str | None, str | None]]:
    """:meth:`Vista.cambios` matching contractors by RFC, whatever their rows (a retroactive
    padrón may add a contractor before others)."""
    a, b = antes._padron.estado, despues._padron.estado
    index_a = antes._engine.index
    out = []
    for j, rfc in enumerate(despues._engine.rfcs):
        i = index_a.get(rfc)
        old = int(a[i]) if i is not None else SIN_ESTADO
        if old != int(b[j]):
            out.append((rfc, _nombre_estado(old), _nombre_estado(int(b[j]))))
    gone = set(index_a) - set(despues._engine.index)
    out += [(rfc, _nombre_estado(int(a[index_a[rfc]])), None) for rfc in gone]
    return sorted(out)


# --------------------------------------------------------------------------------------------
class Vista:
    """The state as of input ``version`` (0: an empty store), read-only.

    ``congelado``: ``engine`` is already a copy nobody mutates (a past instant, or a transient
    read on the repository thread), so it is not copied again. ``ancla``: the last input of the
    log reflected (number and hash), which exports record in their manifest. ``anterior``: the
    previous version's Vista, whose search index is reused while no name changed (building it
    costs about a second at 1,000,000 contractors)."""

    def __init__(self, engine: Engine, version: int = 0, *, congelado: bool = False,
                 ancla: Ancla | None = None, anterior: Vista | None = None) -> None:
        self._engine = engine if congelado else congelar(engine)
        self.version = version
        self.ancla = ancla
        if anterior is not None and "_busqueda" in anterior.__dict__:
            a, e = anterior._engine, self._engine
            # Equal lists of the same string objects compare by identity: milliseconds.
            if a.rfcs == e.rfcs and a.razon_social == e.razon_social and a.folio == e.folio:
                self.__dict__["_busqueda"] = anterior._busqueda

    # --- the clock, the calendar and the cycles -------------------------------------------
    @property
    def reloj(self) -> datetime | None:
        return instant(self._engine.reloj) if self._engine.reloj else None

    @property
    def calendario(self) -> Calendarios:
        """The calendars in force (closures and policies)."""
        return self._engine.cal

    @property
    def transiciones(self) -> int:
        """Transitions fired so far, by every input and the clock."""
        return self._engine.transiciones

    @cached_property
    def ciclos(self) -> tuple[str, ...]:
        """Every cycle opened, oldest first."""
        return tuple(c.nombre for c in self._engine.ciclos_ordenados())

    @property
    def ciclo_actual(self) -> str | None:
        """The latest cycle opened (the one the tablero shows by default)."""
        return self.ciclos[-1] if self.ciclos else None

    def ciclo(self, ciclo: str) -> Ciclo:
        """The opened cycle ``ciclo`` names (``2026-1``); :class:`CicloNoAbierto` if its padrón
        has not been received."""
        return self._ciclo(ciclo).ciclo

    def _ciclo(self, ciclo: str) -> CicloEstado:
        name = str(Ciclo.parse(ciclo))
        if name not in self._engine.ciclos:
            raise CicloNoAbierto(f"el ciclo {name} no se ha abierto: falta su padrón")
        return self._engine.ciclos[name]

    def fecha_consulta(self, ciclo: str) -> date:
        """D0 of an opened cycle: the nominal last Monday, or where a GT criterion moved it
        (numeral 8)."""
        return date.fromordinal(self._ciclo(ciclo).d0)

    def exhorto_notificado(self, ciclo: str) -> date | None:
        """The day the cycle's exhorto input notified (the one that reached the most
        contractors, if late ones followed); None before it was recorded."""
        en = self._ciclo(ciclo).exhorto_notificado_en
        instantes, cuantos = np.unique(en[en > 0], return_counts=True)
        if not len(instantes):
            return None
        return instant(int(instantes[np.argmax(cuantos)])).date()

    @property
    def membrete(self) -> Membrete | None:
        """The documents' data block in force (the latest ``membrete`` input), or None."""
        return self._engine.membrete

    def dia_habil_siguiente(self) -> datetime:
        """00:00 of the joint hábil day after the clock's day."""
        today = instant(self._engine.reloj).date()
        nxt = next_habil_day(today, self._engine.cal.conjunto())
        return datetime.combine(nxt, time(0), tzinfo=MX)

    # --- the padrón -----------------------------------------------------------------------
    @cached_property
    def _padron(self) -> _Padron:
        return _padron(self._engine)

    @cached_property
    def _busqueda(self) -> _Busqueda:
        return _Busqueda(self._engine)

    def preparar_busqueda(self) -> None:
        """Build the search index now (on a worker thread) rather than on the first key typed
        in the search: about a third of a second at 150,000 contractors."""
        self._busqueda  # noqa: B018  (a cached property: reading it builds it)

    def __len__(self) -> int:
        return len(self._engine.rfcs)

    def filtrar(self, *, estado: str | None = None, opinion: str | None = None,
                texto: str = "", dentro: np.ndarray | None = None,
                anterior_abierto: bool = False, ciclo: str | None = None) -> np.ndarray:
        """Padrón rows (``fila`` positions, padrón order) matching every filter given:
        ``estado`` a procedure state id, ``opinion`` an opinion or :data:`SIN_OPINION_AUN`,
        ``texto`` a substring of the RFC, the razón social or the folio (case and accents
        ignored: :func:`normalizar`),
        ``anterior_abierto`` only contractors with an open procedure of an earlier cycle;
        ``ciclo`` only that cycle's padrón, ``estado`` and ``opinion`` read from its procedures
        (None: each contractor's displayed one);
        ``dentro`` narrows an earlier result (an incremental search that only grew)."""
        p = self._padron
        if ciclo is None:
            estados, opiniones, ids = p.estado, p.opinion, None
        else:
            c = self._ciclo(ciclo)
            estados, opiniones, ids = c.estado, c.opinion, c.contratista
        mask = np.ones(len(estados), bool)
        if estado is not None:
            mask &= estados == EXPEDIENTE.state_code(estado)
        if opinion is not None:
            mask &= opiniones == (0 if opinion == SIN_OPINION_AUN else OPINIONES.index(opinion))
        ids = np.flatnonzero(mask) if ids is None else np.sort(ids[mask]).astype(np.int64)
        if anterior_abierto:
            ids = ids[p.anterior_abierto[ids]]
        if dentro is not None:
            ids = np.intersect1d(ids, dentro, assume_unique=True)
        q = normalizar(texto)
        if q:
            busqueda = self._busqueda
            if len(ids) < 5000:  # a narrow result: check its few lines
                textos = busqueda.textos
                ids = np.fromiter((i for i in ids.tolist() if q in textos[i]), dtype=np.int64)
            else:
                ids = np.intersect1d(ids, busqueda.ids(q), assume_unique=True)
        return ids

    def _estado_fila(self, k: int, expedientes: tuple[ExpedienteCiclo, ...] | None = None,
                     declaraciones: tuple[DeclaracionPeriodo, ...] | None = None
                     ) -> EstadoContratista:
        """Row ``k``'s displayed state without scanning the cycles for its latest."""
        p = self._padron
        which = int(p.ciclo[k])
        if expedientes is None:
            expedientes = _expedientes_de(p.ciclos, k)
        return _estado_de(self._engine, k, p.ciclos[which] if which >= 0 else None,
                          expedientes, declaraciones)

    def fila(self, k: int, ciclo: str | None = None) -> FilaPadron:
        """Row ``k`` with its displayed procedure, or that of ``ciclo`` when its padrón
        included it."""
        c = self._ciclo(ciclo) if ciclo is not None else None
        if c is not None and k < len(c.posicion_de) and c.posicion_de[k] >= 0:
            st = _estado_de(self._engine, k, c, (), ())
        else:
            st = self._estado_fila(k, (), ())
        return FilaPadron(self._engine.rfcs[k], self._engine.razon_social[k], st.ciclo,
                          st.estado, st.opinion, st.proximo_plazo,
                          bool(self._padron.anterior_abierto[k]))

    def rfc(self, k: int) -> str:
        return self._engine.rfcs[k]

    def posicion(self, rfc: str) -> int | None:
        """The padrón row of ``rfc`` (None: not in any padrón received)."""
        return self._engine.index.get(rfc.strip().upper())

    def conteos(self, ciclo: str | None = None) -> dict[str, int]:
        """Procedures per state, in chart order: of one cycle, or the displayed ones."""
        p = self._padron
        if ciclo is not None:
            codes = next(c.estado for c in p.ciclos if c.nombre == ciclo)
        else:
            codes = p.estado[p.estado >= 0]
        counts = np.bincount(codes.astype(np.int64), minlength=len(EXPEDIENTE.states))
        return dict(zip(EXPEDIENTE.states, counts.tolist(), strict=True))

    def cambios(self, antes: Vista) -> list[tuple[str, str | None, str | None]]:
        """(RFC, displayed state in ``antes``, displayed state here) of every contractor whose
        displayed state differs, by RFC; None: no procedure (or unknown)."""
        a, b = antes._padron.estado, self._padron.estado
        ra, rb = antes._engine.rfcs, self._engine.rfcs
        if len(ra) > len(rb) or rb[:len(ra)] != ra:
            return _cambios_por_rfc(antes, self)
        # The usual case (a correction that added no contractor before others): the same rows,
        # perhaps more at the end, so the two columns are compared whole.
        old = np.full(len(rb), SIN_ESTADO, dtype=b.dtype)
        old[:len(ra)] = a
        filas = np.flatnonzero(old != b).tolist()
        return sorted((rb[j], _nombre_estado(int(old[j])), _nombre_estado(int(b[j])))
                      for j in filas)

    # --- one contractor -------------------------------------------------------------------
    def contratista(self, rfc: str) -> Contratista | None:
        i = self.posicion(rfc)
        if i is None:
            return None
        e = self._engine
        return Contratista(e.rfcs[i], e.razon_social[i], e.folio[i], e.correo[i],
                           e.domicilio[i])

    def estado(self, rfc: str) -> EstadoContratista | None:
        i = self.posicion(rfc)
        return None if i is None else self._estado_fila(i)

    def ficha(self, rfc: str) -> Ficha | None:
        i = self.posicion(rfc)
        if i is None:
            return None
        e = self._engine
        exps = tuple(_expedientes(e, i))
        recorrido = tuple(_recorrido(e, i, exps[-1].ciclo)) if exps else ()
        return Ficha(e.rfcs[i], e.razon_social[i], e.folio[i], e.correo[i], e.domicilio[i],
                     REGISTRO.states[e.registro[i]], _proximo_plazo(e, None, -1, i), exps,
                     tuple(_historial(e, i)), recorrido)

    def historial(self, rfc: str) -> list[Paso]:
        i = self.posicion(rfc)
        return [] if i is None else _historial(self._engine, i)

    def contratistas(self) -> dict[str, EstadoContratista]:
        """RFC → displayed state (that of its latest cycle) with every procedure, for every
        contractor."""
        rfcs = self._engine.rfcs
        por_id: list[list[ExpedienteCiclo]] = [[] for _ in rfcs]
        for c in self._padron.ciclos:  # oldest first; one record per (cycle, state) shared
            records = [ExpedienteCiclo(c.nombre, s) for s in EXPEDIENTE.states]
            for i, code in zip(c.contratista.tolist(), c.estado.tolist(), strict=True):
                por_id[i].append(records[code])
        decl: list[list[DeclaracionPeriodo]] = [[] for _ in rfcs]
        for nombre, periodo in sorted(self._engine.periodos.items()):
            records = [DeclaracionPeriodo(nombre, s) for s in DECLARACION.states]
            debe = np.flatnonzero(periodo.estado != NO_DEBE)
            for i, code in zip(debe.tolist(), periodo.estado[debe].tolist(), strict=True):
                decl[i].append(records[code])
        return {rfc: self._estado_fila(k, tuple(por_id[k]), tuple(decl[k]))
                for k, rfc in enumerate(rfcs)}

    # --- the cycle as a whole -------------------------------------------------------------
    @cached_property
    def _agenda(self) -> tuple[Obligacion, ...]:
        return tuple(_obligaciones(self._engine))

    def agenda(self, ciclo: str | None = None) -> list[Obligacion]:
        return [o for o in self._agenda if ciclo is None or o.ciclo == ciclo]

    def movimientos(self, cuantos: int = 10, ciclo: str | None = None) -> list[Movimiento]:
        """The latest ``cuantos`` batches of transitions; with ``ciclo``, of that cycle's
        procedures and of the registrations."""
        return _movimientos(self._engine, cuantos, ciclo)

    def estadisticas(self, ciclo: str) -> Estadisticas:
        return _estadisticas(self._engine, self._ciclo(ciclo))

    def listados(self, ciclo: str, ronda: int | str) -> list[Listado]:
        return _listados(self._engine, self._ciclo(ciclo), ronda)

    def ronda_en_curso(self, ciclo: str) -> int | str | None:
        """The round whose lists are the latest of the cycle: ``diaria`` once any cancellation
        was impeded, else the last round with opinions received (None before round 1)."""
        return _ronda_en_curso(self._ciclo(ciclo))

    def exhortados(self, ciclo: str) -> list[Exhortado]:
        """The contractors of the cycle an exhorto goes to (flagged in round 1), by RFC."""
        c = self._ciclo(ciclo)
        e = self._engine
        flagged = np.flatnonzero(c.limite_exhorto > 0)
        out = [Exhortado(e.rfcs[i], e.razon_social[i], e.folio[i], e.correo[i], e.domicilio[i],
                         OPINIONES[c.opinion_ronda1[p]])
               for p, i in zip(flagged.tolist(), c.contratista[flagged].tolist(), strict=True)]
        return sorted(out, key=lambda x: x.rfc)

    # --- the four-monthly reports (LSS art. 15 A) -------------------------------------------
    @cached_property
    def periodos(self) -> tuple[str, ...]:
        """Every period whose reports are followed, oldest first."""
        return tuple(sorted(self._engine.periodos))

    def _periodo(self, periodo: str):
        nombre = str(Periodo.parse(periodo))
        if nombre not in self._engine.periodos:
            raise PeriodoNoSeguido(f"el periodo {nombre} no se sigue: empieza cuando el reloj "
                                   "llega a su primer día, desde el primer padrón recibido")
        return self._engine.periodos[nombre]

    def resumen_declaraciones(self, periodo: str) -> ResumenPeriodo:
        p = self._periodo(periodo)
        codes = np.bincount(p.estado[p.estado != NO_DEBE], minlength=len(DECLARACION.states))
        return ResumenPeriodo(p.nombre, date.fromordinal(self._engine.vence_periodo(p.periodo)),
                              int(codes.sum()), dict(zip(DECLARACION.states,
                                                         map(int, codes.tolist()),
                                                         strict=True)))

    def incumplimientos(self, periodo: str, estados: Iterable[str] = INCUMPLIDAS
                        ) -> list[Incumplimiento]:
        """The contractors whose report of ``periodo`` is in one of ``estados``, by RFC."""
        p = self._periodo(periodo)
        e = self._engine
        ids = np.flatnonzero(np.isin(p.estado, [DECLARACION.state_code(s) for s in estados]))
        out = [Incumplimiento(e.rfcs[i], e.razon_social[i], e.folio[i], e.correo[i],
                              DECLARACION.states[p.estado[i]],
                              date.fromordinal(dia) if dia else None, umas or None)
               for i, dia, umas in zip(ids.tolist(), p.presentada[ids].tolist(),
                                       p.umas[ids].tolist(), strict=True)]
        return sorted(out, key=lambda x: x.rfc)

    def proximo_vencimiento(self) -> datetime | None:
        """The next deadline: a plazo that ends (its expiry fires at midnight after its last
        day), a registration's term that ends, or the cut-off of a pending obligation."""
        reloj = self._engine.reloj
        # A renewal window opening is not a deadline: stepping would stop on every day of the
        # year some registration enters its window.
        moments = [when for when, event, *_ in self._engine.clock_candidates()
                   if when > reloj and event != "inicio_ventana_renovacion"]
        moments += [int(o.limite.timestamp()) + 1 for o in self._agenda
                    if o.estado == "pendiente" and int(o.limite.timestamp()) >= reloj]
        return instant(min(moments)) if moments else None

    def estado_json(self, rechazos: Iterable[Rechazo]) -> EstadoJSON:
        """The whole state as ``repse estado --json`` prints it, with the log's refusals."""
        return EstadoJSON(instant(self._engine.reloj), self.contratistas(), self.agenda(),
                          list(rechazos), self._engine.transiciones)
