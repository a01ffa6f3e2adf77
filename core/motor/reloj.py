"""The clock: time only moves with the inputs, and moving it fires, in time order, every plazo
that ended and every registration term that reached a milestone."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

import numpy as np

from .columnas import EXP, REG, CicloEstado
from .declaraciones import EstadoDeclaraciones, PeriodoEstado
from .tiempo import instant, midnight_after

# (instant, event, cycle or period or None for the registration chart, positions or contractor
# ids)
Vencimiento = tuple[int, str, CicloEstado | PeriodoEstado | None, np.ndarray]


class Reloj(EstadoDeclaraciones):
    """The engine's state with a clock that fires what falls due as it moves."""

    def avanzar(self, t: int, numero: int) -> int:
        """Fire, in time order, every plazo that ended at or before instant ``t``."""
        before = self.transiciones
        self.declaraciones_al_dia(t)
        while True:
            due = self._next_due(t)
            if due is None:
                break
            when, event, c, which = due
            if c is None:
                self._fire_registro(which, event, when, numero)
            elif isinstance(c, PeriodoEstado):
                self.fire_declaracion(c, which, event, when, numero)
            else:
                self._fire(c, which, event, when, numero)
        self.reloj = max(self.reloj, t)
        return self.transiciones - before

    def clock_candidates(self) -> Iterable[Vencimiento]:
        """(instant, event, cycle, positions-or-ids) of every clock event still to fire."""
        for c in self.ciclos.values():
            for state, event in (("exhortado", "fin_plazo_regularizacion"),
                                 ("en_cancelacion", "fin_plazo_audiencia")):
                running = np.flatnonzero(c.estado == EXP[state])
                if len(running):
                    yield _earliest(c.fin_plazo[running], running, event, c, after=True)
        # A term's milestones fire at the start of their day; STPS's plazos on a renewal at
        # midnight after their last day.
        for state, event, column, after in (
                ("registro_vigente", "inicio_ventana_renovacion", self.ventana, False),
                ("registro_por_renovar", "fin_vigencia", self.vence, False),
                ("registro_en_renovacion", "fin_plazo_resolucion", self.fin_resolucion, True),
                ("registro_requerido", "afirmativa_ficta", self.fin_resolucion, True)):
            ids = np.flatnonzero(self.registro == REG[state])
            if len(ids):
                yield _earliest(column[ids], ids, event, None, after=after)
        yield from self.candidatos_declaraciones()

    def _next_due(self, t: int) -> Vencimiento | None:
        best = None
        for cand in self.clock_candidates():
            if cand[0] <= t and (best is None or cand[0] < best[0]):
                best = cand
        return best


def _earliest(days: np.ndarray, which: np.ndarray, event: str, c: CicloEstado | None, *,
              after: bool) -> Vencimiento:
    """The rows of ``which`` whose day comes first, and the instant their event fires: midnight
    after a plazo's last day, or the start of a term's first uncovered day."""
    first = int(days.min())
    when = midnight_after(first) if after else midnight_after(first - 1)
    return when, event, c, which[days == first]


def by_day(instants: np.ndarray, positions: np.ndarray) -> Iterator[tuple[date, np.ndarray]]:
    """Group ``positions`` by the Mexico City day of their notification instant."""
    distinct, inverse = np.unique(instants[positions], return_inverse=True)
    days = np.array([instant(int(t)).date().toordinal() for t in distinct.tolist()],
                    dtype=np.int32)
    per_position = days[inverse] if len(distinct) else days
    for day in np.unique(per_position).tolist():
        yield date.fromordinal(day), positions[per_position == day]
