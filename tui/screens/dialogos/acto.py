"""Record an act for the selected contractor, the filtered ones, or RFCs typed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, RadioButton, RadioSet, Select

from ....core.etiquetas import ENTRADA, mayuscula
from ..base import Destinatarios
from .base import Dialogo

TIPOS_ACTO = ("exhorto", "inicio_cancelacion", "cancelacion", "cancelacion_impedida",
              "criterio", "anulacion")


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

    def __init__(self, destinatarios: Destinatarios | None, ciclo: str, at: str,
                 tipo: str = "exhorto", reloj: datetime | None = None) -> None:
        super().__init__()
        self.dest = destinatarios or Destinatarios()
        self.ciclo, self.at, self.tipo, self.reloj = ciclo, at, tipo, reloj

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
            yield from self.ciclo_y_fecha(self.ciclo, self.at)
            yield from self.pie("Registrar…")

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
        fecha = self.leer_fecha()
        if fecha is None:
            return
        at, retroactivo = fecha
        if tipo in ("cancelacion_impedida", "criterio", "anulacion") and not texto:
            self.error("escriba el motivo o el texto del criterio")
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
