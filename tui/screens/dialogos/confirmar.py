"""Yes or no, with what is about to happen in words; a long text (an input's preview) scrolls
while the buttons stay in view."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Label, Static

from .base import Dialogo


class Confirmar(Dialogo[bool]):
    DEFAULT_CSS = """
    Confirmar #desplazable { height: auto; max-height: 70vh; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "desplazar(-1)", "Subir", show=False),
        Binding("down", "desplazar(1)", "Bajar", show=False),
        Binding("pageup", "desplazar(-10)", "Página anterior", show=False),
        Binding("pagedown", "desplazar(10)", "Página siguiente", show=False),
    ]

    def __init__(self, titulo: str, texto: str, aceptar: str = "Confirmar") -> None:
        super().__init__()
        self.titulo, self.texto, self.etiqueta = titulo, texto, aceptar

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialogo"):
            yield Label(self.titulo, classes="titulo")
            with VerticalScroll(id="desplazable"):
                yield Static(self.texto, classes="texto", markup=False)
            yield Label("Enter: confirmar · Esc: cancelar · ↑ ↓ RePág AvPág: desplazar el texto",
                        classes="teclas")
            yield from self.botones(self.etiqueta)

    def on_mount(self) -> None:
        self.query_one("#aceptar", Button).focus()

    def action_desplazar(self, renglones: int) -> None:
        """The text scrolls from the keyboard while a button keeps the focus."""
        self.query_one("#desplazable", VerticalScroll).scroll_relative(y=renglones,
                                                                      animate=False)

    def action_aceptar(self) -> None:
        self.dismiss(True)

    def action_cancelar(self) -> None:
        self.dismiss(False)
