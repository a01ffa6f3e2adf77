"""Contratistas: the padrón as a table (RFC, razón social, estado, última opinión, próximo
plazo) filtered by state and opinion on the engine's columns, with an incremental search by RFC
or name."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Label, Select

from ...core import consultas
from ...core.motor import OPINIONES
from ...core.table import EXPEDIENTE
from ..widgets.etiquetas import ESTADO, OPINION, numero
from ..widgets.tabla_padron import TablaPadron
from .base import Destinatarios, Pantalla

OPCIONES_OPINION = [(OPINION[o], code) for code, o in enumerate(OPINIONES) if o] + [
    ("aún sin opinión", 0)]


class ContratistasScreen(Pantalla):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "buscar", "Buscar"),
        Binding("escape", "limpiar", "Quitar filtros"),
    ]

    def cuerpo(self) -> ComposeResult:
        with Horizontal(id="filtros"):
            yield Input(placeholder="Buscar RFC o razón social…", id="buscar")
            yield Select([(ESTADO[s], c) for c, s in enumerate(EXPEDIENTE.states)],
                         prompt="Estado: todos", id="f-estado")
            yield Select(OPCIONES_OPINION, prompt="Opinión: todas", id="f-opinion")
        yield Label("", id="cuenta")
        yield TablaPadron(id="tabla")

    def __init__(self) -> None:
        super().__init__()
        self._ultimo: tuple[int | None, int | None, str, int] | None = None
        self._ids = np.zeros(0, dtype=np.int64)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(TablaPadron).focus()

    # --- filters --------------------------------------------------------------------------
    def _valor(self, selector: str) -> int | None:
        value = self.query_one(selector, Select).value
        return None if value is Select.NULL else int(value)  # type: ignore[arg-type]

    def filtros(self) -> tuple[int | None, int | None, str]:
        return (self._valor("#f-estado"), self._valor("#f-opinion"),
                self.query_one("#buscar", Input).value)

    def filtrar(self, *, desde_cero: bool = False) -> None:
        """Apply the filters; a search that only grew narrows the previous result."""
        p = self.repse.padron()
        estado, opinion, texto = self.filtros()
        prev = self._ultimo
        dentro = None
        if (not desde_cero and prev is not None and prev[:2] == (estado, opinion)
                and prev[3] == self.repse.version and texto.upper().startswith(prev[2].upper())):
            dentro = self._ids
        self._ids = consultas.filtrar(p, estado=estado, opinion=opinion, texto=texto,
                                      busqueda=self.repse.busqueda() if texto.strip() else None,
                                      dentro=dentro)
        self._ultimo = (estado, opinion, texto, self.repse.version)
        tabla = self.query_one(TablaPadron)
        tabla.mostrar(self.repse.engine, p, self._ids, conservar=tabla.seleccionado)
        self.query_one("#cuenta", Label).update(
            f"{numero(len(self._ids))} de {numero(len(p))} contratistas{self.descripcion()}")

    def descripcion(self) -> str:
        estado, opinion, texto = self.filtros()
        parts = []
        if estado is not None:
            parts.append(f"estado «{ESTADO[EXPEDIENTE.states[estado]]}»")
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
    def _a_la_tabla(self) -> None:
        self.query_one(TablaPadron).focus()

    def action_buscar(self) -> None:
        self.query_one("#buscar", Input).focus()

    def action_limpiar(self) -> None:
        self.query_one("#buscar", Input).value = ""
        self.query_one("#f-estado", Select).clear()
        self.query_one("#f-opinion", Select).clear()
        self.query_one(TablaPadron).focus()
        self.filtrar(desde_cero=True)

    def refrescar(self) -> None:
        self.filtrar(desde_cero=True)

    # --- the selection --------------------------------------------------------------------
    @on(TablaPadron.Seleccionado)
    def _detalle(self, event: TablaPadron.Seleccionado) -> None:
        self.repse.abrir_detalle(event.contratista)

    def destinatarios(self) -> Destinatarios:
        engine = self.repse.engine
        i = self.query_one(TablaPadron).seleccionado
        rfcs = engine.rfcs
        return Destinatarios(rfcs[i] if i is not None else None,
                             tuple(rfcs[j] for j in self._ids.tolist()), self.descripcion())
