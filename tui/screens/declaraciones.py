"""Declaraciones: the four-monthly contract reports (LSS art. 15 A). Per period, its due date
and how many reports are in each state; below, the breaches of the period under the cursor with
the fine range in pesos (500 to 2,000 UMA, LSS art. 304 B, fracción V)."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.widgets import DataTable

from ...core.cycle import fecha_corta
from ...core.declaraciones import UMAS_MAX, UMAS_MIN, cargar_uma, pesos, rango_multa
from ...core.etiquetas import ESTADO, numero
from ...core.lifecycle import Declaracion
from ...core.vista import Vista
from ..widgets.tonos import TONO_DECLARACION as TONO
from ..widgets.tonos import celda
from .base import Pantalla

ESTADOS = tuple(s.id for s in Declaracion.states)
# The table's headers, short enough for 80 columns (the states' full names are in the help and
# the contractor's detail).
CORTO = {"pendiente": "Pend.", "presentada": "Pres.", "omisa": "Omisa",
         "extemporanea": "Extemp.", "multada": "Multada", "informada": "Inform."}


class DeclaracionesScreen(Pantalla):
    def cuerpo(self) -> ComposeResult:
        yield DataTable(id="periodos", cursor_type="row", zebra_stripes=True)
        yield DataTable(id="omisos", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        periodos = self.query_one("#periodos", DataTable)
        periodos.add_columns("Periodo", "Vence", "Deben", *(CORTO[s] for s in ESTADOS))
        periodos.border_title = "Declaraciones cuatrimestrales de contratos (LSS art. 15 A)"
        self.query_one("#omisos", DataTable).add_columns(
            "RFC", "Razón social", "Estado", "Presentada", "Multa (UMA)")
        super().on_mount()

    def refrescar(self, vista: Vista) -> None:
        tabla = self.query_one("#periodos", DataTable)
        fila = tabla.cursor_row
        tabla.clear()
        for periodo in vista.periodos:
            r = vista.resumen_declaraciones(periodo)
            tabla.add_row(periodo, f"{r.vence:%d-%m-%Y}", numero(r.deben),
                          *(celda(self.app, numero(r.por_estado[s]),
                                  TONO[s] if r.por_estado[s] else "tenue") for s in ESTADOS),
                          key=periodo)
        if vista.periodos:
            # The latest period whose due date passed, unless the operator chose another.
            vencidos = [k for k, p in enumerate(vista.periodos)
                        if vista.resumen_declaraciones(p).vence < _hoy(vista)]
            tabla.move_cursor(row=fila if 0 < fila < len(vista.periodos)
                              else (vencidos[-1] if vencidos else 0))
        self._omisos(vista)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "periodos" and self.vista is not None:
            self._omisos(self.vista)

    def _omisos(self, vista: Vista) -> None:
        tabla = self.query_one("#omisos", DataTable)
        tabla.clear()
        periodos = self.query_one("#periodos", DataTable)
        if not vista.periodos:
            tabla.border_title = "Sin periodos: empiezan con el primer padrón recibido"
            return
        periodo = vista.periodos[min(periodos.cursor_row, len(vista.periodos) - 1)]
        r = vista.resumen_declaraciones(periodo)
        uma = cargar_uma().valor(date.fromordinal(r.vence.toordinal() + 1))
        rango = (f"multa ${pesos(rango_multa(uma)[0])} a ${pesos(rango_multa(uma)[1])} "
                 f"({UMAS_MIN}–{numero(UMAS_MAX)} UMA)" if uma is not None
                 else "sin valor de la UMA para el día de la infracción")
        omisos = vista.incumplimientos(periodo)
        tabla.border_title = f"{periodo}: {numero(len(omisos))} incumplidos · {rango}"
        for x in omisos:
            tabla.add_row(x.rfc, x.razon_social, celda(self.app, ESTADO[x.estado], TONO[x.estado]),
                          fecha_corta(x.presentada) if x.presentada else "—",
                          numero(x.umas) if x.umas else "—")


def _hoy(vista: Vista) -> date:
    return vista.reloj.date() if vista.reloj else date.min
