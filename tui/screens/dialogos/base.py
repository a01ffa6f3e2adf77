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
from textual.widgets import Button, Checkbox, Input, Label

from ....core.errors import RepseError
from ....core.etiquetas import momento
from ....core.lifecycle import Ronda, parse_ronda
from ...texto import parse_instant
from ..ayuda import tecla

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
    reloj: datetime | None = None  # the clock, for a dialog that records an input

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancelar", "Cancelar"),
                Binding("ctrl+s", "aceptar", "Aceptar")]

    def on_mount(self) -> None:  # runs besides a subclass's own (Textual calls each class's)
        # How to accept and cancel, on the dialog's border: the footer under it is the screen's.
        teclas: dict[str, list[str]] = {}
        for key, bindings in self._bindings.key_to_bindings.items():
            for b in bindings:
                if b.show and b.description:
                    teclas.setdefault(b.description.lower(), []).append(tecla(key))
        for caja in self.query(".dialogo"):
            caja.border_subtitle = " · ".join(f"{' / '.join(k)} {d}" for d, k in teclas.items())

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
        """The cycle and the effective date of an input, side by side, and «Retroactivo»,
        offered only while the date typed is before the clock (:attr:`reloj`)."""
        reloj = self.reloj
        with Horizontal(classes="fila"):
            yield Input(ciclo, placeholder="ciclo AAAA-1", id="ciclo")
            yield Input(at, placeholder="fecha efectiva AAAA-MM-DD HH:MM", id="at")
        casilla = Checkbox(f"Retroactivo: la fecha es anterior al reloj ({momento(reloj)}"
                           "); el estado se recalcula desde ella" if reloj else "Retroactivo",
                           id="retroactivo")
        casilla.display = self._anterior_al_reloj(at)
        yield casilla

    def _anterior_al_reloj(self, texto: str) -> bool:
        try:
            return self.reloj is not None and leer_momento(texto) < self.reloj
        except RepseError:
            return False

    @on(Input.Changed, "#at")
    def _fecha_escrita(self, event: Input.Changed) -> None:
        self.query_one("#retroactivo").display = self._anterior_al_reloj(event.value)

    def leer_fecha(self) -> tuple[datetime, bool] | None:
        """The effective date typed and whether it is retroactive (a date before the clock
        must be marked so: the state is then recomputed from it); None, said on the error
        line, when it cannot be used."""
        texto = self.query_one("#at", Input).value
        try:
            at = leer_momento(texto)
        except RepseError as exc:
            self.error(str(exc))
            return None
        if not self._anterior_al_reloj(texto):
            return at, False
        if not self.query_one("#retroactivo", Checkbox).value:
            assert self.reloj is not None
            self.error(f"la fecha es anterior al reloj ({momento(self.reloj)}): márquela "
                       "«Retroactivo» para recalcular el estado desde ella, o corríjala")
            return None
        return at, True

    def error(self, texto: str) -> None:
        self.query_one("#error", Label).update(texto)
