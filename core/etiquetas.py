"""Spanish labels that screens, the command line and the exported files show, derived from the
lifecycle charts where the charts have them (state titles, event names), and the few the charts
do not name. The one table of each: the TUI, the CLI and the exports all read from here."""

from __future__ import annotations

from datetime import datetime

from .cycle import fecha_corta
from .lifecycle import ACTOR_NOMBRE, Declaracion, Expediente, Registro

ESTADO: dict[str, str] = {s.id: s.name for chart in (Expediente, Registro, Declaracion)
                          for s in chart.states}
EVENTO: dict[str, str] = {str(e): e.name for chart in (Expediente, Registro, Declaracion)
                          for e in chart.events}
EVENTO["manifestacion"] = "Manifestación recibida"
EVENTO["criterio_fecha_consulta"] = "Fecha de consulta movida por criterio del GT"
ACTOR = dict(ACTOR_NOMBRE)
RESPONSABLE = {"imss": "IMSS", "stps": "STPS", "gt": "GT", "contratistas": "Contratistas"}

OPINION = {"positiva": "positiva", "negativa": "negativa", "sin_opinion": "sin opinión"}


PLAZO: dict[str, str] = {
    "limite_exhorto": "límite del exhorto",
    "fin_plazo_regularizacion": "fin regularización",
    "segunda_consulta": "segunda consulta",
    "fin_plazo_audiencia": "fin para manifestar",
    "tercera_consulta": "tercera consulta",
    "cancelacion": "cancelación",
    "fin_vigencia": "fin de vigencia",
    "inicio_ventana_renovacion": "abre renovación",
    "fin_plazo_resolucion": "fin para resolver",
    "afirmativa_ficta": "afirmativa ficta",
}

OBLIGACION: dict[str, str] = {
    "padron": "Padrón del ciclo",
    "listado_inicial": "Listados ronda 1",
    "exhorto": "Exhorto",
    "listado_segunda": "Listados 2.ª consulta",
    "listado_tercera": "Oficio 3.ª consulta",
    "cancelacion": "Cancelación",
    "actualizacion_diaria": "Actualización diaria",
    "declaracion": "Declaración LSS 15 A",
    "informe_stps": "Aviso a la STPS",
}
ESTADO_OBLIGACION = {"pendiente": "pendiente", "cumplida": "cumplida",
                     "extemporanea": "extemporánea", "vencida": "VENCIDA"}

ENTRADA: dict[str, str] = {
    "padron": "padrón",
    "opiniones": "opiniones del IMSS",
    "exhorto": "exhorto",
    "inicio_cancelacion": "inicio de la cancelación",
    "cancelacion": "cancelación",
    "cancelacion_impedida": "cancelación impedida",
    "criterio": "criterio del GT",
    "anulacion": "anulación de una entrada",
    "cancelacion_registro": "cancelación del registro",
    "manifestacion": "manifestación",
    "renovacion": "renovación",
    "calendario": "calendario vigente",
    "reloj": "reloj (vence un plazo)",
    "declaraciones": "declaraciones cuatrimestrales recibidas",
    "multa": "multa por la declaración",
    "informe_stps": "informe a la STPS",
    "membrete": "membrete de los documentos",
}

def nombre_estado(clave: str | None) -> str:
    """A state's label («Cancelación suspendida»), or «—» for none (no procedure)."""
    return ESTADO.get(clave, clave) if clave else "—"


def mayuscula(texto: str) -> str:
    """First letter upper case, the rest untouched (``str.capitalize`` would turn «IMSS» into
    «imss»)."""
    return texto[:1].upper() + texto[1:]


def momento(t: datetime) -> str:
    """``lun 26-01-2026 09:00``."""
    return f"{fecha_corta(t.date())} {t:%H:%M}"


def fecha_hora(t: datetime | None) -> str:
    """``26-01-2026 09:00`` (a table's cell, a file's column); ``—`` when there is none."""
    return f"{t:%d-%m-%Y %H:%M}" if t else "—"


def numero(n: int) -> str:
    """Thousands separated by commas, as Mexico writes them: ``150,000``."""
    return f"{n:,}"


def cuantos(n: int, singular: str, plural: str) -> str:
    """``1 fila rechazada``, ``2 filas rechazadas``, ``150,000 filas aceptadas``."""
    return f"{numero(n)} {singular if n == 1 else plural}"
