"""A table of plain-text rows that stays responsive at 150,000 rows and more (the rows of a
padrón input, every refusal of a store).

A Line API widget: it renders the lines on screen, never the whole table. One column, the one
that takes the width the others leave, may wrap its text (a refusal's reason) instead of
cutting it; the rows are then laid out once per width, in one pass of a greedy word wrap (a few
microseconds a row).
"""

from __future__ import annotations

from collections.abc import Sequence
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

MINIMO = 8  # the narrowest the flexible column gets


@dataclass(frozen=True)
class Columna:
    titulo: str
    ancho: int = 0  # 0: takes the width the other columns leave (one column only)
    derecha: bool = False  # numbers
    desde: int = 0  # shown only when the table is at least this wide


def envolver(texto: str, ancho: int) -> list[str]:
    """``texto`` in lines of at most ``ancho`` characters, broken at spaces (a longer word is
    cut across lines)."""
    lineas: list[str] = []
    actual = ""
    for palabra in texto.split():
        if actual and len(actual) + 1 + len(palabra) <= ancho:
            actual += " " + palabra
            continue
        if actual:
            lineas.append(actual)
        while len(palabra) > ancho:
            lineas.append(palabra[:ancho])
            palabra = palabra[ancho:]
        actual = palabra
    lineas.append(actual)
    return lineas


def _celda(texto: str, ancho: int, derecha: bool) -> str:
    if len(texto) > ancho:
        return texto[: ancho - 1] + "…"
    return texto.rjust(ancho) if derecha else texto.ljust(ancho)


class TablaVirtual(ScrollView, can_focus=True):
    """Rows of text cells with a cursor; a double click posts :class:`Elegida` (Enter is the
    screen's: its footer names what it does there)."""

    DEFAULT_CSS = """
    TablaVirtual { height: 1fr; }
    TablaVirtual > .tabla--cabecera { text-style: bold; background: $boost; }
    TablaVirtual > .tabla--cursor { background: $accent 50%; text-style: bold; }
    TablaVirtual:focus > .tabla--cursor { background: $accent; color: $background; }
    TablaVirtual > .tabla--mal { color: $error; }
    TablaVirtual > .tabla--tenue { color: $foreground-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Arriba", show=False),
        Binding("down", "cursor(1)", "Abajo", show=False),
        Binding("pageup", "pagina(-1)", "Re Pág", show=False),
        Binding("pagedown", "pagina(1)", "Av Pág", show=False),
        Binding("home", "extremo(0)", "Inicio", show=False),
        Binding("end", "extremo(1)", "Fin", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"tabla--cabecera", "tabla--cursor", "tabla--mal",
                                             "tabla--tenue"}

    cursor: reactive[int] = reactive(0, always_update=True)

    @dataclass
    class Elegida(Message):
        """A double click on row ``fila``."""

        tabla: TablaVirtual
        fila: int

        @property
        def control(self) -> TablaVirtual:
            return self.tabla

    def __init__(self, columnas: Sequence[Columna], *, envolver: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self.columnas = tuple(columnas)
        self.flexible = next(k for k, c in enumerate(self.columnas) if not c.ancho)
        self.envuelve = envolver
        self.filas: Sequence[Sequence[str]] = ()
        self.tonos: Sequence[str | None] = ()  # a colour class per row ("mal", "tenue"), or none
        self._ancho = -1  # the width the layout below is for
        self._anchos: list[tuple[int, int]] = []  # (column, width) of the columns shown
        self._inicio = np.zeros(1, dtype=np.int64)  # first line of each row, then the total
        self._lineas: list[list[str]] = []  # the wrapped cell of each row (when it wraps)

    # --- data -----------------------------------------------------------------------------
    def mostrar(self, filas: Sequence[Sequence[str]], tonos: Sequence[str | None] = (),
                cursor: int = 0) -> None:
        self.filas, self.tonos = filas, tonos
        self._ancho = -1
        self._disponer()
        self.cursor = min(max(cursor, 0), max(len(filas) - 1, 0))
        self.refresh()

    @property
    def seleccionada(self) -> int | None:
        return self.cursor if len(self.filas) else None

    # --- layout ---------------------------------------------------------------------------
    def _disponer(self) -> None:
        """Column widths and the line each row starts at, for the width on screen."""
        ancho = self.scrollable_content_region.width
        if ancho == self._ancho:
            return
        self._ancho = ancho
        shown = [(k, c) for k, c in enumerate(self.columnas) if ancho - 1 >= c.desde]
        fijo = sum(c.ancho + 1 for _k, c in shown if c.ancho) + 2  # the cursor mark, a space
        self._anchos = [(k, c.ancho or max(MINIMO, ancho - fijo)) for k, c in shown]
        flexible = dict(self._anchos).get(self.flexible)  # None: hidden at this width
        if self.envuelve and flexible is not None:
            self._lineas = [envolver(f[self.flexible], flexible) for f in self.filas]
            alturas = np.fromiter(map(len, self._lineas), dtype=np.int64, count=len(self.filas))
        else:
            self._lineas, alturas = [], np.ones(len(self.filas), dtype=np.int64)
        self._inicio = np.concatenate(([0], np.cumsum(alturas)))
        self.virtual_size = Size(0, int(self._inicio[-1]) + 1)

    def _fila_de_linea(self, linea: int) -> int:
        return int(np.searchsorted(self._inicio, linea, side="right")) - 1

    def on_resize(self) -> None:
        self._disponer()
        self.refresh()

    # --- cursor ---------------------------------------------------------------------------
    def _lineas_visibles(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def watch_cursor(self, old: int, new: int) -> None:
        if not len(self.filas):
            return
        self._disponer()
        top, visible = int(self.scroll_y), self._lineas_visibles()
        desde, hasta = int(self._inicio[new]), int(self._inicio[new + 1])
        if desde < top:
            self.scroll_to(y=desde, animate=False)
        elif hasta > top + visible:
            self.scroll_to(y=max(desde, hasta - visible), animate=False)
        self.refresh()

    def _mover(self, fila: int) -> None:
        if len(self.filas):
            self.cursor = min(max(fila, 0), len(self.filas) - 1)

    def action_cursor(self, delta: int) -> None:
        self._mover(self.cursor + delta)

    def action_pagina(self, sentido: int) -> None:
        linea = int(self._inicio[self.cursor]) + sentido * self._lineas_visibles()
        self._mover(self._fila_de_linea(max(0, linea)))

    def action_extremo(self, fin: int) -> None:
        self._mover(len(self.filas) - 1 if fin else 0)

    def on_click(self, event: events.Click) -> None:
        if event.y < 1:
            return
        fila = self._fila_de_linea(int(self.scroll_y) + event.y - 1)
        if 0 <= fila < len(self.filas):
            self._mover(fila)
            if event.chain >= 2:
                self.post_message(self.Elegida(self, fila))

    # --- rendering ------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        self._disponer()
        width = self._ancho
        if y == 0:
            return self._linea([c.titulo for c in self.columnas],
                               self.get_component_rich_style("tabla--cabecera"), width, " ")
        linea = int(self.scroll_y) + y - 1
        if linea >= int(self._inicio[-1]):
            return Strip.blank(width, self.rich_style)
        fila = self._fila_de_linea(linea)
        k = linea - int(self._inicio[fila])
        celdas = [str(c) if k == 0 else "" for c in self.filas[fila]]
        if self._lineas:
            celdas[self.flexible] = self._lineas[fila][k]
        style = self.rich_style
        if fila == self.cursor:
            style += self.get_component_rich_style("tabla--cursor")
        elif fila < len(self.tonos) and self.tonos[fila]:
            style += self.get_component_rich_style(f"tabla--{self.tonos[fila]}")
        return self._linea(celdas, style, width, "▶" if fila == self.cursor and k == 0 else " ")

    def _linea(self, celdas: Sequence[str], style: Style, width: int, marca: str) -> Strip:
        segs = [Segment(marca, style)]
        for k, ancho in self._anchos:
            segs.append(Segment(_celda(celdas[k], ancho, self.columnas[k].derecha), style))
            segs.append(Segment(" ", style))
        return Strip(segs).adjust_cell_length(width, style)
