"""The four-monthly contract reports (LSS art. 15 A) in the engine.

A period concerns every registered contractor, so each period is kept as dense columns over the
contractor ids (``PeriodoEstado``): the report's state code (``NO_DEBE``: the contractor does not
owe it), the day it was filed, the fine in UMA. Who owes a period follows from two columns per
contractor: ``alta``, the first day of registration the engine saw, and ``baja``, the first day
it was no longer vigente (0 while it is). A period opens when the clock reaches its first day;
contractors a later padrón adds join every open period they owe.

Their history goes into the engine's batches (``Lote``) like the other charts', with the period
(``AAAA-Cn``) where a cycle's batches hold the cycle: :func:`tabla_de` tells them apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from functools import partial

import numpy as np

from .. import inputs as inp
from ..declaraciones import Periodo, vencimiento
from ..errors import Rechazo
from ..rfc import check_rfcs, normalize_rfc
from ..table import DECLARACION, EXPEDIENTE, REGISTRO, CompiledChart
from .columnas import REG
from .compartida import copiar
from .estado import EstadoMotor
from .filas import EnCurso
from .tiempo import dia, epoch, fecha, instant, midnight_after

NO_DEBE = -1
DECL = {s: DECLARACION.state_code(s) for s in DECLARACION.states}
DECL_TABLE = np.array(DECLARACION.targets, dtype=np.int16).reshape(len(DECLARACION.states),
                                                                   len(DECLARACION.events))
COLUMNAS_DECLARACION = ("alta", "baja")
"""The per-contractor columns of the reports (copies and snapshots take them all)."""

_COLUMNA = {"columna": True}
_I32, _I16, _I8 = (partial(np.zeros, 0, dtype) for dtype in (np.int32, np.int16, np.int8))


def tabla_de(ciclo: str | None) -> CompiledChart:
    """The chart of a batch: the registration (no cycle), a period's reports (``AAAA-Cn``) or a
    cycle's procedures."""
    if ciclo is None:
        return REGISTRO
    return DECLARACION if "-C" in ciclo else EXPEDIENTE


@dataclass(eq=False)
class PeriodoEstado:
    """Every contractor's report of one period, by contractor id."""

    periodo: Periodo
    estado: np.ndarray = field(default_factory=_I8, metadata=_COLUMNA)  # NO_DEBE: not owed
    presentada: np.ndarray = field(default_factory=_I32, metadata=_COLUMNA)  # filing day
    umas: np.ndarray = field(default_factory=_I16, metadata=_COLUMNA)  # the fine imposed

    @property
    def nombre(self) -> str:
        return str(self.periodo)

    @staticmethod
    def columnas() -> tuple[str, ...]:
        return _COLUMNAS

    def crecer(self, debe: np.ndarray) -> None:
        """Rows for the next ``len(debe)`` contractor ids: pendiente where they owe it."""
        for name in _COLUMNAS:
            old = getattr(self, name)
            extra = np.zeros(len(debe), dtype=old.dtype)
            if name == "estado":
                extra = np.where(debe, DECL["pendiente"], NO_DEBE).astype(old.dtype)
            setattr(self, name, np.concatenate([old, extra]))

    def copia(self) -> PeriodoEstado:
        return PeriodoEstado(self.periodo, **{n: copiar(getattr(self, n)) for n in _COLUMNAS})


_COLUMNAS = tuple(f.name for f in fields(PeriodoEstado) if f.metadata.get("columna"))


class EstadoDeclaraciones(EstadoMotor):
    """The engine's state with the reports of every period it follows."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.alta = np.zeros(0, dtype=np.int32)
        self.baja = np.zeros(0, dtype=np.int32)
        self.periodos: dict[str, PeriodoEstado] = {}

    def vence_periodo(self, periodo: Periodo) -> int:
        """The last day to file ``periodo``, by the calendars in force."""
        return vencimiento(periodo, self.cal).toordinal()

    def _debe(self, p: Periodo, ids: np.ndarray) -> np.ndarray:
        """Whether each of ``ids`` had a vigente registration at some time in ``p``."""
        return ((self.alta[ids] < p.fin.toordinal())
                & ((self.baja[ids] == 0) | (self.baja[ids] > p.inicio.toordinal())))

    def declaraciones_al_dia(self, t: int) -> None:
        """Bring the reports up to instant ``t``: new contractors' ``alta``, registrations that
        ended, periods that began, and the new contractors in every open period."""
        n, antes = len(self.rfcs), len(self.alta)
        if n > antes:
            self.alta = np.concatenate([self.alta, self.fecha_registro[antes:]])
            self.baja = np.concatenate([self.baja, np.zeros(n - antes, np.int32)])
        vencido = self.registro == REG["registro_vencido"]
        ended = np.flatnonzero((self.baja == 0)
                               & (vencido | (self.registro == REG["registro_cancelado"])))
        if len(ended):  # a lapsed term ended on its anniversary; a cancellation, now
            self.baja[ended] = np.where(vencido[ended], self.vence[ended], dia(instant(t)))
        for periodo in self.periodos.values():
            m = len(periodo.estado)
            if m < n:
                periodo.crecer(self._debe(periodo.periodo, np.arange(m, n)))
        if not n:
            return
        hoy = instant(t).date()
        siguiente = (max(map(Periodo.parse, self.periodos)).siguiente() if self.periodos
                     else _primer_periodo(hoy, self))
        while siguiente.inicio <= hoy:
            periodo = PeriodoEstado(siguiente)
            periodo.crecer(self._debe(siguiente, np.arange(n)))
            self.periodos[periodo.nombre] = periodo
            siguiente = siguiente.siguiente()

    def candidatos_declaraciones(self) -> Iterable[tuple[int, str, PeriodoEstado, np.ndarray]]:
        """The end of each period's due date, for the reports still pendiente."""
        for periodo in self.periodos.values():
            pendientes = np.flatnonzero(periodo.estado == DECL["pendiente"])
            if len(pendientes):
                yield (midnight_after(self.vence_periodo(periodo.periodo)), "fin_plazo_declaracion",
                       periodo, pendientes)

    def fire_declaracion(self, periodo: PeriodoEstado, ids: np.ndarray, event: str, at: int,
                         numero: int) -> None:
        if len(ids):
            self._move(periodo.estado, ids, ids, DECL_TABLE, DECLARACION, event, at, numero,
                       periodo.nombre)

    def copiar_declaraciones(self, otro: EstadoDeclaraciones) -> None:
        """Give ``otro`` (a shallow copy of this engine) its own reports."""
        for name in COLUMNAS_DECLARACION:
            setattr(otro, name, copiar(getattr(self, name)))
        otro.periodos = {k: p.copia() for k, p in self.periodos.items()}

    # --- the inputs ---------------------------------------------------------------------------
    def precheck_periodo(self, entrada: inp.Entrada) -> str | None:
        """Why a report input cannot apply as a whole (its period is not followed), or None."""
        periodo = getattr(entrada, "periodo", None)
        if periodo is None:
            return None
        if Periodo.parse(periodo).inicio > entrada.at.date():
            return f"el periodo {periodo} aún no empieza"
        if str(periodo) not in self.periodos and not _seguira(self, periodo, entrada.at.date()):
            primero = min(self.periodos) if self.periodos else None
            desde = f" (se siguen desde {primero})" if primero else ""
            return (f"el periodo {periodo} no se sigue: es anterior al primer padrón "
                    f"recibido{desde}")
        return None

    def on_declaraciones(self, entrada: inp.Declaraciones, result: EnCurso, numero: int
                         ) -> None:
        periodo = self.periodos[str(entrada.periodo)]
        vence = self.vence_periodo(periodo.periodo)
        hoy = dia(entrada.at)
        rows = entrada.declaraciones
        ids, kept = self._resolver(entrada, result, numero, periodo,
                                   [r.rfc for r in rows], [r.fila for r in rows])
        grupos: dict[str, list[int]] = {"declaracion_presentada": [],
                                        "declaracion_extemporanea": [], "sin_contratos": []}
        for i, k in zip(ids.tolist(), kept, strict=True):
            row = rows[k]
            dia_fila = row.fecha.toordinal()
            estado = DECLARACION.states[periodo.estado[i]]
            motivo = None
            if dia_fila > hoy:
                motivo = f"fecha de presentación {fecha(dia_fila)} posterior a la entrada"
            elif dia_fila < periodo.periodo.inicio.toordinal():
                motivo = (f"fecha de presentación {fecha(dia_fila)} anterior al periodo "
                          f"{periodo.nombre}")
            elif row.sin_contratos:
                if estado not in ("pendiente", "omisa"):
                    motivo = f"«sin contratos» no procede: la declaración ya está «{estado}»"
                else:
                    grupos["sin_contratos"].append(i)
                    continue
            elif dia_fila <= vence and estado == "omisa":
                motivo = (f"presentada en plazo ({fecha(dia_fila)}, vence {fecha(vence)}) pero "
                          "la lista llegó después del vencimiento: regístrela como entrada "
                          "retroactiva con fecha a más tardar el vencimiento")
            else:
                evento = ("declaracion_presentada" if dia_fila <= vence
                          else "declaracion_extemporanea")
                if DECL_TABLE[periodo.estado[i], DECLARACION.event_code(evento)] < 0:
                    motivo = _no_procede(estado, evento)
                else:
                    grupos[evento].append(i)
                    periodo.presentada[i] = dia_fila
                    continue
            result.rechazos.append(Rechazo(numero, "declaraciones", normalize_rfc(row.rfc),
                                           motivo, entrada.archivo, row.fila))
        t = epoch(entrada.at)
        for evento in ("declaracion_presentada", "declaracion_extemporanea"):
            self.fire_declaracion(periodo, np.array(grupos[evento], np.int32), evento, t,
                                  numero)
        # Not owed after all: the contractor signed no contract in the period.
        periodo.estado[grupos["sin_contratos"]] = NO_DEBE
        result.aceptadas = sum(map(len, grupos.values()))

    def on_multa(self, entrada: inp.Multa, result: EnCurso, numero: int) -> None:
        periodo = self.periodos[str(entrada.periodo)]
        ids, _ = self._resolver(entrada, result, numero, periodo, [entrada.rfc], [None])
        ids = self._permitidos(entrada, result, numero, periodo, ids, [entrada.rfc],
                               [None], "multa_impuesta")
        periodo.umas[ids] = entrada.umas
        self.fire_declaracion(periodo, ids, "multa_impuesta", epoch(entrada.at), numero)
        result.aceptadas = len(ids)

    def on_informe_stps(self, entrada: inp.InformeStps, result: EnCurso, numero: int) -> None:
        periodo = self.periodos[str(entrada.periodo)]
        filas = list(entrada.filas or [None] * len(entrada.rfcs))
        ids, kept = self._resolver(entrada, result, numero, periodo, entrada.rfcs, filas)
        ids = self._permitidos(entrada, result, numero, periodo, ids,
                               [entrada.rfcs[k] for k in kept], [filas[k] for k in kept],
                               "informe_stps")
        self.fire_declaracion(periodo, ids, "informe_stps", epoch(entrada.at), numero)
        result.aceptadas = len(ids)

    def _resolver(self, entrada: inp.Entrada, result: EnCurso, numero: int,
                  periodo: PeriodoEstado, rfcs: Sequence[str], filas: Sequence[int | None]
                  ) -> tuple[np.ndarray, list[int]]:
        """Map RFC rows to contractor ids that owe ``periodo``; refuse unknown, not owing and
        repeated rows. Returns (ids, row indexes into ``rfcs``)."""
        tipo = inp.tipo(entrada)
        ids: list[int] = []
        kept: list[int] = []
        seen: dict[int, int] = {}
        for k, raw in enumerate(rfcs):
            rfc = normalize_rfc(raw)
            i = self.index.get(rfc)
            if i is None:
                motivo = (check_rfcs([rfc])[0].error
                          or "RFC desconocido: no está en ningún padrón recibido")
            elif periodo.estado[i] == NO_DEBE:
                motivo = (f"no debe la declaración del periodo {periodo.nombre}: su registro no "
                          "estuvo vigente en él, o el IMSS lo marcó «sin contratos»")
            elif i in seen:
                motivo = f"RFC repetido en la entrada (ya en la fila {seen[i]})"
            else:
                seen[i] = filas[k] if filas[k] is not None else k + 1
                ids.append(i)
                kept.append(k)
                continue
            result.rechazos.append(Rechazo(numero, tipo, rfc, motivo, entrada.archivo,
                                           filas[k]))
        return np.array(ids, dtype=np.int32), kept

    @staticmethod
    def _permitidos(entrada: inp.Entrada, result: EnCurso, numero: int,
                    periodo: PeriodoEstado, ids: np.ndarray, rfcs: Sequence[str],
                    filas: Sequence[int | None], evento: str) -> np.ndarray:
        """The ids where ``evento`` is a transition; the others refused with their state."""
        ok = DECL_TABLE[periodo.estado[ids], DECLARACION.event_code(evento)] >= 0
        for i, rfc, fila in zip(ids[~ok].tolist(),
                                [r for r, good in zip(rfcs, ok.tolist(), strict=True)
                                 if not good],
                                [f for f, good in zip(filas, ok.tolist(), strict=True)
                                 if not good], strict=True):
            estado = DECLARACION.states[periodo.estado[i]]
            result.rechazos.append(Rechazo(numero, inp.tipo(entrada), normalize_rfc(rfc),
                                           _no_procede(estado, evento), entrada.archivo, fila))
        return ids[ok]


def _no_procede(estado: str, evento: str) -> str:
    permitidos = DECLARACION.allowed_events(estado)
    if not permitidos:
        return f"la declaración ya terminó en «{estado}»"
    return (f"«{evento}» no procede en el estado «{estado}» de la declaración (procede: "
            f"{', '.join(permitidos)})")


def _primer_periodo(hoy: date, motor: EstadoDeclaraciones) -> Periodo:
    """The first period followed: the one of the first day with contractors, or the one before
    when its due date has not passed yet."""
    actual = Periodo.de_fecha(hoy)
    anterior = Periodo.de_fecha(date.fromordinal(actual.inicio.toordinal() - 1))
    return anterior if motor.vence_periodo(anterior) >= hoy.toordinal() else actual


def _seguira(motor: EstadoDeclaraciones, periodo: Periodo, hoy: date) -> bool:
    """Whether ``periodo`` opens when the clock reaches ``hoy`` (the input's day)."""
    if motor.periodos:
        return periodo > max(motor.periodos, key=Periodo.parse)
    return bool(motor.rfcs) and periodo >= _primer_periodo(hoy, motor)


