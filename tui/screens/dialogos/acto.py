"""Record an act for the selected contractor, the filtered ones, or RFCs typed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, RadioSet, Select

from ....core import inputs as inp
from ....core.etiquetas import ACTOR, ENTRADA, mayuscula
from ..base import Destinatarios
from .base import Dialogo, Opcion, campo

TIPOS_ACTO = ("exhorto", "inicio_cancelacion", "cancelacion", "cancelacion_impedida",
              "criterio", "anulacion")
# What the text field holds for each act that needs one.
TEXTO = {"cancelacion_impedida": "Motivo", "criterio": "Texto del criterio",
         "anulacion": "Motivo"}


@dataclass(frozen=True)
class PedidoActo:
    tipo: str
    rfcs: tuple[str, ...]
    a_quien: str  # in words, for the confirmation
    ciclo: str
    at: datetime
    texto: str | None  # motivo (impediment, annulment) or the criterion's text
    entrada: int | None  # the input an annulment names
    retroactivo: bool = False  # dated before the clock: the state is recomputed from it


class Acto(Dialogo[PedidoActo | None]):
    """Every field labelled; the act proposed by the caller from the state (``tipo``: the one
    the filtered or selected contractors can receive)."""

    DEFAULT_CSS = """
    Acto #quien { width: 1fr; }
    Acto #emisor { padding: 1 0 0 0; }
    """

    def __init__(self, destinatarios: Destinatarios | None, ciclo: str, at: str,
                 tipo: str = "exhorto", reloj: datetime | None = None) -> None:
        super().__init__()
        self.dest = destinatarios or Destinatarios()
        self.ciclo, self.at, self.tipo, self.reloj = ciclo, at, tipo, reloj

    def compose(self) -> ComposeResult:
        d = self.dest
        with VerticalScroll(classes="dialogo"):
            yield Label("Registrar un acto", classes="titulo")
            yield campo("Acto", Select([(mayuscula(ENTRADA[t]), t) for t in TIPOS_ACTO],
                                       value=self.tipo, allow_blank=False, id="tipo"))
            yield campo("Para", RadioSet(
                Opcion(f"El contratista seleccionado ({d.seleccionado})"
                       if d.seleccionado else "El contratista seleccionado (ninguno)",
                       value=bool(d.seleccionado), disabled=not d.seleccionado,
                       id="seleccionado"),
                Opcion(f"Los {len(d.filtrados):,} filtrados{d.filtro}",
                       value=not d.seleccionado and bool(d.filtrados),
                       disabled=not d.filtrados, id="filtrados"),
                Opcion("Los RFC que escriba abajo", value=not d.seleccionado
                       and not d.filtrados, id="escritos"), id="quien"), id="fila-quien")
            yield campo("RFC", Input("", placeholder="separados por comas o espacios",
                                     id="rfcs"), id="fila-rfcs")
            yield campo("Entrada a anular", Input("", placeholder="su número", id="entrada"),
                        id="fila-entrada")
            yield campo("Motivo", Input("", id="texto"), id="fila-texto")
            yield from self.ciclo_y_fecha(self.ciclo, self.at)
            yield Label("", id="emisor")
            yield from self.pie("Registrar…")

    def on_mount(self) -> None:
        self._tipo(None)

    @on(Select.Changed, "#tipo")
    def _tipo(self, _event) -> None:
        tipo = str(self.query_one("#tipo", Select).value)
        self.query_one("#fila-quien").display = tipo != "anulacion"
        self.query_one("#fila-rfcs").display = tipo != "anulacion"
        self.query_one("#fila-entrada").display = tipo == "anulacion"
        self.query_one("#fila-texto").display = tipo in TEXTO
        self.query_one("#fila-texto .etiqueta", Label).update(TEXTO.get(tipo, ""))
        self.query_one("#ciclo").display = tipo != "anulacion"
        self.query_one("#etiqueta-ciclo").display = tipo != "anulacion"
        emisor = inp.emisor(tipo)
        self.query_one("#emisor", Label).update(f"Emite: {ACTOR.get(emisor, emisor)}")

    def action_aceptar(self) -> None:
        tipo = str(self.query_one("#tipo", Select).value)
        texto = self.query_one("#texto", Input).value.strip() or None
        fecha = self.leer_fecha()
        if fecha is None:
            return
        at, retroactivo = fecha
        if tipo in TEXTO and not texto:
            self.error(f"escriba el campo «{TEXTO[tipo]}»")
            return
        ciclo = self.query_one("#ciclo", Input).value.strip()
        if tipo == "anulacion":
            raw = self.query_one("#entrada", Input).value.strip()
            if not raw.isdigit():
                self.error("escriba el número de la entrada a anular")
                return
            self.dismiss(PedidoActo(tipo, (), f"la entrada {raw}", ciclo, at, texto, int(raw),
                                    retroactivo))
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
        self.dismiss(PedidoActo(tipo, rfcs, words, ciclo, at, texto, None, retroactivo))
