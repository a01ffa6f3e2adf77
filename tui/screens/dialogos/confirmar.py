"""Yes or no, with what is about to happen in words."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Label, Static

from .base import Dialogo


class Confirmar(Dialogo[bool]):
    def __init__(self, titulo: str, texto: str, aceptar: str = "Confirmar") -> None:
        super().__init__()
        self.titulo, self.texto, self.etiqueta = titulo, texto, aceptar

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialogo"):
            yield Label(self.titulo, classes="titulo")
            yield Static(self.texto, classes="texto")
            yield from self.botones(self.etiqueta)

    def on_mount(self) -> None:
        self.query_one("#aceptar", Button).focus()

    def action_aceptar(self) -> None:
        self.dismiss(True)

    def action_cancelar(self) -> None:
        self.dismiss(False)
