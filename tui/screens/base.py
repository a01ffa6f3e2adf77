"""What every main screen shares: the status line, the activity bar, the footer, and a lazy
refresh when the state shown changes (``app.version``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from ..widgets.actividad import Actividad
from ..widgets.barra_estado import BarraEstado

if TYPE_CHECKING:
    from ..app import RepseApp


@dataclass(frozen=True)
class Destinatarios:
    """Whom an act applies to, as the screen the operator is on sees it."""

    seleccionado: str | None = None  # RFC under the cursor / of the detail
    filtrados: tuple[str, ...] = ()  # RFCs the filters leave
    filtro: str = ""  # the filters, in words


class Pantalla(Screen):
    """A main screen; subclasses yield their body from :meth:`cuerpo` and redraw it in
    :meth:`refrescar`."""

    def compose(self) -> ComposeResult:
        yield BarraEstado(id="barra-estado")
        yield from self.cuerpo()
        yield Actividad(id="actividad")
        yield Footer()

    def cuerpo(self) -> ComposeResult:
        yield from ()

    @property
    def repse(self) -> RepseApp:
        return self.app  # type: ignore[return-value]

    _visto = -1  # the app.version this screen last drew

    def on_mount(self) -> None:
        self.watch(self.app, "version", self._version)

    def _version(self, version: int) -> None:
        if self.is_current and self._visto != version:
            self._visto = version
            self.refrescar()

    def on_screen_resume(self) -> None:
        self._version(self.repse.version)

    def refrescar(self) -> None:
        """Redraw from ``self.repse.engine`` (the live state, a copy or a past instant)."""

    def destinatarios(self) -> Destinatarios | None:
        return None
