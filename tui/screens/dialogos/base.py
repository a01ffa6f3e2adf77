"""What every dialog shares: Escape cancels, Ctrl+S or the first button accepts, an error line;
fields with a visible label beside them, toggles whose state shows by shape; and the fields
several dialogs read (a moment, a round)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, RadioButton

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


class _Forma:
    """A toggle whose state shows by shape, not only by colour: ``MARCA`` inside the box when
    on, a blank when off (walkthrough findings 6 and 11: Textual's ``▐X▌`` and ``▐●▌`` look
    the same either way)."""

    MARCA = "X"
    value: bool

    @property
    def BUTTON_INNER(self) -> str:  # Textual's name for what is drawn inside the box
        return self.MARCA if self.value else " "


class Casilla(_Forma, Checkbox):
    """A checkbox: ``▐X▌`` ticked, ``▐ ▌`` not."""


class Opcion(_Forma, RadioButton):
    """A radio button: ``▐●▌`` chosen, ``▐ ▌`` not."""

    MARCA = "●"


def campo(etiqueta: str, widget: Widget, id: str | None = None) -> Horizontal:
    """``widget`` with its label beside it (a placeholder disappears once the field has a
    value, a label stays); ``id`` names the row, to show or hide both."""
    return Horizontal(Label(etiqueta, classes="etiqueta"), widget, classes="campo", id=id)


class Dialogo(ModalScreen[R]):
    """Base: Escape cancels; Ctrl+S or the first button accepts. The first field has the
    focus, so an operator can type at once and move with Tab."""

    DEFAULT_CSS = """
    Dialogo .campo { height: auto; }
    Dialogo .campo > .etiqueta { width: 17; padding: 1 1 0 0; text-style: bold; }
    Dialogo .campo > Input, Dialogo .campo > Select { width: 1fr; }
    Dialogo .campo > #ciclo { width: 14; }  /* «2026-1» and the cursor, never scrolled */
    Dialogo .campo > .etiqueta.junto { width: auto; padding: 1 1 0 2; }
    Dialogo .teclas { color: $foreground-muted; }
    Dialogo #error { width: 100%; }  /* a long reason wraps, never cut at the edge */
    """

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
        """The error line, how to accept or leave, and the buttons, under a form."""
        yield Label("", id="error", classes="error")
        yield Label("Ctrl+S: aceptar · Esc: cancelar · Tab: campo siguiente", classes="teclas")
        yield from self.botones(aceptar)

    def ciclo_y_fecha(self, ciclo: str, at: str) -> ComposeResult:
        """The cycle and the effective date of an input, side by side, and «Retroactivo»,
        offered only while the date typed is before the clock (:attr:`reloj`)."""
        reloj = self.reloj
        with Horizontal(classes="campo"):
            yield Label("Ciclo", classes="etiqueta", id="etiqueta-ciclo")
            yield Input(ciclo, placeholder="AAAA-1", id="ciclo")
            yield Label("Fecha efectiva", classes="etiqueta junto")
            yield Input(at, placeholder="AAAA-MM-DD HH:MM", id="at")
        casilla = Casilla(f"Retroactivo: la fecha es anterior al reloj ({momento(reloj)}"
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
        if not self.query_one("#retroactivo", Casilla).value:
            assert self.reloj is not None
            self.error(f"la fecha es anterior al reloj ({momento(self.reloj)}): márquela "
                       "«Retroactivo» para recalcular el estado desde ella, o corríjala")
            return None
        return at, True

    def error(self, texto: str) -> None:
        self.query_one("#error", Label).update(texto)
