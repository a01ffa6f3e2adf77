"""Write the lists, letters and oficio of a round, the agenda and statistics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, Select

from .base import RONDAS, Dialogo, ronda


@dataclass(frozen=True)
class PedidoExportar:
    ciclo: str
    destino: Path
    ronda: int | str | None
    notificacion: date | None


class Exportar(Dialogo[PedidoExportar | None]):

    def __init__(self, ciclo: str, destino: Path) -> None:
        super().__init__()
        self.ciclo, self.destino = ciclo, destino

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialogo"):
            yield Label("Exportar listados, cartas y oficio", classes="titulo")
            yield Input(self.ciclo, placeholder="ciclo AAAA-1", id="ciclo")
            yield Input(str(self.destino), placeholder="carpeta de destino", id="destino")
            yield Select([("La ronda en curso", "auto"), *RONDAS], value="auto",
                         allow_blank=False, id="ronda")
            yield Input("", placeholder="fecha de notificación de las cartas (AAAA-MM-DD)",
                        id="notificacion")
            yield from self.pie("Exportar…")

    def action_aceptar(self) -> None:
        raw = self.query_one("#notificacion", Input).value.strip()
        try:
            notificacion = date.fromisoformat(raw) if raw else None
        except ValueError:
            self.error(f"fecha no válida «{raw}» (AAAA-MM-DD)")
            return
        value = str(self.query_one("#ronda", Select).value)
        self.dismiss(PedidoExportar(
            self.query_one("#ciclo", Input).value.strip(),
            Path(self.query_one("#destino", Input).value.strip()).expanduser(),
            None if value == "auto" else ronda(value), notificacion))
