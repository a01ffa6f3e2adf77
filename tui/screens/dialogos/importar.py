"""Load a file the institutions delivered: padrón, opinions or a list of RFCs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Select

from ....core import inputs as inp
from ....core.etiquetas import ACTOR, ENTRADA
from ....core.lifecycle import Ronda
from ....core.previa import LISTA_COMPLETA, LISTA_PARCIAL
from .base import RONDAS, Dialogo, Opcion, campo, ronda

TIPOS_ARCHIVO = ("padron", "opiniones", "exhorto", "inicio_cancelacion", "cancelacion",
                 "cancelacion_impedida")
PROPONE_COMPLETA = (1, 2, 3)  # IMSS deposits only the negative lists of the three rounds


@dataclass(frozen=True)
class PedidoImportar:
    tipo: str
    archivo: Path
    ciclo: str
    at: datetime
    ronda: Ronda | None
    completo: bool
    motivo: str | None
    hoja: str | None = None  # the sheet of a workbook
    retroactivo: bool = False  # dated before the clock: the state is recomputed from it


class Importar(Dialogo[PedidoImportar | None]):
    """Every field labelled; the type and the round proposed from the state (``tipo``,
    ``ronda``); an IMSS list declared complete or partial, «completa» proposed for the three
    rounds and nothing for a daily update."""

    DEFAULT_CSS = """
    Importar #lista { height: auto; width: 1fr; }
    Importar #lista > Opcion { border: none; width: 1fr; }
    Importar #fila-lista > .etiqueta { padding: 0 1 0 0; }
    Importar #emisor { padding: 1 0 0 0; }
    """

    def __init__(self, ciclo: str, at: str, carpeta: Path, reloj: datetime | None = None, *,
                 tipo: str = "padron", ronda: Ronda | None = None) -> None:
        super().__init__()
        self.ciclo, self.at, self.carpeta, self.reloj = ciclo, at, carpeta, reloj
        self.tipo, self.ronda = tipo, ronda

    def compose(self) -> ComposeResult:
        files = sorted(str(p) for p in self.carpeta.glob("*")
                       if p.suffix.lower() in (".csv", ".xlsx")) if self.carpeta.is_dir() else []
        completa = self.ronda in PROPONE_COMPLETA
        with VerticalScroll(classes="dialogo"):
            yield Label("Importar un archivo", classes="titulo")
            yield campo("Tipo de archivo", Select(
                [(ENTRADA[t], t) for t in TIPOS_ARCHIVO], value=self.tipo, allow_blank=False,
                id="tipo"))
            yield campo("Archivo", Input(
                str(self.carpeta) + "/", placeholder="CSV o XLSX", id="archivo",
                suggester=SuggestFromList(files, case_sensitive=False)))
            yield from self.ciclo_y_fecha(self.ciclo, self.at)
            yield campo("Ronda", Select(RONDAS, value=str(self.ronda or 1), allow_blank=False,
                                        id="ronda"), id="fila-ronda")
            yield campo("La lista es", Vertical(
                Opcion(LISTA_COMPLETA, value=completa, id="completo"),
                Opcion(LISTA_PARCIAL, id="parcial"), id="lista"), id="fila-lista")
            yield campo("Motivo", Input("", placeholder="por qué se impidió la cancelación",
                                        id="motivo"), id="fila-motivo")
            yield campo("Hoja (XLSX)", Input("", placeholder="si el libro tiene varias con datos",
                                             id="hoja"))
            yield Label("", id="emisor")
            yield from self.pie("Importar…")

    def on_mount(self) -> None:
        self._tipo(None)

    @on(Select.Changed, "#tipo")
    def _tipo(self, _event) -> None:
        tipo = str(self.query_one("#tipo", Select).value)
        self.query_one("#fila-ronda").display = tipo == "opiniones"
        self.query_one("#fila-lista").display = tipo == "opiniones"
        self.query_one("#fila-motivo").display = tipo == "cancelacion_impedida"
        emisor = inp.emisor(tipo)
        self.query_one("#emisor", Label).update(
            f"Emite: {ACTOR.get(emisor, emisor)} (quien entrega este archivo)")

    @on(Opcion.Changed, "#lista Opcion")
    def _una_sola(self, event: Opcion.Changed) -> None:
        """Complete or partial, never both."""
        if event.value:
            otra = "#parcial" if event.radio_button.id == "completo" else "#completo"
            self.query_one(otra, Opcion).value = False

    def action_aceptar(self) -> None:
        tipo = str(self.query_one("#tipo", Select).value)
        archivo = Path(self.query_one("#archivo", Input).value.strip()).expanduser()
        if not archivo.is_file() and (self.carpeta / archivo).is_file():
            # A bare name typed over the proposed folder (as LEEME writes them): in that folder.
            archivo = self.carpeta / archivo
        if not archivo.is_file():
            self.error(f"{archivo}: el archivo no existe (ni en {self.carpeta})")
            return
        fecha = self.leer_fecha()
        if fecha is None:
            return
        at, retroactivo = fecha
        motivo = self.query_one("#motivo", Input).value.strip() or None
        if tipo == "cancelacion_impedida" and not motivo:
            self.error("la cancelación impedida debe decir su motivo")
            return
        completo = self.query_one("#completo", Opcion).value
        if tipo == "opiniones" and not (completo or self.query_one("#parcial", Opcion).value):
            self.error("diga si la lista del IMSS es completa (quien no figura queda positiva) "
                       "o parcial")
            return
        self.dismiss(PedidoImportar(
            tipo, archivo, self.query_one("#ciclo", Input).value.strip(), at,
            ronda(str(self.query_one("#ronda", Select).value)) if tipo == "opiniones" else None,
            tipo == "opiniones" and completo, motivo,
            self.query_one("#hoja", Input).value.strip() or None, retroactivo))
