"""What every main screen shares: the status line, the activity bar, the footer, and the read
model it shows, redrawn when a new one arrives (or when the screen comes back into view)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, cast

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from ...core.vista import Vista
from ..widgets.actividad import Actividad
from ..widgets.barra_estado import BarraEstado


class Anfitrion(Protocol):
    """What a main screen reads from the app that shows it."""

    @property
    def vista(self) -> Vista | None: ...  # None until the store is open

    @property
    def presente(self) -> Vista | None: ...  # the store's present state (not a past instant)

    @property
    def ultimo(self) -> tuple[str, list[str]] | None: ...  # the last clock step: title, lines

    @property
    def ciclo_mostrado(self) -> str | None: ...  # the cycle chosen with ``y``, or the latest


@dataclass(frozen=True)
class Destinatarios:
    """Whom an act applies to, as the screen the operator is on sees it."""

    seleccionado: str | None = None  # RFC under the cursor / of the detail
    filtrados: tuple[str, ...] = ()  # RFCs the filters leave
    filtro: str = ""  # the filters, in words


class Pantalla(Screen):
    """A main screen; subclasses yield their body from :meth:`cuerpo` and draw a read model in
    :meth:`refrescar`."""

    NOMBRE = "principal"  # what the help calls it
    vista: Vista | None = None  # the read model drawn last
    ciclo: str | None = None  # the cycle drawn last (the one chosen, or the latest)
    _dibujada: tuple[Vista, str | None] | None = None

    def compose(self) -> ComposeResult:
        yield BarraEstado(id="barra-estado")
        yield from self.cuerpo()
        yield Actividad(id="actividad")
        yield Footer()

    def cuerpo(self) -> ComposeResult:
        yield from ()

    @property
    def anfitrion(self) -> Anfitrion:
        return cast(Anfitrion, self.app)

    def on_mount(self) -> None:
        self.mostrar(self.anfitrion.vista)

    def on_screen_resume(self) -> None:
        self.mostrar(self.anfitrion.vista)

    def mostrar(self, vista: Vista | None) -> None:
        """Draw ``vista`` now if this screen is in view; otherwise it is drawn on resume."""
        ciclo = self.anfitrion.ciclo_mostrado
        dibujada = self._dibujada
        if vista is None or not self.is_current or (
                dibujada is not None and dibujada[0] is vista and dibujada[1] == ciclo):
            return
        self.vista, self.ciclo, self._dibujada = vista, ciclo, (vista, ciclo)
        self.refrescar(vista)

    def refrescar(self, vista: Vista) -> None:
        """Redraw from ``vista`` (the live state, a simulation copy or a past instant) and
        :attr:`ciclo`."""

    def destinatarios(self) -> Destinatarios | None:
        return None
