"""Which cycle the screens show (key ``y``): every cycle of the store, the latest first."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from .dialogos.base import Dialogo


class ElegirCiclo(Dialogo[str]):
    """The tablero, the agenda and the padrón's filters follow the cycle chosen here."""

    AUTO_FOCUS = "OptionList"

    def __init__(self, ciclos: tuple[str, ...], actual: str | None) -> None:
        super().__init__()
        self.ciclos, self.actual = ciclos, actual

    def compose(self) -> ComposeResult:
        recientes = list(reversed(self.ciclos))
        with Vertical(classes="dialogo"):
            yield Label("Ciclo que se muestra", classes="titulo")
            yield OptionList(*(Option(c + (" (el más reciente)" if k == 0 else ""), id=c)
                               for k, c in enumerate(recientes)), id="ciclos")
            yield Label("El tablero, la agenda y los filtros del padrón siguen el ciclo "
                        "elegido. Enter elige, Esc cancela.", classes="texto")

    def on_mount(self) -> None:
        recientes = list(reversed(self.ciclos))
        if self.actual in recientes:
            self.query_one(OptionList).highlighted = recientes.index(self.actual)

    @on(OptionList.OptionSelected)
    def _elegido(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_aceptar(self) -> None:
        lista = self.query_one(OptionList)
        if lista.highlighted is not None:
            self.dismiss(lista.get_option_at_index(lista.highlighted).id)
