"""Write the lists, letters and oficio of a round, the agenda and statistics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, Select

from ....core.cycle import fecha_corta
from .base import RONDAS, Dialogo, ronda


@dataclass(frozen=True)
class PedidoExportar:
    ciclo: str
    destino: Path
    ronda: int | str | None
    notificacion: date | None


class Exportar(Dialogo[PedidoExportar | None]):
    """``d0``: the cycle's consultation date, before which no letter can be notified;
    ``notificacion``: the date proposed for the letters (the recorded exhorto's)."""

    def __init__(self, ciclo: str, destino: Path, *, d0: date | None = None,
                 notificacion: date | None = None) -> None:
        super().__init__()
        self.ciclo, self.destino = ciclo, destino
        self.d0, self.notificacion = d0, notificacion

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialogo"):
            yield Label("Exportar listados, cartas y oficio", classes="titulo")
            yield Label("Ciclo")
            yield Input(self.ciclo, placeholder="AAAA-1 o AAAA-2", id="ciclo")
            yield Label("Carpeta de destino (la propuesta recibe una subcarpeta por ronda)")
            yield Input(str(self.destino), placeholder="carpeta", id="destino",
                        select_on_focus=False)
            yield Label("Ronda")
            yield Select([("La ronda en curso", "auto"), *RONDAS], value="auto",
                         allow_blank=False, id="ronda")
            yield Label("Fecha de notificación de las cartas (ronda 1)")
            if self.d0:
                yield Label(f"en o después de la fecha de consulta, {fecha_corta(self.d0)}")
            yield Input(self.notificacion.isoformat() if self.notificacion else "",
                        placeholder="AAAA-MM-DD (vacía: la del exhorto registrado)",
                        id="notificacion")
            yield from self.pie("Exportar…")

    def action_aceptar(self) -> None:
        raw = self.query_one("#notificacion", Input).value.strip()
        try:
            notificacion = date.fromisoformat(raw) if raw else None
        except ValueError:
            self.error(f"fecha no válida «{raw}» (AAAA-MM-DD)")
            return
        ciclo = self.query_one("#ciclo", Input).value.strip()
        if notificacion and self.d0 and ciclo == self.ciclo and notificacion < self.d0:
            self.error(f"la fecha de notificación, {fecha_corta(notificacion)}, es anterior a "
                       f"la fecha de consulta (D0) del ciclo {ciclo}, {fecha_corta(self.d0)}")
            return
        value = str(self.query_one("#ronda", Select).value)
        self.dismiss(PedidoExportar(
            ciclo, Path(self.query_one("#destino", Input).value.strip()).expanduser(),
            None if value == "auto" else ronda(value), notificacion))
