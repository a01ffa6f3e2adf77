"""What every dialog shares: Escape cancels, Ctrl+S or the first button accepts, an error line;
and the fields several dialogs read (a moment, a round)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from ....core.lifecycle import Ronda, parse_ronda
from ...texto import parse_instant

R = TypeVar("R")

RONDAS = (("Ronda 1", "1"), ("Ronda 2 (segunda consulta)", "2"),
          ("Ronda 3 (tercera consulta)", "3"), ("Actualización diaria", "diaria"))


def leer_momento(texto: str) -> datetime:
    """``AAAA-MM-DD`` or ``AAAA-MM-DD HH:MM`` (Mexico City time)."""
    return parse_instant(texto.strip().replace(" ", "T"), "fecha")


def ronda(valor: str) -> Ronda:
    return parse_ronda(valor)


class Dialogo(ModalScreen[R]):
    """Base: Escape cancels; Ctrl+S or the first button accepts. The first field has the
    focus, so an operator can type at once and move with Tab."""

    AUTO_FOCUS = "Select, Input, Checkbox, Button"

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancelar", "Cancelar"),
                Binding("ctrl+s", "aceptar", "Aceptar")]

    def action_cancelar(self) -> None:
        self.dismiss(None)

    def action_aceptar(self) -> None:
        pass

    @on(Button.Pressed, "#cancelar")
    def _cancelar(self) -> None:
        self.action_cancelar()

    @on(Button.Pressed, "#aceptar")
    def _aceptar(self) -> None:
        self.action_aceptar()

    def botones(self, aceptar: str = "Aceptar") -> ComposeResult:
        with Horizontal(classes="botones"):
            yield Button(aceptar, variant="primary", id="aceptar")
            yield Button("Cancelar", id="cancelar")

    def pie(self, aceptar: str = "Aceptar") -> ComposeResult:
        """The error line and the buttons, under a form."""
        yield Label("", id="error", classes="error")
        yield from self.botones(aceptar)

    def ciclo_y_fecha(self, ciclo: str, at: str) -> ComposeResult:
        """The cycle and the effective date of an input, side by side."""
        with Horizontal(classes="fila"):
            yield Input(ciclo, placeholder="ciclo AAAA-1", id="ciclo")
            yield Input(at, placeholder="fecha efectiva AAAA-MM-DD HH:MM", id="at")

    def error(self, texto: str) -> None:
        self.query_one("#error", Label).update(texto)
