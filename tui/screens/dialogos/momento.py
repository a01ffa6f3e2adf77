"""A date, or a date and time, in Mexico City time (stepping the clock, looking back)."""

from __future__ import annotations

from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from ....core.errors import RepseError
from .base import Dialogo, campo, leer_momento


class PedirMomento(Dialogo[datetime | None]):
    def __init__(self, titulo: str, ayuda: str, valor: str) -> None:
        super().__init__()
        self.titulo, self.ayuda, self.valor = titulo, ayuda, valor

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialogo"):
            yield Label(self.titulo, classes="titulo")
            yield Static(self.ayuda, classes="texto")
            yield campo("Fecha y hora", Input(self.valor, placeholder="AAAA-MM-DD HH:MM",
                                              id="momento"))
            yield from self.pie()

    @on(Input.Submitted)
    def action_aceptar(self) -> None:
        try:
            self.dismiss(leer_momento(self.query_one("#momento", Input).value))
        except RepseError as exc:
            self.error(str(exc))
