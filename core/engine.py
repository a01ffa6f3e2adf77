"""The engine: applies timestamped inputs to a whole padrón at once.

Contractors and procedures are columns (NumPy arrays) run over the transition tables compiled from
the lifecycle charts (``core.table``); no python-statemachine instance is created per contractor.
The engine never reads the wall clock: time only moves with the inputs (``at``), and every input
first advances the clock, firing each plazo that ended before it.

Conventions: instants are int64 seconds since the epoch; days are int32 proleptic ordinals
(``date.toordinal()``); 0 means "none". A plazo whose last day is L ends at midnight after L: its
expiry fires at that instant, for any input at or after it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import msgspec
import numpy as np

from . import inputs as inp
from .calendars import Calendarios, DatosCalendario, Politicas
from .cycle import DIAS_AUDIENCIA, DIAS_EXHORTO, DIAS_REGULARIZACION, Ciclo, fecha_corta
from .errors import PlanError, Rechazo
from .plazos import MX, habil_plazo_end, natural_plazo_end, next_habil_day
from .rfc import check_rfc_batch, check_rfcs, normalize_rfc
from .table import EXPEDIENTE, REGISTRO, CompiledChart

OPINIONES = ("", "positiva", "negativa", "sin_opinion")
OPINION_CODE = {name: code for code, name in enumerate(OPINIONES)}
OPINION_EVENT = {"positiva": "opinion_positiva", "negativa": "opinion_negativa",
                 "sin_opinion": "opinion_sin_opinion"}
TERM_YEARS = 3  # Acuerdo REPSE, DÉCIMO TERCERO
WINDOW_MONTHS = 3  # Acuerdo REPSE, DÉCIMO SEXTO (reform DOF 21-02-2024)


def _table(chart: CompiledChart) -> np.ndarray:
    return np.array(chart.targets, dtype=np.int16).reshape(len(chart.states), len(chart.events))


EXP = {s: EXPEDIENTE.state_code(s) for s in EXPEDIENTE.states}
REG = {s: REGISTRO.state_code(s) for s in REGISTRO.states}
EXP_TABLE = _table(EXPEDIENTE)
REG_TABLE = _table(REGISTRO)
EXP_FINAL = np.zeros(len(EXPEDIENTE.states), dtype=bool)
EXP_FINAL[list(EXPEDIENTE.finals)] = True

# The state a contractor must be in for each round of opinions (DOMAIN.md, numerales 1, 3, 5, 7).
AWAITING = {1: "en_consulta", 2: "segunda_consulta", 3: "tercera_consulta",
            "diaria": "cancelacion_suspendida"}
RONDA_NOMBRE = {1: "ronda 1", 2: "ronda 2 (segunda consulta)", 3: "ronda 3 (tercera consulta)",
                "diaria": "actualización diaria"}


def epoch(at: datetime) -> int:
    return int(at.timestamp())


def instant(seconds: int) -> datetime:
    return datetime.fromtimestamp(int(seconds), MX)


def midnight_after(day_ordinal: int) -> int:
    """The instant a plazo whose last day is ``day_ordinal`` has ended."""
    day = date.fromordinal(int(day_ordinal) + 1)
    return epoch(datetime.combine(day, time(0), tzinfo=MX))


def _day(at: datetime) -> int:
    return at.astimezone(MX).date().toordinal()


def fecha(ordinal: int) -> str:
    """``lun 02-03-2026`` for a message an operator reads (a day given as an ordinal)."""
    return fecha_corta(date.fromordinal(int(ordinal)))


def add_months(days: np.ndarray, months: int) -> np.ndarray:
    """Same day ``months`` later (ordinals, vectorized); a day the month lacks rolls over
    (29 Feb + 3 years → 1 Mar)."""
    as_dates = (days - date(1970, 1, 1).toordinal()).astype("datetime64[D]")
    month_start = as_dates.astype("datetime64[M]")
    offset = as_dates - month_start.astype("datetime64[D]")
    shifted = (month_start + months).astype("datetime64[D]") + offset
    return shifted.astype(np.int64).astype(np.int32) + date(1970, 1, 1).toordinal()


# --------------------------------------------------------------------------------------------
# Records the engine produces
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Lote:
    """One event fired for many contractors by one input (or by the clock during it)."""

    entrada: int
    at: int
    ciclo: str | None  # None: the registration chart
    evento: str
    idx: np.ndarray  # contractor ids
    desde: np.ndarray  # source state codes
    hacia: np.ndarray  # target state codes
    nota: str = ""  # criterion text, impediment reason


@dataclass
class Nota:
    """History without a state change: a statement received (manifestación)."""

    entrada: int
    at: int
    ciclo: str
    idx: int
    texto: str


@dataclass(frozen=True)
class Desenlace:
    """Everything applying one input did (sismic's ``MacroStep``): each batch it fired, itself
    or the clock during it, the rows it refused and its warnings."""

    numero: int
    tipo: str
    at: int
    aceptadas: int
    lotes: tuple[Lote, ...]
    rechazos: tuple[Rechazo, ...]
    avisos: tuple[str, ...]

    @property
    def transiciones(self) -> int:
        return sum(len(lote.idx) for lote in self.lotes)


@dataclass
class _EnCurso:
    """The rows refused, warnings and accepted count of the input being applied."""

    aceptadas: int = 0
    rechazos: list[Rechazo] = field(default_factory=list)
    avisos: list[str] = field(default_factory=list)


class EntradaRechazada(Exception):
    """The whole input is refused (nothing of it applies)."""


# --------------------------------------------------------------------------------------------
# Procedures of one cycle, as columns
# --------------------------------------------------------------------------------------------
_COLUMNS_I64 = ("t_r1", "t_exh", "t_r2", "t_ini", "t_r3", "t_fin")
_COLUMNS_I32 = ("exh_due", "plazo_fin", "d2", "d3", "cancel_due", "susp_desde", "susp_hasta")
_COLUMNS_I8 = ("state", "opinion", "opinion_r1")


class CicloEstado:
    """Every procedure (expediente) of one cycle."""

    def __init__(self, ciclo: Ciclo) -> None:
        self.ciclo = ciclo
        self.nombre = str(ciclo)
        self.d0 = ciclo.fecha_consulta.toordinal()
        self.idx = np.zeros(0, dtype=np.int32)
        self.pos = np.zeros(0, dtype=np.int32)  # contractor id -> position, -1 absent
        for name in _COLUMNS_I64:
            setattr(self, name, np.zeros(0, dtype=np.int64))
        for name in _COLUMNS_I32:
            setattr(self, name, np.zeros(0, dtype=np.int32))
        for name in _COLUMNS_I8:
            setattr(self, name, np.zeros(0, dtype=np.int8))
        self.t_padron = 0  # first padrón input of the cycle
        self.diarias: list[int] = []  # instants of daily opinion inputs

    def columns(self) -> tuple[str, ...]:
        return ("idx", *_COLUMNS_I64, *_COLUMNS_I32, *_COLUMNS_I8)

    def grow_pos(self, n: int) -> None:
        if len(self.pos) < n:
            self.pos = np.concatenate([self.pos, np.full(n - len(self.pos), -1, np.int32)])

    def add(self, ids: np.ndarray) -> np.ndarray:
        start = len(self.idx)
        for name in self.columns():
            old = getattr(self, name)
            extra = ids if name == "idx" else np.zeros(len(ids), dtype=old.dtype)
            setattr(self, name, np.concatenate([old, extra.astype(old.dtype)]))
        positions = np.arange(start, start + len(ids), dtype=np.int32)
        self.pos[ids] = positions
        return positions

    def positions_of(self, ids: np.ndarray) -> np.ndarray:
        return self.pos[ids] if len(self.pos) else np.full(len(ids), -1, np.int32)


# --------------------------------------------------------------------------------------------
class Engine:
    """The state of every contractor, as a deterministic function of the inputs applied."""

    def __init__(self, calendarios: Calendarios | None = None) -> None:
        self.cal = calendarios or Calendarios()
        self.reloj = 0  # instant of the last input applied
        self.index: dict[str, int] = {}
        self.rfcs: list[str] = []
        self.razon_social: list[str] = []
        self.folio: list[str] = []
        self.correo: list[str | None] = []
        self.domicilio: list[str | None] = []
        self.fecha_registro = np.zeros(0, dtype=np.int32)
        self.vence = np.zeros(0, dtype=np.int32)  # first day the term no longer covers
        self.ventana = np.zeros(0, dtype=np.int32)  # first day of the renewal window
        self.registro = np.zeros(0, dtype=np.int8)
        self.ciclos: dict[str, CicloEstado] = {}
        self.lotes: list[Lote] = []
        self.notas: list[Nota] = []
        self.rechazos: list[Rechazo] = []
        self.transiciones = 0

    # ---------------------------------------------------------------------------------------
    # Applying inputs
    # ---------------------------------------------------------------------------------------
    def aplicar(self, entrada: inp.Entrada, numero: int) -> Desenlace:
        """Apply one input in effective-time order and report what it did. Raises
        :class:`EntradaRechazada` when the whole input is refused (then nothing changed)."""
        tipo = inp.tipo(entrada)
        motivo = inp.check_actor(entrada)
        if motivo:
            raise EntradaRechazada(motivo)
        t = epoch(entrada.at)
        if t < self.reloj:
            raise EntradaRechazada(
                f"fecha {entrada.at.isoformat()} anterior a la última entrada aplicada "
                f"({instant(self.reloj).isoformat()}); márquela «retroactivo» si corresponde")
        handler: Callable[[inp.Entrada, _EnCurso, int], None] = getattr(self, f"_on_{tipo}")
        start = len(self.lotes)
        result = _EnCurso()
        self._precheck(entrada, tipo)
        self.avanzar(t, numero)
        # From here on the input is accepted (the clock moved): handlers refuse rows, never
        # the whole input, so that memory and the log always agree.
        handler(entrada, result, numero)
        self.rechazos.extend(result.rechazos)
        return Desenlace(numero, tipo, t, result.aceptadas, tuple(self.lotes[start:]),
                         tuple(result.rechazos), tuple(result.avisos))

    def _precheck(self, entrada: inp.Entrada, tipo: str) -> None:
        """Whole-input checks that must pass before the clock moves."""
        ciclo = getattr(entrada, "ciclo", None)
        if ciclo is not None:
            try:
                parsed = Ciclo.parse(ciclo)
            except PlanError as exc:
                raise EntradaRechazada(str(exc)) from None
            if tipo != "padron" and str(parsed) not in self.ciclos:
                raise EntradaRechazada(f"el ciclo {parsed} no se ha abierto: falta su padrón")
        if tipo == "anulacion":
            raise EntradaRechazada("una anulación se aplica al recalcular el registro de "
                                   "entradas, no directamente al motor")
        filas, rfcs = getattr(entrada, "filas", None), getattr(entrada, "rfcs", None)
        if filas is not None and rfcs is not None and len(filas) != len(rfcs):
            raise EntradaRechazada("«filas» y «rfcs» deben tener la misma longitud")

    # --- clock ------------------------------------------------------------------------------
    def avanzar(self, t: int, numero: int) -> int:
        """Fire, in time order, every plazo that ended at or before instant ``t``."""
        before = self.transiciones
        while True:
            due = self._next_due(t)
            if due is None:
                break
            self._fire_due(due, numero)
        self.reloj = max(self.reloj, t)
        return self.transiciones - before

    def clock_candidates(self) -> Iterable[tuple[int, str, CicloEstado | None, np.ndarray]]:
        """(instant, event, cycle, positions-or-ids) of every clock event still to fire."""
        for c in self.ciclos.values():
            for state, event in (("exhortado", "fin_plazo_regularizacion"),
                                 ("en_cancelacion", "fin_plazo_audiencia")):
                running = np.flatnonzero(c.state == EXP[state])
                if len(running):
                    yield from self._group(c.plazo_fin[running], running, event, c, after=True)
        for state, event, column in (("registro_vigente", "inicio_ventana_renovacion",
                                      self.ventana),
                                     ("registro_por_renovar", "fin_vigencia", self.vence)):
            ids = np.flatnonzero(self.registro == REG[state])
            if len(ids):
                yield from self._group(column[ids], ids, event, None, after=False)

    @staticmethod
    def _group(days: np.ndarray, which: np.ndarray, event: str, c: CicloEstado | None,
               *, after: bool):
        first = int(days.min())
        when = midnight_after(first) if after else midnight_after(first - 1)
        yield when, event, c, which[days == first]

    def _next_due(self, t: int):
        best = None
        for cand in self.clock_candidates():
            if cand[0] <= t and (best is None or cand[0] < best[0]):
                best = cand
        return best

    def _fire_due(self, due, numero: int) -> None:
        when, event, c, which = due
        if c is None:
            self._fire_registro(which, event, when, numero)
            return
        self._fire(c, which, event, when, numero)

    # --- transitions ----------------------------------------------------------------------
    def _move(self, states: np.ndarray, index: np.ndarray, ids: np.ndarray, table: np.ndarray,
              chart: CompiledChart, event: str, at: int, numero: int, ciclo: str | None,
              nota: str = "") -> None:
        """Fire ``event`` on ``states[index]`` (all allowed: callers filter) and log it."""
        src = states[index]
        dst = table[src, chart.event_code(event)]
        assert (dst >= 0).all(), f"{event} not allowed for some {chart.name} rows"
        dst = dst.astype(np.int8)
        states[index] = dst
        self.lotes.append(Lote(numero, at, ciclo, event, ids, src.copy(), dst, nota))
        self.transiciones += len(index)

    def _fire(self, c: CicloEstado, positions: np.ndarray, event: str, at: int, numero: int,
              nota: str = "") -> None:
        """Fire ``event`` for the procedures of cycle ``c`` at ``positions``."""
        if not len(positions):
            return
        ids = c.idx[positions]
        self._move(c.state, positions, ids, EXP_TABLE, EXPEDIENTE, event, at, numero, c.nombre,
                   nota)
        for efecto in _EFECTOS_EXPEDIENTE.get(event, ()):
            self._fire_registro_where_allowed(ids, efecto, at, numero)

    def _fire_registro(self, ids: np.ndarray, event: str, at: int, numero: int) -> None:
        if not len(ids):
            return
        self._move(self.registro, ids, ids, REG_TABLE, REGISTRO, event, at, numero, None)
        for efecto in _EFECTOS_REGISTRO.get(event, ()):
            for c in self.ciclos.values():
                positions = c.positions_of(ids)
                positions = positions[positions >= 0]
                e2 = EXPEDIENTE.event_code(efecto)
                allowed = positions[EXP_TABLE[c.state[positions], e2] >= 0]
                self._fire(c, allowed, efecto, at, numero)

    def _fire_registro_where_allowed(self, ids: np.ndarray, event: str, at: int,
                                     numero: int) -> None:
        e = REGISTRO.event_code(event)
        allowed = ids[REG_TABLE[self.registro[ids], e] >= 0]
        self._fire_registro(allowed, event, at, numero)

    # --- resolving rows ---------------------------------------------------------------------
    def _resolve(self, entrada: inp.Entrada, result: _EnCurso, numero: int, c: CicloEstado,
                 rfcs: Sequence[str], filas: Sequence[int | None]) -> tuple[np.ndarray, list[int]]:
        """Map RFC rows to positions in cycle ``c``; refuse unknown, absent and repeated rows.
        Returns (positions, row indexes into ``rfcs``) of the rows that are in the cycle."""
        archivo = entrada.archivo
        positions: list[int] = []
        rows: list[int] = []
        seen: dict[int, int] = {}
        index, pos = self.index, c.pos
        tipo = inp.tipo(entrada)
        for k, raw in enumerate(rfcs):
            rfc = normalize_rfc(raw)
            i = index.get(rfc)
            motivo = None
            if i is None:
                check = check_rfcs([rfc])[0]
                motivo = check.error or "RFC desconocido: no está en ningún padrón recibido"
            elif i >= len(pos) or pos[i] < 0:
                motivo = f"no está en el padrón del ciclo {c.nombre}"
            elif pos[i] in seen:
                motivo = f"RFC repetido en la entrada (ya en la fila {seen[pos[i]]})"
            if motivo:
                result.rechazos.append(Rechazo(numero, tipo, rfc, motivo, archivo, filas[k]))
                continue
            seen[int(pos[i])] = filas[k] if filas[k] is not None else k + 1
            positions.append(int(pos[i]))
            rows.append(k)
        return np.array(positions, dtype=np.int32), rows

    def _refuse_not_allowed(self, entrada, result, numero, c, positions, rows, rfcs, filas,
                            event, explain: Callable[[int], str]) -> tuple[np.ndarray, list[int]]:
        """Keep the positions where ``event`` is allowed; refuse the rest with ``explain``."""
        allowed = EXP_TABLE[c.state[positions], EXPEDIENTE.event_code(event)] >= 0
        for p, k in zip(positions[~allowed].tolist(),
                        [k for k, a in zip(rows, allowed.tolist(), strict=True) if not a],
                        strict=True):
            result.rechazos.append(Rechazo(numero, inp.tipo(entrada), normalize_rfc(rfcs[k]),
                                           explain(p), entrada.archivo, filas[k]))
        kept_rows = [k for k, a in zip(rows, allowed.tolist(), strict=True) if a]
        return positions[allowed], kept_rows

    def _state_reason(self, c: CicloEstado, p: int, accion: str, esperado: str) -> str:
        estado = EXPEDIENTE.states[c.state[p]]
        if EXP_FINAL[c.state[p]]:
            return f"el expediente del ciclo {c.nombre} ya concluyó en «{estado}»"
        return f"{accion} no procede en el estado «{estado}» (procede en «{esperado}»)"

    # --- the inputs -------------------------------------------------------------------------
    def _on_reloj(self, entrada: inp.Reloj, result: _EnCurso, numero: int) -> None:
        result.aceptadas = 1

    def _on_calendario(self, entrada: inp.CalendarioVigente, result: _EnCurso,
                       numero: int) -> None:
        self.cal = Calendarios(DatosCalendario(entrada.cierre, entrada.revisado),
                               entrada.politicas)
        result.aceptadas = 1
        # A newly published closure changes the running plazos from now on.
        for c in self.ciclos.values():
            self._recompute_plazos(c)

    def _recompute_plazos(self, c: CicloEstado) -> None:
        today = _day(instant(self.reloj))
        exh = np.flatnonzero((c.state == EXP["exhortado"])
                             | ((c.state == EXP["segunda_consulta"]) & (c.d2 > today)))
        for notified, positions in _by_day(c.t_exh, exh):
            self._set_regularizacion(c, positions, notified)
        aud = np.flatnonzero((c.state == EXP["en_cancelacion"])
                             | ((c.state == EXP["tercera_consulta"]) & (c.d3 > today)))
        for notified, positions in _by_day(c.t_ini, aud):
            self._set_audiencia(c, positions, notified)

    def _on_padron(self, entrada: inp.Padron, result: _EnCurso, numero: int) -> None:
        ciclo = Ciclo.parse(entrada.ciclo)
        c = self.ciclos.get(str(ciclo))
        rows = entrada.contratistas
        rfcs, errors, avisos = check_rfc_batch([r.rfc for r in rows])
        today = _day(entrada.at)
        starts = np.fromiter((r.fecha_registro.toordinal() for r in rows), np.int32, len(rows))
        vences_arr = add_months(starts, 12 * TERM_YEARS)
        if (not errors and not any(map(self.index.__contains__, rfcs))
                and len(set(rfcs)) == len(rfcs) and not (vences_arr <= today).any()
                and not (starts > today).any() and all(r.razon_social.strip() for r in rows)):
            # The common case of a first padrón: every row is new and valid.
            new_rows = list(range(len(rows)))
            member_ids: list[int] = []
            result.avisos.extend(_aviso(entrada.archivo, rows[k].fila, k, rfcs[k], texto)
                                 for k, texto in sorted(avisos.items()))
        else:
            new_rows, member_ids = self._padron_rows(entrada, result, numero, c, rfcs, errors,
                                                     avisos, starts, vences_arr.tolist(), today)
        self._add_contractors([rows[k] for k in new_rows], [rfcs[k] for k in new_rows],
                              starts[new_rows])
        member_ids.extend(self.index[rfcs[k]] for k in new_rows)
        if c is None:
            c = self.ciclos[str(ciclo)] = CicloEstado(ciclo)
            c.t_padron = epoch(entrada.at)
            if not self.cal.conjunto().es_habil(ciclo.fecha_consulta):
                result.avisos.append(f"La fecha de consulta {ciclo.fecha_consulta} no es día "
                                     "hábil: se mantiene (numeral 1).")
        c.grow_pos(len(self.rfcs))
        for other in self.ciclos.values():
            other.grow_pos(len(self.rfcs))
        ids = np.array(member_ids, dtype=np.int32)
        positions = c.add(ids)
        self._fire(c, positions, "padron_recibido", epoch(entrada.at), numero)
        result.aceptadas = len(ids)

    def _padron_rows(self, entrada: inp.Padron, result: _EnCurso, numero: int,
                     c: CicloEstado | None, rfcs: list[str], errors: dict[int, str],
                     avisos: dict[int, str], starts: np.ndarray, vences: list[int], today: int
                     ) -> tuple[list[int], list[int]]:
        """Row by row: (rows of new contractors, ids of known ones), refusing the rest."""
        rows = entrada.contratistas
        cancelled = REG["registro_cancelado"]
        registro = self.registro
        new_rows: list[int] = []
        member_ids: list[int] = []
        seen: dict[str, int] = {}
        for k, (row, rfc) in enumerate(zip(rows, rfcs, strict=True)):
            motivo = errors.get(k)
            i = self.index.get(rfc)
            if motivo is None and rfc in seen:
                motivo = f"RFC repetido en el padrón (ya en la fila {seen[rfc]})"
            if motivo is None and c is not None and i is not None and i < len(c.pos) \
                    and c.pos[i] >= 0:
                motivo = f"ya está en el padrón del ciclo {c.nombre}"
            if motivo is None and i is not None and registro[i] == cancelled:
                motivo = ("su registro REPSE está cancelado: no puede estar en el padrón "
                          "vigente")
            vence = vences[k]
            if motivo is None and vence <= today:
                motivo = (f"la vigencia de tres años terminó el {fecha(vence - 1)} (fecha de "
                          f"registro {row.fecha_registro:%d-%m-%Y}): el padrón solo incluye "
                          "registros vigentes; corrija la fecha o registre la renovación")
            if motivo is None and starts[k] > today:
                motivo = f"fecha de registro futura: {row.fecha_registro:%d-%m-%Y}"
            if motivo is None and not row.razon_social.strip():
                motivo = "falta la razón social"
            if motivo:
                result.rechazos.append(Rechazo(numero, "padron", rfc, motivo,
                                               entrada.archivo, row.fila))
                continue
            seen[rfc] = row.fila if row.fila is not None else k + 1
            if k in avisos:
                result.avisos.append(_aviso(entrada.archivo, row.fila, k, rfc, avisos[k]))
            if i is None:
                new_rows.append(k)
            else:
                self._refresh(i, row)
                member_ids.append(i)
        return new_rows, member_ids

    def _refresh(self, i: int, row: inp.FilaPadron) -> None:
        """A padrón is the current truth about a registration: newer data replaces older."""
        self.razon_social[i] = row.razon_social.strip()
        self.folio[i] = row.folio.strip()
        self.correo[i] = row.correo
        self.domicilio[i] = row.domicilio
        start = row.fecha_registro.toordinal()
        if start > self.fecha_registro[i]:  # a renewal recorded by STPS outside this system
            self.fecha_registro[i] = start
            self.vence[i] = _anniversary(row.fecha_registro)
            self.ventana[i] = add_months(np.array([self.vence[i]]), -WINDOW_MONTHS)[0]

    def _add_contractors(self, rows: Sequence[inp.FilaPadron], rfcs: Sequence[str],
                         starts: np.ndarray) -> None:
        start = len(self.rfcs)
        for k, rfc in enumerate(rfcs):
            self.index[rfc] = start + k
        self.rfcs.extend(rfcs)
        self.razon_social.extend(r.razon_social.strip() for r in rows)
        self.folio.extend(r.folio.strip() for r in rows)
        self.correo.extend(r.correo for r in rows)
        self.domicilio.extend(r.domicilio for r in rows)
        vence = add_months(starts, 12 * TERM_YEARS)
        self.fecha_registro = np.concatenate([self.fecha_registro, starts])
        self.vence = np.concatenate([self.vence, vence])
        self.ventana = np.concatenate([self.ventana, add_months(vence, -WINDOW_MONTHS)])
        self.registro = np.concatenate(
            [self.registro, np.full(len(rows), REG["registro_vigente"], np.int8)])

    def _on_opiniones(self, entrada: inp.Opiniones, result: _EnCurso, numero: int) -> None:
        c = self.ciclos[str(Ciclo.parse(entrada.ciclo))]
        ronda = entrada.ronda
        esperado = AWAITING[ronda]
        t = epoch(entrada.at)
        today = _day(entrada.at)
        rows = entrada.resultados
        rfcs = [r.rfc for r in rows]
        filas = [r.fila for r in rows]
        positions, kept = self._resolve(entrada, result, numero, c, rfcs, filas)
        premature = self._premature(c, positions, ronda, today)
        ok = np.ones(len(positions), dtype=bool)
        for j, (p, k) in enumerate(zip(positions.tolist(), kept, strict=True)):
            reason = premature.get(p)
            if reason is None and c.state[p] != EXP[esperado]:
                reason = self._state_reason(c, p, f"una opinión de la {RONDA_NOMBRE[ronda]}",
                                            esperado)
            if reason:
                ok[j] = False
                result.rechazos.append(Rechazo(numero, "opiniones", normalize_rfc(rfcs[k]),
                                               reason, entrada.archivo, filas[k]))
        positions = positions[ok]
        kept = [k for k, good in zip(kept, ok.tolist(), strict=True) if good]
        codes = np.array([OPINION_CODE[rows[k].opinion] for k in kept], dtype=np.int8)
        if entrada.completo:
            # IMSS deposits the Negativa and Sin opinión lists: everyone awaiting this round
            # and absent from them is positiva (DOMAIN.md, "The semester cycle").
            awaiting = np.flatnonzero(c.state == EXP[esperado])
            awaiting = awaiting[~self._premature_mask(c, awaiting, ronda, today)]
            listed = np.zeros(len(c.state), dtype=bool)
            listed[positions] = True
            absent = awaiting[~listed[awaiting]]
            positions = np.concatenate([positions, absent.astype(np.int32)])
            codes = np.concatenate([codes, np.full(len(absent), OPINION_CODE["positiva"],
                                                   np.int8)])
        column = {1: "t_r1", 2: "t_r2", 3: "t_r3"}.get(ronda)
        if column:
            getattr(c, column)[positions] = t
        if ronda == 1:
            c.opinion_r1[positions] = codes
            flagged = positions[codes != OPINION_CODE["positiva"]]
            due = habil_plazo_end(entrada.at.date(), DIAS_EXHORTO, self.cal.conjunto())
            c.exh_due[flagged] = due.toordinal()
        if ronda == "diaria":
            c.diarias.append(t)
        c.opinion[positions] = codes
        for name, code in OPINION_CODE.items():
            if name:
                self._fire(c, positions[codes == code], OPINION_EVENT[name], t, numero)
        if ronda == 3:
            # STPS cancels the same day as the third consultation (numeral 6).
            bad = positions[codes != OPINION_CODE["positiva"]]
            c.cancel_due[bad] = today
        if ronda == "diaria":  # a positiva ends the daily updates for that contractor
            c.susp_hasta[positions[codes == OPINION_CODE["positiva"]]] = today
        result.aceptadas = len(positions)

    def _premature(self, c: CicloEstado, positions: np.ndarray, ronda, today: int
                   ) -> dict[int, str]:
        """Opinions sent before the day the round may be consulted, with the reason why."""
        reasons: dict[int, str] = {}
        if ronda not in (2, 3):
            return reasons
        running, consult = (("exhortado", c.d2) if ronda == 2 else ("en_cancelacion", c.d3))
        plazo = ("de regularización (30 días naturales)" if ronda == 2
                 else "para manifestar (5 días hábiles)")
        nombre = "segunda" if ronda == 2 else "tercera"
        for p in positions.tolist():
            state = c.state[p]
            if state == EXP[running] or (state == EXP[AWAITING[ronda]] and consult[p] > today):
                last = int(c.plazo_fin[p])
                extra = ""
                if ronda == 2:
                    notified = instant(int(c.t_exh[p])).date()
                    bare = (notified + timedelta(days=DIAS_REGULARIZACION)).toordinal()
                    if bare != last:
                        extra = (f", prorrogado porque su último día natural, {fecha(bare)}, "
                                 "es inhábil (LFPA art. 29)")
                reasons[p] = (f"opinión prematura: el plazo {plazo} vence el {fecha(last)}"
                              f"{extra}; la {nombre} consulta procede a partir del "
                              f"{fecha(int(consult[p]))}")
        return reasons

    def _premature_mask(self, c, positions, ronda, today) -> np.ndarray:
        if ronda == 2:
            return c.d2[positions] > today
        if ronda == 3:
            return c.d3[positions] > today
        return np.zeros(len(positions), dtype=bool)

    def _rfc_act(self, entrada: inp._ActoRfcs, result: _EnCurso, numero: int, event: str,
                 accion: str, esperado: str) -> tuple[CicloEstado, np.ndarray]:
        c = self.ciclos[str(Ciclo.parse(entrada.ciclo))]
        filas = list(entrada.filas) if entrada.filas else [None] * len(entrada.rfcs)
        positions, rows = self._resolve(entrada, result, numero, c, entrada.rfcs, filas)
        positions, rows = self._refuse_not_allowed(
            entrada, result, numero, c, positions, rows, entrada.rfcs, filas, event,
            lambda p: self._state_reason(c, p, accion, esperado))
        result.aceptadas = len(positions)
        return c, positions

    def _on_exhorto(self, entrada: inp.Exhorto, result: _EnCurso, numero: int) -> None:
        c, positions = self._rfc_act(entrada, result, numero, "exhorto_notificado",
                                     "el exhorto", "senalado")
        c.t_exh[positions] = epoch(entrada.at)
        self._set_regularizacion(c, positions, entrada.at.astimezone(MX).date())
        self._fire(c, positions, "exhorto_notificado", epoch(entrada.at), numero)

    def _set_regularizacion(self, c: CicloEstado, positions: np.ndarray, notified: date
                            ) -> None:
        """The 30-day plazo of everyone notified on one day (numeral 2), and their D2."""
        conjunto = self.cal.conjunto()
        last = natural_plazo_end(notified, DIAS_REGULARIZACION, conjunto,
                                 prorroga=self.cal.politicas.prorroga_plazo_natural)
        c.plazo_fin[positions] = last.toordinal()
        c.d2[positions] = next_habil_day(last, conjunto).toordinal()

    def _set_audiencia(self, c: CicloEstado, positions: np.ndarray, notified: date) -> None:
        """The 5-hábil-day plazo of everyone notified on one day (numeral 4), and their D3."""
        last = habil_plazo_end(notified, DIAS_AUDIENCIA, self.cal.stps("cancelacion"))
        c.plazo_fin[positions] = last.toordinal()
        c.d3[positions] = next_habil_day(last, self.cal.conjunto()).toordinal()

    def _on_inicio_cancelacion(self, entrada: inp.InicioCancelacion, result: _EnCurso,
                               numero: int) -> None:
        c, positions = self._rfc_act(entrada, result, numero, "inicio_cancelacion",
                                     "el inicio de la cancelación", "por_iniciar_cancelacion")
        c.t_ini[positions] = epoch(entrada.at)
        notified = entrada.at.astimezone(MX).date()
        if not self.cal.stps("cancelacion").es_habil(notified) and len(positions):
            result.avisos.append(f"El inicio de la cancelación se notifica en día inhábil para "
                                 f"la STPS ({fecha(notified.toordinal())}).")
        self._set_audiencia(c, positions, notified)
        self._fire(c, positions, "inicio_cancelacion", epoch(entrada.at), numero)

    def _on_cancelacion(self, entrada: inp.Cancelacion, result: _EnCurso, numero: int) -> None:
        c, positions = self._rfc_act(entrada, result, numero, "cancelacion", "la cancelación",
                                     "por_cancelar")
        t = epoch(entrada.at)
        first = positions[c.t_fin[positions] == 0]
        c.t_fin[first] = t
        suspended = positions[c.state[positions] == EXP["cancelacion_suspendida"]]
        c.susp_hasta[suspended] = _day(entrada.at)
        self._fire(c, positions, "cancelacion", t, numero)

    def _on_cancelacion_impedida(self, entrada: inp.CancelacionImpedida, result: _EnCurso,
                                 numero: int) -> None:
        c, positions = self._rfc_act(entrada, result, numero, "cancelacion_impedida",
                                     "el impedimento de la cancelación", "por_cancelar")
        c.t_fin[positions] = epoch(entrada.at)
        c.susp_desde[positions] = _day(entrada.at)
        self._fire(c, positions, "cancelacion_impedida", epoch(entrada.at), numero,
                   nota=entrada.motivo)

    def _on_criterio(self, entrada: inp.Criterio, result: _EnCurso, numero: int) -> None:
        c, positions = self._rfc_act(entrada, result, numero, "criterio_exclusion",
                                     "la exclusión", "un estado no final")
        suspended = positions[c.state[positions] == EXP["cancelacion_suspendida"]]
        c.susp_hasta[suspended] = _day(entrada.at)
        self._fire(c, positions, "criterio_exclusion", epoch(entrada.at), numero,
                   nota=entrada.texto)

    def _on_manifestacion(self, entrada: inp.Manifestacion, result: _EnCurso,
                          numero: int) -> None:
        c = self.ciclos[str(Ciclo.parse(entrada.ciclo))]
        positions, _ = self._resolve(entrada, result, numero, c, [entrada.rfc], [None])
        for p in positions.tolist():
            self.notas.append(Nota(numero, epoch(entrada.at), c.nombre, int(c.idx[p]),
                                   entrada.resumen))
        result.aceptadas = len(positions)

    def _on_cancelacion_registro(self, entrada: inp.CancelacionRegistro, result: _EnCurso,
                                 numero: int) -> None:
        filas = list(entrada.filas) if entrada.filas else [None] * len(entrada.rfcs)
        event = REGISTRO.event_code("cancelacion_registro")
        ids: list[int] = []
        for raw, fila in zip(entrada.rfcs, filas, strict=True):
            rfc = normalize_rfc(raw)
            i = self.index.get(rfc)
            motivo = None
            if i is None:
                motivo = "RFC desconocido: no está en ningún padrón recibido"
            elif REG_TABLE[self.registro[i], event] < 0:
                motivo = (f"el registro ya está en «{REGISTRO.states[self.registro[i]]}»")
            elif i in ids:
                motivo = "RFC repetido en la entrada"
            if motivo:
                result.rechazos.append(Rechazo(numero, "cancelacion_registro", rfc, motivo,
                                               entrada.archivo, fila))
            else:
                ids.append(i)
        self._fire_registro(np.array(ids, dtype=np.int32), "cancelacion_registro",
                            epoch(entrada.at), numero)
        result.aceptadas = len(ids)

    def _on_renovacion(self, entrada: inp.Renovacion, result: _EnCurso, numero: int) -> None:
        rfc = normalize_rfc(entrada.rfc)
        i = self.index.get(rfc)
        event = {"solicitada": "renovacion_solicitada", "otorgada": "renovacion_otorgada",
                 "negada": "renovacion_negada"}[entrada.resultado]
        # Refused as a row, not as a whole input: the clock has already moved to ``at``, and
        # a whole refusal would leave that move in memory but not in the log.
        motivo = None
        if i is None:
            motivo = "RFC desconocido: no está en ningún padrón recibido"
        elif REG_TABLE[self.registro[i], REGISTRO.event_code(event)] < 0:
            state = REGISTRO.states[self.registro[i]]
            if event == "renovacion_solicitada" and state == "registro_vigente":
                motivo = (f"la renovación solo puede solicitarse en los tres meses previos al fin "
                          f"de la vigencia: la ventana abre el {fecha(int(self.ventana[i]))}")
            else:
                motivo = (f"«renovación {entrada.resultado}» no procede con el registro en "
                          f"«{state}»")
        if motivo:
            result.rechazos.append(Rechazo(numero, "renovacion", rfc, motivo, entrada.archivo))
            return
        ids = np.array([i], dtype=np.int32)
        if event == "renovacion_otorgada":
            # Three more years counted from the end of the previous term (DÉCIMO TERCERO).
            self.vence[i] = add_months(self.vence[ids], 12 * TERM_YEARS)[0]
            self.ventana[i] = add_months(self.vence[ids], -WINDOW_MONTHS)[0]
        self._fire_registro(ids, event, epoch(entrada.at), numero)
        result.aceptadas = 1

    # ---------------------------------------------------------------------------------------
    # Reading the state
    # ---------------------------------------------------------------------------------------
    def ciclos_ordenados(self) -> list[CicloEstado]:
        return sorted(self.ciclos.values(), key=lambda c: c.ciclo)

    def ciclo_mostrado(self) -> tuple[list[CicloEstado], np.ndarray]:
        """(cycles oldest first, per contractor the index of the latest cycle whose padrón
        included it, -1 for none): a contractor shows the state of its latest procedure."""
        ciclos = self.ciclos_ordenados()
        which = np.full(len(self.rfcs), -1, dtype=np.int16)
        for k, c in enumerate(ciclos):  # later cycles overwrite
            which[c.idx] = k
        return ciclos, which

    def ultimo_ciclo_de(self, i: int) -> CicloEstado | None:
        """The latest cycle whose padrón included contractor ``i``."""
        return next((c for c in reversed(self.ciclos_ordenados())
                     if i < len(c.pos) and c.pos[i] >= 0), None)


_EFECTOS_EXPEDIENTE: dict[str, tuple[str, ...]] = {}
_EFECTOS_REGISTRO: dict[str, tuple[str, ...]] = {}


def _load_effects() -> None:
    """The ways the charts affect each other, as the chart classes declare them."""
    from .lifecycle import Expediente, Registro

    for chart, target in ((Expediente, _EFECTOS_EXPEDIENTE), (Registro, _EFECTOS_REGISTRO)):
        for efecto in chart.efectos:
            target[efecto.evento] = (*target.get(efecto.evento, ()), efecto.dispara)


_load_effects()


def _by_day(instants: np.ndarray, positions: np.ndarray) -> Iterable[tuple[date, np.ndarray]]:
    """Group ``positions`` by the Mexico City day of their notification instant."""
    distinct, inverse = np.unique(instants[positions], return_inverse=True)
    days = np.array([instant(int(t)).date().toordinal() for t in distinct.tolist()],
                    dtype=np.int32)
    per_position = days[inverse] if len(distinct) else days
    for day in np.unique(per_position).tolist():
        yield date.fromordinal(day), positions[per_position == day]


def _anniversary(start: date) -> int:
    return int(add_months(np.array([start.toordinal()], dtype=np.int32), 12 * TERM_YEARS)[0])


def _aviso(archivo: str | None, fila: int | None, k: int, rfc: str, texto: str) -> str:
    where = f"{archivo}, fila {fila}" if archivo and fila else f"fila {fila or k + 1}"
    return f"{where}: {rfc}: {texto}"


# --------------------------------------------------------------------------------------------
# Snapshots: the whole state as bytes (same state → same bytes), to reopen a store fast
# --------------------------------------------------------------------------------------------
class _LoteS(msgspec.Struct, array_like=True):
    entrada: int
    at: int
    ciclo: str | None
    evento: str
    idx: bytes
    desde: bytes
    hacia: bytes
    nota: str


class _CicloS(msgspec.Struct, array_like=True):
    nombre: str
    columnas: dict[str, bytes]
    pos: bytes
    t_padron: int
    diarias: list[int]


class _EngineS(msgspec.Struct, array_like=True):
    datos: DatosCalendario
    politicas: Politicas
    reloj: int
    rfcs: list[str]
    razon_social: list[str]
    folio: list[str]
    correo: list[str | None]
    domicilio: list[str | None]
    arrays: dict[str, bytes]
    ciclos: list[_CicloS]
    lotes: list[_LoteS]
    notas: list[tuple[int, int, str, int, str]]
    rechazos: list[Rechazo]
    transiciones: int


_ENGINE_ARRAYS = {"fecha_registro": np.int32, "vence": np.int32, "ventana": np.int32,
                  "registro": np.int8}


def dump(engine: Engine) -> bytes:
    ciclos = [
        _CicloS(c.nombre, {name: getattr(c, name).tobytes() for name in c.columns()},
                c.pos.tobytes(), c.t_padron, list(c.diarias))
        for c in engine.ciclos.values()
    ]
    lotes = [_LoteS(lo.entrada, lo.at, lo.ciclo, lo.evento, lo.idx.astype(np.int32).tobytes(),
                    lo.desde.astype(np.int8).tobytes(), lo.hacia.astype(np.int8).tobytes(),
                    lo.nota) for lo in engine.lotes]
    state = _EngineS(
        engine.cal.datos, engine.cal.politicas, engine.reloj, engine.rfcs, engine.razon_social,
        engine.folio, engine.correo, engine.domicilio,
        {name: getattr(engine, name).tobytes() for name in _ENGINE_ARRAYS}, ciclos, lotes,
        [(n.entrada, n.at, n.ciclo, n.idx, n.texto) for n in engine.notas], engine.rechazos,
        engine.transiciones)
    return msgspec.msgpack.encode(state)


def load(data: bytes) -> Engine:
    s = msgspec.msgpack.decode(data, type=_EngineS)
    engine = Engine(Calendarios(s.datos, s.politicas))
    engine.reloj = s.reloj
    engine.rfcs, engine.razon_social, engine.folio = s.rfcs, s.razon_social, s.folio
    engine.correo, engine.domicilio = s.correo, s.domicilio
    engine.index = {rfc: i for i, rfc in enumerate(s.rfcs)}
    for name, dtype in _ENGINE_ARRAYS.items():
        setattr(engine, name, np.frombuffer(s.arrays[name], dtype=dtype).copy())
    for cs in s.ciclos:
        c = CicloEstado(Ciclo.parse(cs.nombre))
        for name in c.columns():
            dtype = getattr(c, name).dtype
            setattr(c, name, np.frombuffer(cs.columnas[name], dtype=dtype).copy())
        c.pos = np.frombuffer(cs.pos, dtype=np.int32).copy()
        c.t_padron, c.diarias = cs.t_padron, cs.diarias
        engine.ciclos[c.nombre] = c
    engine.lotes = [Lote(lo.entrada, lo.at, lo.ciclo, lo.evento,
                         np.frombuffer(lo.idx, dtype=np.int32),
                         np.frombuffer(lo.desde, dtype=np.int8),
                         np.frombuffer(lo.hacia, dtype=np.int8), lo.nota) for lo in s.lotes]
    engine.notas = [Nota(*n) for n in s.notas]
    engine.rechazos = s.rechazos
    engine.transiciones = s.transiciones
    return engine
