"""Procedures per state as a horizontal bar chart, states in chart order."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.widgets import Static

from ...core.etiquetas import ESTADO, numero
from .tonos import TONO


class Barras(Static):
    """One bar per state; the length is proportional to the count."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "barras--bien", "barras--curso", "barras--alerta", "barras--mal", "barras--neutro",
        "barras--vacio"}

    def __init__(self, **kwargs) -> None:
        super().__init__("", **kwargs)
        self._conteos: dict[str, int] = {}

    def actualizar(self, conteos: dict[str, int]) -> None:
        self._conteos = conteos
        self.update(self._texto())

    def on_resize(self) -> None:
        self.update(self._texto())

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self.is_mounted and self._conteos:
            self.update(self._texto())

    def _texto(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        if not self._conteos:
            return Text("Sin ciclo abierto: importe un padrón (i).")
        shown = {s: n for s, n in self._conteos.items() if n}
        if not shown:
            return Text("Ciclo sin expedientes.")
        label_w = max(len(ESTADO[s]) for s in shown)
        count_w = max(len(numero(n)) for n in shown.values())
        width = max(10, self.content_region.width or 60)
        bar_w = max(4, width - label_w - count_w - 3)
        top = max(shown.values())
        for k, (state, n) in enumerate(shown.items()):
            if k:
                text.append("\n")
            tono = TONO.get(state, "neutro")
            style = self.get_component_rich_style(f"barras--{tono if n else 'vacio'}")
            length = round(n / top * bar_w) if n else 0
            if n and not length:
                length = 1
            text.append(f"{ESTADO[state]:<{label_w}} ", style if n else
                        self.get_component_rich_style("barras--vacio"))
            text.append("█" * length, style)
            text.append(" " * (bar_w - length) + f" {numero(n):>{count_w}}",
                        self.get_component_rich_style("barras--vacio") if not n else "")
        if len(shown) < len(self._conteos):
            text.append(f"\n{len(self._conteos) - len(shown)} estados más sin expedientes",
                        self.get_component_rich_style("barras--vacio"))
        return text
