"""Load a file the institutions delivered: padrón, opinions or a list of RFCs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Checkbox, Input, Label, Select

from ....core.etiquetas import ENTRADA
from .base import RONDAS, Dialogo, ronda

TIPOS_ARCHIVO = ("padron", "opiniones", "exhorto", "inicio_cancelacion", "cancelacion",
                 "cancelacion_impedida")


@dataclass(frozen=True)
class PedidoImportar:
    tipo: str
    archivo: Path
    ciclo: str
    at: datetime
    ronda: int | str | None
    completo: bool
    motivo: str | None
    hoja: str | None = None  # the sheet of a workbook
    retroactivo: bool = False  # dated before the clock: the state is recomputed from it


class Importar(Dialogo[PedidoImportar | None]):

    def __init__(self, ciclo: str, at: str, carpeta: Path, reloj: datetime | None = None
                 ) -> None:
        super().__init__()
        self.ciclo, self.at, self.carpeta, self.reloj = ciclo, at, carpeta, reloj

    def compose(self) -> ComposeResult:
        files = sorted(str(p) for p in self.carpeta.glob("*")
                       if p.suffix.lower() in (".csv", ".xlsx")) if self.carpeta.is_dir() else []
        with VerticalScroll(classes="dialogo"):
            yield Label("Importar un archivo", classes="titulo")
            yield Select([(ENTRADA[t], t) for t in TIPOS_ARCHIVO], value="padron",
                         allow_blank=False, id="tipo")
            yield Input(str(self.carpeta) + "/", placeholder="archivo CSV o XLSX", id="archivo",
                        suggester=SuggestFromList(files, case_sensitive=False))
            yield from self.ciclo_y_fecha(self.ciclo, self.at)
            yield Select(RONDAS, value="1", allow_blank=False, id="ronda")
            yield Checkbox("Completo: quien falte en la lista es positiva", id="completo")
            yield Input("", placeholder="motivo (cancelación impedida)", id="motivo")
            yield Input("", placeholder="hoja del libro XLSX (si tiene varias con datos)",
                        id="hoja")
            yield from self.pie("Importar…")

    def on_mount(self) -> None:
        self._tipo(None)

    @on(Select.Changed, "#tipo")
    def _tipo(self, _event) -> None:
        tipo = self.query_one("#tipo", Select).value
        self.query_one("#ronda").display = tipo == "opiniones"
        self.query_one("#completo").display = tipo == "opiniones"
        self.query_one("#motivo").display = tipo == "cancelacion_impedida"

    def action_aceptar(self) -> None:
        tipo = str(self.query_one("#tipo", Select).value)
        archivo = Path(self.query_one("#archivo", Input).value.strip()).expanduser()
        if not archivo.is_file():
            self.error(f"{archivo}: el archivo no existe")
            return
        fecha = self.leer_fecha()
        if fecha is None:
            return
        at, retroactivo = fecha
        motivo = self.query_one("#motivo", Input).value.strip() or None
        if tipo == "cancelacion_impedida" and not motivo:
            self.error("la cancelación impedida debe decir su motivo")
            return
        self.dismiss(PedidoImportar(
            tipo, archivo, self.query_one("#ciclo", Input).value.strip(), at,
            ronda(str(self.query_one("#ronda", Select).value)) if tipo == "opiniones" else None,
            tipo == "opiniones" and self.query_one("#completo", Checkbox).value, motivo,
            self.query_one("#hoja", Input).value.strip() or None, retroactivo))
