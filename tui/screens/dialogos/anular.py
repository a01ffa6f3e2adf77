"""Annul one input of the log: what it is, the reason (required) and the date of the
annulment; what annulling it changes is tried and shown before it is recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, Static

from .base import Dialogo


@dataclass(frozen=True)
class PedidoAnulacion:
    numero: int
    motivo: str
    at: datetime
    retroactivo: bool


class Anular(Dialogo[PedidoAnulacion | None]):
    def __init__(self, numero: int, descripcion: str, at: str,
                 reloj: datetime | None = None) -> None:
        super().__init__()
        self.numero, self.descripcion, self.at, self.reloj = numero, descripcion, at, reloj

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialogo"):
            yield Label(f"Anular la entrada {self.numero:,}", classes="titulo")
            yield Static(f"{self.descripcion}\n\nAl anularla, el estado se recalcula como si "
                         "no se hubiera registrado; sigue en el registro, marcada como "
                         "anulada. Antes de registrar la anulación se muestra lo que cambia.",
                         classes="texto")
            yield Label("Motivo de la anulación (obligatorio):")
            yield Input("", placeholder="p. ej. archivo de otra ronda", id="motivo")
            yield Label("Fecha de la anulación:")
            yield from self.ciclo_y_fecha("", self.at)
            yield from self.pie("Ver lo que cambia…")

    def on_mount(self) -> None:
        self.query_one("#ciclo").display = False  # an annulment names an input, not a cycle
        self.query_one("#motivo").focus()

    def action_aceptar(self) -> None:
        motivo = self.query_one("#motivo", Input).value.strip()
        if not motivo:
            self.error("escriba el motivo de la anulación")
            return
        fecha = self.leer_fecha()
        if fecha is not None:
            self.dismiss(PedidoAnulacion(self.numero, motivo, *fecha))
