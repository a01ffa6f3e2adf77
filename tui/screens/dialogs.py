"""Modal dialogs: confirmation, a moment in time, import, act, export, and the result of an
input with its refusals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Input,
    Label,
    RadioButton,
    RadioSet,
    Select,
    Static,
)

from ...core.errors import Rechazo, RepseError
from ..texto import parse_instant
from ..widgets.etiquetas import ENTRADA, mayuscula
from .base import Destinatarios

RONDAS = (("Ronda 1", "1"), ("Ronda 2 (segunda consulta)", "2"),
          ("Ronda 3 (tercera consulta)", "3"), ("Actualización diaria", "diaria"))
TIPOS_ARCHIVO = ("padron", "opiniones", "exhorto", "inicio_cancelacion", "cancelacion",
                 "cancelacion_impedida")
TIPOS_ACTO = ("exhorto", "inicio_cancelacion", "cancelacion", "cancelacion_impedida",
              "criterio", "anulacion")
MAX_RECHAZOS = 500  # rows shown in a result; the rest are in «repse rechazos»


def leer_momento(texto: str) -> datetime:
    """``AAAA-MM-DD`` or ``AAAA-MM-DD HH:MM`` (Mexico City time)."""
    return parse_instant(texto.strip().replace(" ", "T"), "fecha")


def ronda(valor: str) -> int | str:
    return valor if valor == "diaria" else int(valor)


class Dialogo(ModalScreen):
    """Base: Escape cancels; Ctrl+S or the first button accepts. The first field has the
    focus, so an operator can type at once and move with Tab."""

    AUTO_FOCUS = "Select, Input, Checkbox, Button"

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancelar", "Cancelar"),
                Binding("ctrl+s", "aceptar", "Aceptar")]

    def action_cancelar(self) -> None:
        self.dismiss(None)

    def action_aceptar(self) -> None:
        pass

    @on(Button.Pressed, "#cancelar")
    def _cancelar(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#aceptar")
    def _aceptar(self) -> None:
        self.action_aceptar()

    def botones(self, aceptar: str = "Aceptar") -> ComposeResult:
        with Horizontal(classes="botones"):
            yield Button(aceptar, variant="primary", id="aceptar")
            yield Button("Cancelar", id="cancelar")

    def error(self, texto: str) -> None:
        self.query_one("#error", Label).update(texto)


class Confirmar(Dialogo):
    """Yes or no, with what is about to happen in words."""

    def __init__(self, titulo: str, texto: str, aceptar: str = "Confirmar") -> None:
        super().__init__()
        self.titulo, self.texto, self.etiqueta = titulo, texto, aceptar

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialogo"):
            yield Label(self.titulo, classes="titulo")
            yield Static(self.texto, classes="texto")
            yield from self.botones(self.etiqueta)

    def on_mount(self) -> None:
        self.query_one("#aceptar", Button).focus()

    def action_aceptar(self) -> None:
        self.dismiss(True)

    def action_cancelar(self) -> None:
        self.dismiss(False)


class PedirMomento(Dialogo):
    """A date, or a date and time, in Mexico City time."""

    def __init__(self, titulo: str, ayuda: str, valor: str) -> None:
        super().__init__()
        self.titulo, self.ayuda, self.valor = titulo, ayuda, valor

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialogo"):
            yield Label(self.titulo, classes="titulo")
            yield Static(self.ayuda, classes="texto")
            yield Input(self.valor, placeholder="AAAA-MM-DD HH:MM", id="momento")
            yield Label("", id="error", classes="error")
            yield from self.botones()

    @on(Input.Submitted)
    def action_aceptar(self) -> None:
        try:
            self.dismiss(leer_momento(self.query_one("#momento", Input).value))
        except RepseError as exc:
            self.error(str(exc))


@dataclass(frozen=True)
class PedidoImportar:
    tipo: str
    archivo: Path
    ciclo: str
    at: datetime
    ronda: int | str | None
    completo: bool
    motivo: str | None


class Importar(Dialogo):
    """Load a file the institutions delivered: padrón, opinions or a list of RFCs."""

    def __init__(self, ciclo: str, at: str, carpeta: Path) -> None:
        super().__init__()
        self.ciclo, self.at, self.carpeta = ciclo, at, carpeta

    def compose(self) -> ComposeResult:
        files = sorted(str(p) for p in self.carpeta.glob("*")
                       if p.suffix.lower() in (".csv", ".xlsx")) if self.carpeta.is_dir() else []
        with VerticalScroll(classes="dialogo"):
            yield Label("Importar un archivo", classes="titulo")
            yield Select([(ENTRADA[t], t) for t in TIPOS_ARCHIVO], value="padron",
                         allow_blank=False, id="tipo")
            yield Input(str(self.carpeta) + "/", placeholder="archivo CSV o XLSX", id="archivo",
                        suggester=SuggestFromList(files, case_sensitive=False))
            with Horizontal(classes="fila"):
                yield Input(self.ciclo, placeholder="ciclo AAAA-1", id="ciclo")
                yield Input(self.at, placeholder="fecha efectiva AAAA-MM-DD HH:MM", id="at")
            yield Select(RONDAS, value="1", allow_blank=False, id="ronda")
            yield Checkbox("Completo: quien falte en la lista es positiva", id="completo")
            yield Input("", placeholder="motivo (cancelación impedida)", id="motivo")
            yield Label("", id="error", classes="error")
            yield from self.botones("Importar…")

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
        try:
            at = leer_momento(self.query_one("#at", Input).value)
        except RepseError as exc:
            self.error(str(exc))
            return
        motivo = self.query_one("#motivo", Input).value.strip() or None
        if tipo == "cancelacion_impedida" and not motivo:
            self.error("la cancelación impedida debe decir su motivo")
            return
        self.dismiss(PedidoImportar(
            tipo, archivo, self.query_one("#ciclo", Input).value.strip(), at,
            ronda(str(self.query_one("#ronda", Select).value)) if tipo == "opiniones" else None,
            tipo == "opiniones" and self.query_one("#completo", Checkbox).value, motivo))


@dataclass(frozen=True)
class PedidoActo:
    tipo: str
    rfcs: tuple[str, ...]
    a_quien: str  # in words, for the confirmation
    ciclo: str
    at: datetime
    texto: str | None  # motivo (impediment, annulment) or the criterion's text
    entrada: int | None  # the input an annulment names


class Acto(Dialogo):
    """Record an act for the selected contractor, the filtered ones, or RFCs typed in."""

    def __init__(self, destinatarios: Destinatarios | None, ciclo: str, at: str,
                 tipo: str = "exhorto") -> None:
        super().__init__()
        self.dest = destinatarios or Destinatarios()
        self.ciclo, self.at, self.tipo = ciclo, at, tipo

    def compose(self) -> ComposeResult:
        d = self.dest
        with VerticalScroll(classes="dialogo"):
            yield Label("Registrar un acto", classes="titulo")
            yield Select([(mayuscula(ENTRADA[t]), t) for t in TIPOS_ACTO], value=self.tipo,
                         allow_blank=False, id="tipo")
            with RadioSet(id="quien"):
                yield RadioButton(f"El contratista seleccionado ({d.seleccionado})"
                                  if d.seleccionado else "El contratista seleccionado (ninguno)",
                                  value=bool(d.seleccionado), disabled=not d.seleccionado,
                                  id="seleccionado")
                yield RadioButton(f"Los {len(d.filtrados):,} filtrados{d.filtro}",
                                  value=not d.seleccionado and bool(d.filtrados),
                                  disabled=not d.filtrados, id="filtrados")
                yield RadioButton("Los RFC que escriba:", value=not d.seleccionado
                                  and not d.filtrados, id="escritos")
            yield Input("", placeholder="RFC separados por comas o espacios", id="rfcs")
            yield Input("", placeholder="número de la entrada a anular", id="entrada")
            yield Input("", placeholder="motivo / texto del criterio", id="texto")
            with Horizontal(classes="fila"):
                yield Input(self.ciclo, placeholder="ciclo AAAA-1", id="ciclo")
                yield Input(self.at, placeholder="fecha efectiva AAAA-MM-DD HH:MM", id="at")
            yield Label("", id="error", classes="error")
            yield from self.botones("Registrar…")

    def on_mount(self) -> None:
        self._tipo(None)

    @on(Select.Changed, "#tipo")
    def _tipo(self, _event) -> None:
        tipo = self.query_one("#tipo", Select).value
        self.query_one("#quien").display = tipo != "anulacion"
        self.query_one("#rfcs").display = tipo != "anulacion"
        self.query_one("#entrada").display = tipo == "anulacion"
        self.query_one("#texto").display = tipo in ("cancelacion_impedida", "criterio",
                                                    "anulacion")
        self.query_one("#ciclo").display = tipo != "anulacion"

    def action_aceptar(self) -> None:
        tipo = str(self.query_one("#tipo", Select).value)
        texto = self.query_one("#texto", Input).value.strip() or None
        try:
            at = leer_momento(self.query_one("#at", Input).value)
        except RepseError as exc:
            self.error(str(exc))
            return
        if tipo in ("cancelacion_impedida", "criterio", "anulacion") and not texto:
            self.error("escriba el motivo o el texto del criterio")
            return
        ciclo = self.query_one("#ciclo", Input).value.strip()
        if tipo == "anulacion":
            raw = self.query_one("#entrada", Input).value.strip()
            if not raw.isdigit():
                self.error("escriba el número de la entrada a anular")
                return
            self.dismiss(PedidoActo(tipo, (), f"la entrada {raw}", ciclo, at, texto, int(raw)))
            return
        quien = self.query_one("#quien", RadioSet).pressed_button
        which = quien.id if quien else "escritos"
        if which == "seleccionado" and self.dest.seleccionado:
            rfcs, words = (self.dest.seleccionado,), self.dest.seleccionado
        elif which == "filtrados":
            rfcs = self.dest.filtrados
            words = f"{len(rfcs):,} contratistas filtrados{self.dest.filtro}"
        else:
            raw = self.query_one("#rfcs", Input).value.replace(",", " ").split()
            rfcs = tuple(r.strip().upper() for r in raw)
            words = f"{len(rfcs)} RFC escritos"
        if not rfcs:
            self.error("no hay destinatarios: seleccione, filtre o escriba RFC")
            return
        self.dismiss(PedidoActo(tipo, rfcs, words, ciclo, at, texto, None))


@dataclass(frozen=True)
class PedidoExportar:
    ciclo: str
    destino: Path
    ronda: int | str | None
    notificacion: date | None


class Exportar(Dialogo):
    """Write the lists, letters and oficio of a round, the agenda and statistics."""

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
            yield Label("", id="error", classes="error")
            yield from self.botones("Exportar…")

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


class Resultado(Dialogo):
    """What an input did: a summary, and every refused row with its reason."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter", "cancelar", "Cerrar")]

    def __init__(self, titulo: str, lineas: Sequence[str], rechazos: Sequence[Rechazo] = (),
                 correcto: bool = True) -> None:
        super().__init__()
        self.titulo, self.lineas, self.rechazos = titulo, list(lineas), list(rechazos)
        self.correcto = correcto

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialogo resultado"):
            yield Label(self.titulo, classes="titulo" + ("" if self.correcto else " mal"))
            yield Static("\n".join(self.lineas), classes="texto")
            if self.rechazos:
                yield Label(f"Rechazos: {len(self.rechazos):,}"
                            + (f" (se muestran {MAX_RECHAZOS})"
                               if len(self.rechazos) > MAX_RECHAZOS else ""),
                            classes="subtitulo")
                yield DataTable(id="rechazos", cursor_type="row", zebra_stripes=True)
            with Horizontal(classes="botones"):
                yield Button("Cerrar", variant="primary", id="cancelar")

    def on_mount(self) -> None:
        if self.rechazos:
            table = self.query_one(DataTable)
            table.add_columns("Fila", "RFC", "Motivo", "Archivo")
            table.add_rows((str(r.fila or ""), r.rfc or "—", r.motivo, r.archivo or "")
                           for r in self.rechazos[:MAX_RECHAZOS])
        self.query_one("#cancelar", Button).focus()
