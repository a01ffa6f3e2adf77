"""The engine's state, its history records, and the one way the state changes: firing an event
for many rows at once over the transition tables compiled from the charts (``core.table``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..calendars import Calendarios
from ..errors import Rechazo
from ..lifecycle import Efecto, Expediente, Registro
from ..table import EXPEDIENTE, REGISTRO, CompiledChart
from .columnas import EXP_TABLE, REG_TABLE, CicloEstado
from .tiempo import TERM_YEARS, add_months, ventana_renovacion

COLUMNAS_REGISTRO = ("fecha_registro", "vence", "ventana", "resolucion_desde", "fin_resolucion",
                     "registro")
"""The per-contractor columns of the registration (copies and snapshots take them all)."""


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


class EstadoMotor:
    """Every contractor's registration and procedures, and the history of what fired."""

    def __init__(self, calendarios: Calendarios | None = None) -> None:
        self.cal = calendarios or Calendarios()
        self.reloj = 0  # instant of the last input applied
        self.index: dict[str, int] = {}
        self.rfcs: list[str] = []
        self.razon_social: list[str] = []
        self.folio: list[str] = []
        self.correo: list[str | None] = []
        self.domicilio: list[str | None] = []
        # Whether those lists and ``index`` may be another engine's too (``Engine.copia``).
        self.contratistas_compartidos = False
        self.fecha_registro = np.zeros(0, dtype=np.int32)  # first day of the current term
        self.vence = np.zeros(0, dtype=np.int32)  # first day the term no longer covers
        self.ventana = np.zeros(0, dtype=np.int32)  # first day of the renewal window
        # STPS's running plazo on a renewal: the day it counts from (the request or the
        # requerimiento) and its last day.
        self.resolucion_desde = np.zeros(0, dtype=np.int32)
        self.fin_resolucion = np.zeros(0, dtype=np.int32)
        self.registro = np.zeros(0, dtype=np.int8)
        self.ciclos: dict[str, CicloEstado] = {}
        self.lotes: list[Lote] = []
        self.notas: list[Nota] = []
        self.rechazos: list[Rechazo] = []
        self.transiciones = 0
        # Rows each input applied (its number → how many), kept so the input log can be listed
        # without replaying it; an input the replay left out is absent.
        self.aceptadas: dict[int, int] = {}

    def contratistas_propios(self) -> None:
        """Make the contractors' lists and index this engine's own, to change them in place:
        copies share them (ten cycles hold 200,000 contractors; copying them, and the
        collector's passes over the copies, cost a correction more than its replay)."""
        if self.contratistas_compartidos:
            self.index = dict(self.index)
            for name in ("rfcs", "razon_social", "folio", "correo", "domicilio"):
                setattr(self, name, list(getattr(self, name)))
            self.contratistas_compartidos = False

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
        ids = c.contratista[positions]
        self._move(c.estado, positions, ids, EXP_TABLE, EXPEDIENTE, event, at, numero, c.nombre,
                   nota)
        for efecto in _EFECTOS_EXPEDIENTE.get(event, ()):
            self._fire_registro_where_allowed(ids, efecto.dispara, at, numero,
                                              _causa(efecto, nota, c.nombre))

    def _ventanas(self, ids: np.ndarray) -> None:
        """The first day of the renewal window of ``ids``' terms, by the policy in force."""
        self.ventana[ids] = ventana_renovacion(self.fecha_registro[ids], self.vence[ids],
                                               self.cal.politicas.ventana_renovacion)[0]

    def _fire_registro(self, ids: np.ndarray, event: str, at: int, numero: int,
                       nota: str = "") -> None:
        """Fire ``event`` on the registrations ``ids`` and its effects on their open
        procedures of every cycle; ``nota`` (the cause of a cancellation) goes in both
        histories."""
        if not len(ids):
            return
        if event in _NUEVA_VIGENCIA:
            # Three more years counted from the end of the previous term (DÉCIMO TERCERO).
            self.fecha_registro[ids] = self.vence[ids]
            self.vence[ids] = add_months(self.vence[ids], 12 * TERM_YEARS)
            self._ventanas(ids)
        self._move(self.registro, ids, ids, REG_TABLE, REGISTRO, event, at, numero, None, nota)
        for efecto in _EFECTOS_REGISTRO.get(event, ()):
            e2 = EXPEDIENTE.event_code(efecto.dispara)
            for c in self.ciclos.values():
                positions = c.positions_of(ids)
                positions = positions[positions >= 0]
                allowed = positions[EXP_TABLE[c.estado[positions], e2] >= 0]
                self._fire(c, allowed, efecto.dispara, at, numero, _causa(efecto, nota))

    def _fire_registro_where_allowed(self, ids: np.ndarray, event: str, at: int,
                                     numero: int, nota: str = "") -> None:
        e = REGISTRO.event_code(event)
        allowed = ids[REG_TABLE[self.registro[ids], e] >= 0]
        self._fire_registro(allowed, event, at, numero, nota)


def causa(texto: str, motivo: str = "") -> str:
    """The history note of a registration that ends: its cause, and the operator's words."""
    return f"Causa: {texto}." + (f" Motivo: {motivo}" if motivo else "")


def _causa(efecto: Efecto, nota: str, ciclo: str = "") -> str:
    """The note an effect carries into the other chart: the cause the chart declares for it,
    or else that of the input that fired it."""
    return causa(efecto.causa.format(ciclo=ciclo)) if efecto.causa else nota


# Every way back to a vigente registration is a renewal: granted, or by afirmativa ficta.
_NUEVA_VIGENCIA = frozenset(t.event for t in REGISTRO.info.values()
                            if t.target == "registro_vigente")
_EFECTOS_EXPEDIENTE: dict[str, tuple[Efecto, ...]] = {}
_EFECTOS_REGISTRO: dict[str, tuple[Efecto, ...]] = {}


def _load_effects() -> None:
    """The ways the charts affect each other, as the chart classes declare them."""
    for chart, target in ((Expediente, _EFECTOS_EXPEDIENTE), (Registro, _EFECTOS_REGISTRO)):
        for efecto in chart.efectos:
            target[efecto.evento] = (*target.get(efecto.evento, ()), efecto)


_load_effects()
