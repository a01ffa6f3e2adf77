"""Colours for table cells, taken from the theme in force (light or dark)."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import App

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
