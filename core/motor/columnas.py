"""The procedures (expedientes) of one cycle as columns, and the chart codes they hold.

One row per procedure; a contractor's row is ``posicion_de[id]``. Instants are int64 seconds,
days int32 ordinals, states and opinions int8 codes; 0 means "none" (``tiempo``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cached_property, partial
from typing import NamedTuple

import numpy as np

from ..cycle import Ciclo
from ..table import EXPEDIENTE, REGISTRO, CompiledChart
from .compartida import copiar

OPINIONES = ("", "positiva", "negativa", "sin_opinion")
OPINION_CODE = {name: code for code, name in enumerate(OPINIONES)}


def _table(chart: CompiledChart) -> np.ndarray:
    return np.array(chart.targets, dtype=np.int16).reshape(len(chart.states), len(chart.events))


EXP = {s: EXPEDIENTE.state_code(s) for s in EXPEDIENTE.states}
REG = {s: REGISTRO.state_code(s) for s in REGISTRO.states}
EXP_TABLE = _table(EXPEDIENTE)
REG_TABLE = _table(REGISTRO)
EXP_FINAL = np.zeros(len(EXPEDIENTE.states), dtype=bool)
EXP_FINAL[list(EXPEDIENTE.finals)] = True


# Per-procedure columns are marked so that adding procedures and snapshots find them all; each
# starts empty until a padrón adds rows.
_COLUMNA = {"columna": True}
_I64, _I32, _I8 = (partial(np.zeros, 0, dtype) for dtype in (np.int64, np.int32, np.int8))


class CambioFechaConsulta(NamedTuple):
    """A GT criterion that moved a cycle's consultation date (numeral 8), as its history
    shows it: the input, its instant, D0 before and after (day ordinals), the criterion's
    text."""

    entrada: int
    at: int
    desde: int
    hacia: int
    texto: str


@dataclass(eq=False)
class CicloEstado:
    """Every procedure (expediente) of one cycle."""

    ciclo: Ciclo
    # Position -> contractor id.
    contratista: np.ndarray = field(default_factory=_I32, metadata=_COLUMNA)
    # Instants inputs arrived (numerales 1–6).
    primera_consulta_recibida: np.ndarray = field(default_factory=_I64, metadata=_COLUMNA)
    exhorto_notificado_en: np.ndarray = field(default_factory=_I64, metadata=_COLUMNA)
    segunda_consulta_recibida: np.ndarray = field(default_factory=_I64, metadata=_COLUMNA)
    cancelacion_iniciada_en: np.ndarray = field(default_factory=_I64, metadata=_COLUMNA)
    tercera_consulta_recibida: np.ndarray = field(default_factory=_I64, metadata=_COLUMNA)
    cancelacion_resuelta_en: np.ndarray = field(default_factory=_I64, metadata=_COLUMNA)
    # Days the plazos and consultations fall on.
    limite_exhorto: np.ndarray = field(default_factory=_I32, metadata=_COLUMNA)
    fin_plazo: np.ndarray = field(default_factory=_I32, metadata=_COLUMNA)  # the running one
    dia_segunda_consulta: np.ndarray = field(default_factory=_I32, metadata=_COLUMNA)
    dia_tercera_consulta: np.ndarray = field(default_factory=_I32, metadata=_COLUMNA)
    limite_cancelacion: np.ndarray = field(default_factory=_I32, metadata=_COLUMNA)
    suspendida_desde: np.ndarray = field(default_factory=_I32, metadata=_COLUMNA)
    # Codes.
    estado: np.ndarray = field(default_factory=_I8, metadata=_COLUMNA)
    opinion: np.ndarray = field(default_factory=_I8, metadata=_COLUMNA)  # the latest received
    opinion_ronda1: np.ndarray = field(default_factory=_I8, metadata=_COLUMNA)
    # Per contractor id, not per procedure.
    posicion_de: np.ndarray = field(default_factory=_I32)
    padron_recibido_en: int = 0  # first padrón input of the cycle
    actualizaciones_diarias: list[int] = field(default_factory=list)  # their instants
    # The consultation day (D0, numeral 1) every obligation, window and letter of the cycle
    # counts from: the nominal last Monday (0 here), unless a GT criterion moved it (numeral 8).
    d0: int = 0
    fechas_consulta: list[CambioFechaConsulta] = field(default_factory=list)  # the moves

    def __post_init__(self) -> None:
        self.d0 = self.d0 or self.ciclo.fecha_consulta.toordinal()

    @cached_property
    def nombre(self) -> str:
        return str(self.ciclo)

    @staticmethod
    def columnas() -> tuple[str, ...]:
        """The names of the per-procedure columns, in declaration order."""
        return _COLUMNAS

    def consulta_recibida(self, ronda: int | str) -> np.ndarray | None:
        """When each procedure's opinion of round ``ronda`` arrived (None: the daily updates
        are not a round kept per procedure)."""
        match ronda:
            case 1:
                return self.primera_consulta_recibida
            case 2:
                return self.segunda_consulta_recibida
            case 3:
                return self.tercera_consulta_recibida
        return None

    def grow_index(self, n: int) -> None:
        """Room in ``posicion_de`` for contractor ids below ``n`` (-1: not in this cycle)."""
        if len(self.posicion_de) < n:
            extra = np.full(n - len(self.posicion_de), -1, np.int32)
            self.posicion_de = np.concatenate([self.posicion_de, extra])

    def add(self, ids: np.ndarray) -> np.ndarray:
        """Append a procedure for each contractor id; returns their positions."""
        start = len(self.contratista)
        for name in _COLUMNAS:
            old = getattr(self, name)
            extra = ids if name == "contratista" else np.zeros(len(ids), dtype=old.dtype)
            setattr(self, name, np.concatenate([old, extra.astype(old.dtype)]))
        positions = np.arange(start, start + len(ids), dtype=np.int32)
        self.posicion_de[ids] = positions
        return positions

    def positions_of(self, ids: np.ndarray) -> np.ndarray:
        if not len(self.posicion_de):
            return np.full(len(ids), -1, np.int32)
        return self.posicion_de[ids]

    def copia(self) -> CicloEstado:
        """A copy that shares no array with this one."""
        return CicloEstado(self.ciclo, **{name: copiar(getattr(self, name)) for name in _COLUMNAS},
                           posicion_de=copiar(self.posicion_de),
                           padron_recibido_en=self.padron_recibido_en,
                           actualizaciones_diarias=list(self.actualizaciones_diarias),
                           d0=self.d0, fechas_consulta=list(self.fechas_consulta))


_COLUMNAS = tuple(f.name for f in fields(CicloEstado) if f.metadata.get("columna"))
