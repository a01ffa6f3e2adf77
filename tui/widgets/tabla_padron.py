"""The padrón as a table that stays responsive at 150,000 rows and more.

A Line API widget: it keeps a read model and the row positions the filters left in it (a NumPy
array) and renders the rows on screen, never the whole padrón, so filtering and scrolling cost
the same at 150 or 1,000,000 rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...core.etiquetas import ESTADO, OPINION, PLAZO
from ...core.vista import Vista
from .tonos import TONO

COLUMNAS = ("RFC", "Razón social", "Estado", "Opinión", "Próx. plazo")
# Before the state of a contractor with an open procedure of an earlier cycle (spec book § 3,
# "Several cycles": the headline is the latest cycle's, with a mark).
MARCA_ANTERIOR = "*"


def anchos(total: int) -> tuple[int, ...]:
    """Column widths for ``total`` cells (after the cursor mark): the razón social takes what
    the others leave; in 80 columns the state is cut and the plazo is only its date."""
    rfc, estado, opinion, plazo = 13, 23, 11, 29
    if total - (rfc + estado + opinion + plazo + 5) < 24:
        estado, plazo = 17, 11  # the plazo's date, and its heading whole
    razon = max(8, total - (rfc + estado + opinion + plazo + 5))
    return rfc, razon, estado, opinion, plazo


def _celda(texto: str, ancho: int) -> str:
    return texto.ljust(ancho) if len(texto) <= ancho else texto[: ancho - 1] + "…"


class TablaPadron(ScrollView, can_focus=True):
    """Padrón rows of one read model, one line each, with a cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Fila anterior", show=False),
        Binding("down", "cursor(1)", "Fila siguiente", show=False),
        Binding("pageup", "pagina(-1)", "Página anterior", show=False),
        Binding("pagedown", "pagina(1)", "Página siguiente", show=False),
        Binding("home", "extremo(0)", "Primera fila", show=False),
        Binding("end", "extremo(1)", "Última fila", show=False),
        Binding("enter", "abrir", "Detalle", tooltip="Abrir el detalle del contratista"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "tabla--cabecera", "tabla--cursor", "tabla--bien", "tabla--curso", "tabla--alerta",
        "tabla--mal", "tabla--neutro",
    }

    cursor: reactive[int] = reactive(0, always_update=True)

    @dataclass
    class Seleccionado(Message):
        """Enter (or a double click) on a contractor: open its detail."""

        rfc: str

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.vista: Vista | None = None
        self.filas = np.zeros(0, dtype=np.int64)  # positions in ``vista``, padrón order
        self.ciclo: str | None = None  # whose procedures are shown; None: each latest
        self._cache: dict[tuple[int, int], Strip] = {}

    # --- data -----------------------------------------------------------------------------
    def mostrar(self, vista: Vista, filas: np.ndarray, conservar: str | None = None,
                ciclo: str | None = None) -> None:
        """Show rows ``filas`` of ``vista`` with their procedure of ``ciclo`` (None: the one
        displayed, the latest); keep the cursor on RFC ``conservar`` if shown."""
        self.vista, self.filas, self.ciclo = vista, filas, ciclo
        self._cache.clear()
        self.virtual_size = Size(0, len(filas) + 1)
        row = 0
        k = vista.posicion(conservar) if conservar is not None else None
        if k is not None and len(filas):
            j = int(np.searchsorted(filas, k))
            row = j if j < len(filas) and filas[j] == k else 0
        self.cursor = row
        self.scroll_to(y=max(0, row - self._filas_visibles() // 2), animate=False)
        self.refresh()

    @property
    def seleccionado(self) -> str | None:
        """The RFC under the cursor."""
        if self.vista is None or not len(self.filas):
            return None
        return self.vista.rfc(int(self.filas[self.cursor]))

    # --- cursor ---------------------------------------------------------------------------
    def _filas_visibles(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def watch_cursor(self, old: int, new: int) -> None:
        top = int(self.scroll_y)
        visible = self._filas_visibles()
        if new < top:
            self.scroll_to(y=new, animate=False)
        elif new >= top + visible:
            self.scroll_to(y=new - visible + 1, animate=False)
        self.refresh()

    def _mover(self, row: int) -> None:
        if len(self.filas):
            self.cursor = min(max(row, 0), len(self.filas) - 1)

    def action_cursor(self, delta: int) -> None:
        self._mover(self.cursor + delta)

    def action_pagina(self, sentido: int) -> None:
        self._mover(self.cursor + sentido * self._filas_visibles())

    def action_extremo(self, fin: int) -> None:
        self._mover(len(self.filas) - 1 if fin else 0)

    def action_abrir(self) -> None:
        rfc = self.seleccionado
        if rfc is not None:
            self.post_message(self.Seleccionado(rfc))

    def on_click(self, event: events.Click) -> None:
        y = event.y - self.gutter.top if hasattr(self, "gutter") else event.y
        if y >= 1:
            self._mover(int(self.scroll_y) + y - 1)
            if event.chain >= 2:
                self.action_abrir()

    # --- rendering ------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            return self._linea(COLUMNAS, self.get_component_rich_style("tabla--cabecera"),
                               width)
        row = int(self.scroll_y) + y - 1
        if row >= len(self.filas) or self.vista is None:
            return Strip.blank(width, self.rich_style)
        key = (row, width)
        if row != self.cursor and key in self._cache:
            return self._cache[key]
        st = self.vista.fila(int(self.filas[row]), self.ciclo)
        plazo = st.proximo_plazo
        if plazo is None:
            cuando = "—"
        elif anchos(width - 1)[4] < 20:
            cuando = f"{plazo.fecha:%d-%m-%Y}"
        else:
            cuando = f"{plazo.fecha:%d-%m-%Y} {PLAZO.get(plazo.plazo, plazo.plazo)}"
        estado = ESTADO.get(st.estado, "—") if st.estado else "sin ciclo"
        if st.anterior_abierto and self.ciclo is None:  # the mark is the latest's headline
            estado = f"{MARCA_ANTERIOR} {estado}"
        cells = (st.rfc, st.razon_social, estado,
                 OPINION.get(st.opinion, "—") if st.opinion else "—", cuando)
        base = self.rich_style
        if row == self.cursor:
            cursor = self.get_component_rich_style("tabla--cursor")
            return self._linea(cells, base + cursor, width, mark="▶")
        tono = self.get_component_rich_style(f"tabla--{TONO.get(st.estado or '', 'neutro')}")
        strip = self._linea(cells, base, width, {2: tono})
        self._cache[key] = strip
        return strip

    def _linea(self, cells, style: Style, width: int, extra: dict[int, Style] | None = None,
               mark: str = " ") -> Strip:
        segs = [Segment(mark, style)]
        for k, (text, w) in enumerate(zip(cells, anchos(width - 1), strict=True)):
            st = style + extra[k] if extra and k in extra else style
            segs.append(Segment(_celda(str(text), w), st))
            segs.append(Segment(" ", style))
        return Strip(segs).adjust_cell_length(width, style)

    def on_resize(self) -> None:
        self._cache.clear()
        self.virtual_size = Size(0, len(self.filas) + 1)
