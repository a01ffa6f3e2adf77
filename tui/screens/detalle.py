"""Detalle: why is this contractor here? Its procedures with their running plazos and the
inputs they accept now, the lifecycle with its current state highlighted, and its history as a
timeline (time, input, actor, from → to, legal basis)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...core.cycle import fecha_corta
from ...core.etiquetas import ACTOR, ENTRADA, ESTADO, EVENTO, OPINION, PLAZO, momento
from ...core.vista import Paso, Vista
from ..widgets.ciclo_vida import CicloVida
from ..widgets.tonos import TONO_DECLARACION, estilo
from .base import Destinatarios, Pantalla


class DetalleScreen(Pantalla):
    NOMBRE = "Detalle del contratista"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,backspace", "volver", "Volver")]

    def __init__(self, rfc: str) -> None:
        super().__init__()
        self.rfc = rfc

    def cuerpo(self) -> ComposeResult:
        with VerticalScroll(id="detalle"):
            yield Static("", id="ficha")
            yield Static("", id="expedientes")
            yield Static("", id="historial")
            yield CicloVida(id="ciclo-vida")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#expedientes").border_title = "Expedientes y plazos en curso"
        self.query_one("#historial").border_title = "Historial"
        self.query_one("#detalle").focus()

    def action_volver(self) -> None:
        self.dismiss()

    def destinatarios(self) -> Destinatarios:
        return Destinatarios(self.rfc)

    def refrescar(self, vista: Vista) -> None:
        f = vista.ficha(self.rfc)
        if f is None:  # a past instant before its padrón arrived
            self.query_one("#ficha", Static).update("Este contratista aún no estaba en ningún "
                                                    "padrón en ese momento.")
            return
        ficha = Text()
        ficha.append(f"{f.rfc}  ", style="bold")
        ficha.append(f.razon_social, style="bold")
        ficha.append(f"\nFolio {f.folio} · registro {ESTADO[f.registro].lower()}")
        if f.plazo_registro:
            ficha.append(f" ({PLAZO[f.plazo_registro.plazo]}: "
                         f"{fecha_corta(f.plazo_registro.fecha)})")
        if f.correo:
            ficha.append(f" · {f.correo}")
        self.query_one("#ficha", Static).update(ficha)

        exps = f.expedientes
        text = Text()
        for k, e in enumerate(exps):
            if k:
                text.append("\n")
            text.append(f"Ciclo {e.ciclo}: ", style="bold")
            text.append(ESTADO[e.estado], style=estilo(self.app, "curso" if not e.final
                                                        else "neutro", negrita=True))
            text.append(f" · última opinión: {OPINION.get(e.opinion or '', '—')}")
            if e.plazo:
                text.append(f"\n  Plazo en curso: {PLAZO.get(e.plazo.plazo, e.plazo.plazo)}, "
                            f"último día {fecha_corta(e.plazo.fecha)}")
            if e.admite:
                admite = " · ".join(f"{EVENTO.get(ev, ev)} ({ENTRADA.get(t, t)})"
                                    for ev, t in e.admite)
                text.append(f"\n  Admite ahora: {admite}")
            else:
                text.append("\n  Expediente concluido: no admite más entradas.")
        if not exps:
            text.append("Sin expediente: ningún padrón de ciclo lo incluye.")
        estado = vista.estado(self.rfc)
        if estado is not None and estado.declaraciones:
            text.append("\nDeclaraciones cuatrimestrales (LSS art. 15 A): ", style="bold")
            for k, d in enumerate(estado.declaraciones):
                text.append(" · " if k else "")
                text.append(f"{d.periodo} ")
                text.append(ESTADO[d.estado], style=estilo(self.app, TONO_DECLARACION[d.estado]))
        self.query_one("#expedientes", Static).update(text)

        vida = self.query_one(CicloVida)
        if exps:
            last = exps[-1]
            vida.border_title = f"Ciclo de vida del expediente {last.ciclo}"
            vida.actualizar(last.estado, list(f.recorrido))
        vida.display = bool(exps)
        self.query_one("#historial", Static).update(self._linea_de_tiempo(f.historial))

    def _linea_de_tiempo(self, pasos: tuple[Paso, ...]) -> Text:
        text = Text()
        tenue = estilo(self.app, "tenue")
        for k, s in enumerate(pasos):
            if k:
                text.append("\n")
            text.append(f"{momento(s.at)}  ", style="bold")
            text.append(f"#{s.entrada}  {EVENTO.get(s.evento, s.evento)}")
            text.append(f"  ({s.ciclo or 'registro'})", style=tenue)
            text.append(f"\n    {ACTOR.get(s.actor, s.actor)}")
            if s.desde:
                text.append(f" · {ESTADO[s.desde]} → ", style=tenue)
                text.append(ESTADO[s.hacia or ""], style=estilo(self.app, "curso"))
            text.append(f"\n    {s.fundamento}", style=tenue)
            if s.nota:
                text.append(f"\n    «{s.nota}»")
        if not pasos:
            text.append("Sin transiciones todavía.")
        return text
