"""Agenda: every obligation of each institution, with its cut-off and status; the next one
highlighted."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable

from ...core.etiquetas import numero
from ...core.vista import Vista
from ..widgets.agenda import fila_agenda, proxima
from ..widgets.tonos import celda
from .base import Pantalla

ANCHO_COMPLETO = 96  # below it the «Cumplida» column goes, so that the count stays in view


class AgendaScreen(Pantalla):
    NOMBRE = "Agenda"

    def cuerpo(self) -> ComposeResult:
        yield DataTable(id="agenda", cursor_type="row", zebra_stripes=True)

    _completa: bool | None = None  # the columns shown: with «Cumplida» or without

    def on_resize(self) -> None:
        if self.vista is not None and self._completa != self._cabe():
            self.refrescar(self.vista)

    def _cabe(self) -> bool:
        return self.size.width >= ANCHO_COMPLETO

    def refrescar(self, vista: Vista) -> None:
        # No cycle column: the agenda is the chosen cycle's (its title says which).
        completa = self._cabe()
        agenda = vista.agenda(self.ciclo)
        k = proxima(agenda)
        tabla = self.query_one(DataTable)
        tabla.border_title = (
            f"Agenda del ciclo {self.ciclo}: obligaciones de cada institución" if self.ciclo
            else "Agenda: obligaciones de cada institución")
        tabla.clear(columns=completa != self._completa)
        if completa != self._completa:
            self._completa = completa
            tabla.add_columns("Límite", "Quién", "Obligación", "Estado",
                              *(("Cumplida", "Contratistas") if completa else ("Cuántos",)))
        for j, o in enumerate(agenda):
            limite, quien, clave, estado = fila_agenda(self.app, o, j == k, "%d-%m-%Y %H:%M")
            cumplida = (f"{o.cumplida_en:%d-%m %H:%M}" if o.cumplida_en else "—",)
            tabla.add_row(limite, quien, clave, estado, *(cumplida if completa else ()),
                          celda(self.app, numero(o.contratistas) if o.contratistas else "—",
                                "neutro"))
        if k is not None:
            tabla.move_cursor(row=k)
