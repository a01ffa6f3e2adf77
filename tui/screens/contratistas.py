"""Contratistas: the padrón as a table (RFC, razón social, estado, última opinión, próximo
plazo) filtered by state and opinion, with an incremental search by RFC or name; all read from
one read model."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Label, Select

from ...core.etiquetas import ESTADO, OPINION, numero
from ...core.lifecycle import Expediente
from ...core.vista import SIN_OPINION_AUN, Vista, normalizar
from ..widgets.tabla_padron import MARCA_ANTERIOR, TablaPadron
from .base import Destinatarios, Pantalla

OPCIONES_OPINION = [(texto, o) for o, texto in OPINION.items()] + [
    ("aún sin opinión", SIN_OPINION_AUN)]
# The last option of the state filter: contractors with an open procedure of an earlier cycle.
ANTERIOR_ABIERTO = "anterior_abierto"
OPCIONES_ESTADO = [(ESTADO[s.id], s.id) for s in Expediente.states] + [
    ("Ciclo anterior abierto", ANTERIOR_ABIERTO)]


class ContratistasScreen(Pantalla):
    NOMBRE = "Padrón de contratistas"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "buscar", "Buscar"),
        Binding("escape", "limpiar", "Quitar filtros", show=False),
    ]

    def cuerpo(self) -> ComposeResult:
        with Horizontal(id="filtros"):
            yield Input(placeholder="Buscar RFC, razón social o folio…", id="buscar")
            yield Select(OPCIONES_ESTADO, prompt="Estado: todos", id="f-estado")
            yield Select(OPCIONES_OPINION, prompt="Opinión: todas", id="f-opinion")
        yield Label("", id="cuenta")
        yield TablaPadron(id="tabla")

    def __init__(self) -> None:
        super().__init__()
        self._ultimo: tuple[str | None, str | None, str, Vista, str | None] | None = None
        self._filas = np.zeros(0, dtype=np.int64)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(TablaPadron).focus()

    # --- filters --------------------------------------------------------------------------
    def _valor(self, selector: str) -> str | None:
        value = self.query_one(selector, Select).value
        return None if value is Select.NULL else str(value)

    def filtros(self) -> tuple[str | None, str | None, str]:
        return (self._valor("#f-estado"), self._valor("#f-opinion"),
                self.query_one("#buscar", Input).value)

    def filtrar(self, *, desde_cero: bool = False) -> None:
        """Apply the filters; a search that only grew narrows the previous result."""
        vista = self.vista
        if vista is None:
            return
        estado, opinion, texto = self.filtros()
        ciclo = self.anterior()
        prev = self._ultimo
        dentro = None
        if (not desde_cero and prev is not None and prev[:2] == (estado, opinion)
                and prev[3] is vista and prev[4] == ciclo
                and normalizar(texto).startswith(normalizar(prev[2]))):
            dentro = self._filas
        anterior = estado == ANTERIOR_ABIERTO
        self._filas = vista.filtrar(estado=None if anterior else estado, opinion=opinion,
                                    texto=texto, dentro=dentro, anterior_abierto=anterior,
                                    ciclo=ciclo)
        self._ultimo = (estado, opinion, texto, vista, ciclo)
        tabla = self.query_one(TablaPadron)
        tabla.mostrar(vista, self._filas, conservar=tabla.seleccionado, ciclo=ciclo)
        self.query_one("#cuenta", Label).update(
            f"{numero(len(self._filas))} de {numero(len(vista))} contratistas"
            f"{self.descripcion()}{self.leyenda(vista)}")

    @staticmethod
    def leyenda(vista: Vista) -> str:
        """What the table's mark means, once some contractor carries it."""
        if not len(vista.filtrar(anterior_abierto=True)):
            return ""
        return f" · {MARCA_ANTERIOR} expediente abierto de un ciclo anterior"

    def anterior(self) -> str | None:
        """The earlier cycle chosen with ``y`` (its padrón and its procedures are shown);
        None while the latest is shown: each contractor with its latest procedure."""
        vista = self.vista
        return self.ciclo if vista is not None and self.ciclo != vista.ciclo_actual else None

    def descripcion(self) -> str:
        estado, opinion, texto = self.filtros()
        parts = []
        if (ciclo := self.anterior()) is not None:
            parts.append(f"padrón del ciclo {ciclo}")
        if estado == ANTERIOR_ABIERTO:
            parts.append("con expediente abierto de un ciclo anterior")
        elif estado is not None:
            parts.append(f"estado «{ESTADO[estado]}»")
        if opinion is not None:
            parts.append(f"opinión «{dict((c, o) for o, c in OPCIONES_OPINION)[opinion]}»")
        if texto.strip():
            parts.append(f"búsqueda «{texto.strip()}»")
        return (" · " + ", ".join(parts)) if parts else ""

    @on(Input.Changed, "#buscar")
    def _buscar(self) -> None:
        self.filtrar()

    @on(Select.Changed)
    def _select(self) -> None:
        self.filtrar(desde_cero=True)

    @on(Input.Submitted, "#buscar")
    def _abrir_primera(self) -> None:
        """Enter in the search box: the detail of the first match (the table keeps the focus
        for the way back)."""
        tabla = self.query_one(TablaPadron)
        tabla.focus()
        if not len(self._filas):
            self.notify("Ningún contratista coincide con la búsqueda.", severity="warning")
            return
        tabla.cursor = 0
        # From the table itself: a message posted here would stop at this screen, its sender.
        tabla.call_later(tabla.action_abrir)

    def action_buscar(self) -> None:
        self.query_one("#buscar", Input).focus()

    def action_limpiar(self) -> None:
        self.query_one("#buscar", Input).value = ""
        self.query_one("#f-estado", Select).clear()
        self.query_one("#f-opinion", Select).clear()
        self.query_one(TablaPadron).focus()
        self.filtrar(desde_cero=True)

    def refrescar(self, vista: Vista) -> None:
        self.filtrar(desde_cero=True)

    # --- the selection --------------------------------------------------------------------
    def destinatarios(self) -> Destinatarios:
        vista = self.vista
        filtrados = tuple(vista.rfc(k) for k in self._filas.tolist()) if vista else ()
        return Destinatarios(self.query_one(TablaPadron).seleccionado, filtrados,
                             self.descripcion())
