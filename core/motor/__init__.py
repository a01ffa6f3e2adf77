"""The engine: applies timestamped inputs to a whole padrón at once.

Contractors and procedures are columns (NumPy arrays) run over the transition tables compiled from
the lifecycle charts (``core.table``); no python-statemachine instance is created per contractor.
The engine never reads the wall clock: time only moves with the inputs (``at``), and every input
first advances the clock, firing each plazo that ended before it (``reloj``). Applying an input
returns a :class:`Desenlace`, the record of everything it did.

Modules: ``tiempo`` (instants and days), ``columnas`` (a cycle's procedures as columns, chart
codes), ``estado`` (the state and firing events), ``reloj`` (the clock), ``filas`` (rows to
procedures, refusal wording), ``entradas`` (the input handlers), ``compartida`` (columns copies
share until they write them).
"""

from __future__ import annotations

import numpy as np

from .columnas import EXP, EXP_FINAL, OPINION_CODE, OPINIONES, CambioFechaConsulta, CicloEstado
from .compartida import copiar
from .declaraciones import COLUMNAS_DECLARACION, NO_DEBE, PeriodoEstado, tabla_de
from .entradas import Desenlace, EntradaRechazada, Entradas
from .estado import COLUMNAS_REGISTRO, Lote, Nota
from .tiempo import add_months, epoch, instant

__all__ = ["COLUMNAS_DECLARACION", "COLUMNAS_REGISTRO", "EXP", "EXP_FINAL", "NO_DEBE",
           "OPINIONES", "OPINION_CODE", "CambioFechaConsulta", "CicloEstado", "Desenlace",
           "Engine", "EntradaRechazada", "Lote", "Nota", "PeriodoEstado", "add_months", "epoch",
           "instant", "tabla_de"]


class Engine(Entradas):
    """The state of every contractor, as a deterministic function of the inputs applied."""

    def ciclos_ordenados(self) -> list[CicloEstado]:
        return sorted(self.ciclos.values(), key=lambda c: c.ciclo)

    def ciclo_mostrado(self) -> tuple[list[CicloEstado], np.ndarray]:
        """(cycles oldest first, per contractor the index of the latest cycle whose padrón
        included it, -1 for none): a contractor shows the state of its latest procedure."""
        ciclos = self.ciclos_ordenados()
        which = np.full(len(self.rfcs), -1, dtype=np.int16)
        for k, c in enumerate(ciclos):  # later cycles overwrite
            which[c.contratista] = k
        return ciclos, which

    def copia(self) -> Engine:
        """A copy that shares nothing it mutates in place with this engine: its columns are
        copied (``compartida``: a reopened state's, page by page as they are written); the
        contractors' lists and index, which only a padrón changes, are shared until then
        (:meth:`contratistas_propios`); batches of history are never changed once appended."""
        e = Engine.__new__(Engine)
        e.__dict__.update(self.__dict__)
        self.contratistas_compartidos = e.contratistas_compartidos = True
        for name in ("lotes", "notas", "rechazos"):
            setattr(e, name, list(getattr(self, name)))
        e.aceptadas = dict(self.aceptadas)
        for name in COLUMNAS_REGISTRO:
            setattr(e, name, copiar(getattr(self, name)))
        e.ciclos = {nombre: c.copia() for nombre, c in self.ciclos.items()}
        self.copiar_declaraciones(e)
        return e
