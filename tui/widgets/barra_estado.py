"""The top line of every screen: simulated clock, current cycle, kind of store and view, and a
store that cannot be reached."""

from __future__ import annotations

from textual.widgets import Static


class BarraEstado(Static):
    """Shows ``app.resumen`` (clock, cycle, mode); its CSS class marks a simulation copy or a
    past instant so neither can be mistaken for the live store."""

    def on_mount(self) -> None:
        self.watch(self.app, "resumen", self._cambio)

    def _cambio(self, resumen: tuple[str, str]) -> None:
        texto, modo = resumen
        self.update(texto)
        for m in ("operacion", "simulacion", "copia", "pasado", "sinconexion"):
            self.set_class(m == modo, f"-{m}")
