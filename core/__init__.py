"""repse core: the legal-time rules, the lifecycle charts and the engine. No I/O to a terminal."""

from .calendars import Calendarios, DatosCalendario, Politicas, calendarios, load_calendar_data
from .cycle import Ciclo, PlanCiclo, plan_ciclo
from .errors import CalendarFileError, PlanError, RepseError

__all__ = [
    "CalendarFileError",
    "Calendarios",
    "Ciclo",
    "DatosCalendario",
    "PlanCiclo",
    "PlanError",
    "Politicas",
    "RepseError",
    "calendarios",
    "load_calendar_data",
    "plan_ciclo",
]
