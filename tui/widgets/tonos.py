"""Colours for table cells, taken from the theme in force (light or dark)."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import App

# How each state and obligation reads at a glance: the colour class of tables and bar chart.
TONO: dict[str, str] = {
    "registrado": "neutro", "en_consulta": "neutro",
    "al_corriente": "bien", "regularizado": "bien",
    "senalado": "alerta", "por_iniciar_cancelacion": "alerta", "por_cancelar": "alerta",
    "exhortado": "curso", "segunda_consulta": "curso", "en_cancelacion": "curso",
    "tercera_consulta": "curso", "cancelacion_suspendida": "alerta",
    "cancelado": "mal", "excluido": "neutro", "concluido_sin_registro": "neutro",
}
TONO_DECLARACION = {"pendiente": "curso", "presentada": "bien", "omisa": "mal",
                    "extemporanea": "alerta", "multada": "mal", "informada": "neutro"}
TONO_OBLIGACION = {"pendiente": "curso", "cumplida": "bien", "extemporanea": "alerta",
                   "vencida": "mal"}

VARIABLE = {"bien": "success", "curso": "accent", "alerta": "warning", "mal": "error",
            "neutro": "foreground", "tenue": "foreground-muted"}


def estilo(app: App, tono: str, *, negrita: bool = False) -> Style:
    colores = app.get_css_variables()
    color = colores.get(VARIABLE.get(tono, "foreground")) or colores.get("foreground")
    try:
        return Style(color=color, bold=negrita or tono == "mal")
    except Exception:  # a colour Rich cannot parse: plain text rather than a crash
        return Style(bold=negrita)


def celda(app: App, texto: str, tono: str, *, negrita: bool = False) -> Text:
    return Text(texto, style=estilo(app, tono, negrita=negrita))
