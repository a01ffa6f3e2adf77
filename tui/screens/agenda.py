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


class AgendaScreen(Pantalla):
    def cuerpo(self) -> ComposeResult:
        yield DataTable(id="agenda", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        tabla = self.query_one(DataTable)
        tabla.add_columns("Límite", "Quién", "Obligación", "Estado", "Ciclo", "Cumplida",
                          "Contratistas")
        tabla.border_title = "Agenda: obligaciones de cada institución"
        super().on_mount()

    def refrescar(self, vista: Vista) -> None:
        agenda = vista.agenda()
        k = proxima(agenda)
        tabla = self.query_one(DataTable)
        tabla.clear()
        for j, o in enumerate(agenda):
            limite, quien, clave, estado = fila_agenda(self.app, o, j == k, "%d-%m-%Y %H:%M")
            tabla.add_row(limite, quien, clave, estado, o.ciclo,
                          f"{o.cumplida_en:%d-%m %H:%M}" if o.cumplida_en else "—",
                          celda(self.app, numero(o.contratistas) if o.contratistas else "—",
                                "neutro"))
        if k is not None:
            tabla.move_cursor(row=k)
