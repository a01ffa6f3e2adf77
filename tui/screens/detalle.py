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

from ..widgets.ciclo_vida import CicloVida
from ..widgets.etiquetas import ACTOR, ENTRADA, ESTADO, EVENTO, OPINION, PLAZO, dia, momento
from ..widgets.tonos import estilo
from .base import Destinatarios, Pantalla


class DetalleScreen(Pantalla):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,backspace", "volver", "Volver")]

    def __init__(self, contratista: int) -> None:
        super().__init__()
        self.contratista = contratista

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

    @property
    def rfc(self) -> str:
        return self.repse.vista().rfc(self.contratista)

    def destinatarios(self) -> Destinatarios:
        return Destinatarios(self.rfc)

    def refrescar(self) -> None:
        vista = self.repse.vista()
        i = self.contratista
        if i >= len(vista):  # a past instant before its padrón arrived
            self.query_one("#ficha", Static).update("Este contratista aún no estaba en ningún "
                                                    "padrón en ese momento.")
            return
        f = vista.ficha(vista.rfc(i))
        plazo_reg = f.plazo_registro
        ficha = Text()
        ficha.append(f"{f.rfc}  ", style="bold")
        ficha.append(f.razon_social, style="bold")
        ficha.append(f"\nFolio {f.folio} · registro {ESTADO[f.registro].lower()}")
        if plazo_reg:
            ficha.append(f" ({PLAZO[plazo_reg.plazo]}: {dia(plazo_reg.fecha)})")
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
                            f"último día {dia(e.plazo.fecha)}")
            if e.admite:
                admite = " · ".join(f"{EVENTO.get(ev, ev)} ({ENTRADA.get(t, t)})"
                                    for ev, t in e.admite)
                text.append(f"\n  Admite ahora: {admite}")
            else:
                text.append("\n  Expediente concluido: no admite más entradas.")
        if not exps:
            text.append("Sin expediente: ningún padrón de ciclo lo incluye.")
        self.query_one("#expedientes", Static).update(text)

        vida = self.query_one(CicloVida)
        if exps:
            last = exps[-1]
            vida.border_title = f"Ciclo de vida del expediente {last.ciclo}"
            vida.actualizar(last.estado, list(f.recorrido))
        vida.display = bool(exps)
        self.query_one("#historial", Static).update(self._linea_de_tiempo(f.historial))

    def _linea_de_tiempo(self, pasos) -> Text:
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
