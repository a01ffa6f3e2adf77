"""What an input did: a summary, and every refused row with its reason."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Label, Static

from ....core.errors import Rechazo
from .base import Dialogo

MAX_RECHAZOS = 500  # rows shown in a result; the rest are in «repse rechazos»


class Resultado(Dialogo[None]):
    """A long summary scrolls in its own box: the Cerrar button stays on screen."""

    DEFAULT_CSS = """
    Resultado .lineas { height: auto; max-height: 50vh; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter", "cancelar", "Cerrar")]

    def __init__(self, titulo: str, lineas: Sequence[str], rechazos: Sequence[Rechazo] = (),
                 correcto: bool = True) -> None:
        super().__init__()
        self.titulo, self.lineas, self.rechazos = titulo, list(lineas), list(rechazos)
        self.correcto = correcto

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialogo resultado"):
            yield Label(self.titulo, classes="titulo" + ("" if self.correcto else " mal"))
            with VerticalScroll(classes="lineas"):
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
