"""An obligation as a table row (the tablero's short agenda and the agenda screen), and which
one to highlight."""

from __future__ import annotations

from ...core.etiquetas import ESTADO_OBLIGACION, OBLIGACION, RESPONSABLE, numero
from ...core.vista import Obligacion
from .tonos import TONO_OBLIGACION, celda


def proxima(agenda: list[Obligacion]) -> int | None:
    """The obligation to highlight: the first one still pending, else the first overdue."""
    for estado in ("pendiente", "vencida"):
        for k, o in enumerate(agenda):
            if o.estado == estado:
                return k
    return None


def fila_agenda(app, o: Obligacion, destacada: bool, formato: str = "%d-%m %H:%M") -> tuple:
    tono = TONO_OBLIGACION[o.estado]
    mark = "▶ " if destacada else "  "
    return (celda(app, f"{mark}{o.limite:{formato}}", tono, negrita=destacada),
            RESPONSABLE[o.responsable],
            celda(app, OBLIGACION.get(o.clave, o.clave), tono, negrita=destacada),
            celda(app, ESTADO_OBLIGACION[o.estado]
                  + (f" ({numero(o.pendientes)})" if o.pendientes and o.estado != "cumplida"
                     else ""), tono, negrita=destacada))
