"""Tablero: where the cycle stands — clock and cycle (status line), procedures per state, the
agenda around today with the next obligation highlighted, the last step and the latest
transitions."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid, Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from ...core.etiquetas import ESTADO, EVENTO, numero
from ...core.vista import Vista
from ..widgets.agenda import fila_agenda, proxima
from ..widgets.barras import Barras
from ..widgets.tonos import estilo
from .base import Pantalla

AGENDA_ANTES, AGENDA_DESPUES = 2, 6  # obligations shown around the next one
ANCHO_DOS_COLUMNAS = 110


class TableroScreen(Pantalla):
    NOMBRE = "Tablero"

    def cuerpo(self) -> ComposeResult:
        with VerticalScroll(id="tablero-scroll"), Grid(id="tablero"):
            yield Barras(id="estados")
            with Vertical(id="derecha"):
                yield DataTable(id="agenda-corta", cursor_type="none", show_cursor=False)
                yield Static("", id="ultimo")
                yield DataTable(id="movimientos", cursor_type="none", show_cursor=False)

    def on_resize(self) -> None:
        # Two columns where they fit; one scrolling column in 80 columns.
        self.set_class(self.size.width < ANCHO_DOS_COLUMNAS, "-estrecho")

    def on_mount(self) -> None:
        self.query_one("#agenda-corta", DataTable).add_columns("Límite", "Quién",
                                                               "Obligación", "Estado")
        # The states under the event, on a second line: side by side they are cut at 120.
        self.query_one("#movimientos", DataTable).add_columns("Fecha", "#", "Evento: de → a",
                                                              "Cuántos")
        self.query_one("#agenda-corta").border_title = "Agenda"
        self.query_one("#movimientos").border_title = "Últimas transiciones"
        self.query_one("#ultimo").border_title = "Último paso del reloj"
        super().on_mount()

    def refrescar(self, vista: Vista) -> None:
        ciclo = self.ciclo
        barras = self.query_one(Barras)
        barras.border_title = f"Expedientes por estado · {ciclo}" if ciclo else "Estados"
        barras.actualizar(vista.conteos(ciclo) if ciclo else {})

        agenda = vista.agenda(ciclo)
        self.query_one("#agenda-corta").border_title = f"Agenda · {ciclo}" if ciclo else "Agenda"
        k = proxima(agenda)
        start = max(0, (k if k is not None else len(agenda)) - AGENDA_ANTES)
        tabla = self.query_one("#agenda-corta", DataTable)
        tabla.clear()
        for j, o in enumerate(agenda[start:start + AGENDA_ANTES + AGENDA_DESPUES], start):
            tabla.add_row(*fila_agenda(self.app, o, j == k))

        ultimo = self.anfitrion.ultimo
        panel = self.query_one("#ultimo", Static)
        if vista is not self.anfitrion.presente:  # a past instant: the last step is the present's
            panel.update("Momento pasado (solo lectura): m vuelve al presente.")
            panel.border_title = "Último paso del reloj"
        elif ultimo:
            panel.update("\n".join(ultimo[1][:4]))
            panel.border_title = ultimo[0]
        else:
            panel.update("Aún no se avanza el reloj en esta sesión.")
            panel.border_title = "Último paso del reloj"

        tabla = self.query_one("#movimientos", DataTable)
        tabla.clear()
        tenue = estilo(self.app, "tenue")
        for m in vista.movimientos(12, ciclo):
            desde, hacia, _ = m.pasos[0]
            evento = Text(EVENTO.get(m.evento, m.evento))
            evento.append(f"\n  {ESTADO[desde]} → {ESTADO[hacia]}"
                          + (" …" if len(m.pasos) > 1 else ""), style=tenue)
            tabla.add_row(f"{m.at:%d-%m %H:%M}", str(m.entrada), evento,
                          Text(numero(m.contratistas), justify="right"), height=2)
