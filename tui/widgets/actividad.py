"""What the app is doing in the background (import, export, replay): label and progress."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar


class Actividad(Horizontal):
    """Hidden while idle; shows ``app.actividad`` = (label, done, total or None)."""

    def compose(self) -> ComposeResult:
        yield Label("", id="actividad-texto")
        yield ProgressBar(total=None, show_eta=False, id="actividad-barra")

    def on_mount(self) -> None:
        self.watch(self.app, "actividad", self._cambio)

    def _cambio(self, actividad: tuple[str, int, int | None] | None) -> None:
        self.display = actividad is not None
        if actividad is None:
            return
        texto, hecho, total = actividad
        self.query_one("#actividad-texto", Label).update(texto)
        barra = self.query_one("#actividad-barra", ProgressBar)
        barra.update(total=total, progress=hecho)
