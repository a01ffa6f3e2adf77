"""Authority calendars: which days are hábil for IMSS, for STPS, and for both.

A day is hábil for an authority when it is not a Saturday or Sunday, not a statutory rest day and
not a closure the authority published in the DOF. The statutory base set is a policy (LFT art. 74
by default); closures are data (``data/cierres.toml`` or the operator's own file), never code.

Everything is built on workalendar's calendar core, but **not** on its ``Mexico`` class: that
class adds 31 December as a "New Year Day substitute" in most years and moves weekend holidays to
the Friday or Monday, which Mexican law does not do.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Literal, TypeVar

import msgspec
from workalendar.core import MON, SAT, SUN, Calendar

from .errors import CalendarFileError, spanish_validation_reason, split_validation_error

Autoridad = Literal["imss", "stps"]
AUTORIDADES: tuple[Autoridad, ...] = ("imss", "stps")
CalendarName = Literal["imss", "stps", "conjunto"]

# The procedures a closure may exempt (`excepto`): the DOF acuerdos close an office "except for"
# some of its procedures, e.g. the STPS closure of July 2024 did not apply to REPSE renewals.
Procedimiento = Literal["mecanismo", "cancelacion", "renovacion"]
PROCEDIMIENTOS: tuple[Procedimiento, ...] = ("mecanismo", "cancelacion", "renovacion")

BaseInhabiles = Literal["lft74", "lfpa28"]
# The renewal window (Acuerdo REPSE, DÉCIMO SEXTO): the three calendar months before the month in
# which the term ends, as the 2024 reform's calendar publishes it; or the 2021 text read day to
# day, from the same day three months before the anniversary until the term ends.
VentanaRenovacion = Literal["meses_calendario", "tres_meses"]
T = TypeVar("T")

AUTORIDAD_NOMBRE = {"imss": "IMSS", "stps": "STPS", "conjunto": "IMSS y STPS"}
DE_AUTORIDAD = {"imss": "del IMSS", "stps": "de la STPS"}


# --------------------------------------------------------------------------------------------
# Statutory rest days (the base set: a policy)
# --------------------------------------------------------------------------------------------
def _handover_year(year: int) -> bool:
    """Years of the transmission of the federal executive (every six years: …, 2018, 2024, 2030)."""
    return year % 6 == 2


class _MondayToFriday(Calendar):
    """Saturday and Sunday are never hábil (LFPA art. 28)."""

    WEEKEND_DAYS = (SAT, SUN)


class LFT74(_MondayToFriday):
    """Días de descanso obligatorio of LFT art. 74 — the default base set.

    I 1 Jan; II first Monday of Feb; III third Monday of Mar; IV 1 May; V 16 Sep; VI third Monday
    of Nov; VII the day of the presidential handover every six years (1 Dec up to 2018; 1 Oct from
    2024, reform DOF 30-09-2024); VIII 25 Dec. (IX, federal and local election days, always falls
    on a Sunday.) No substitutes: a rest day on a weekend is simply lost.

    >>> cal = LFT74()
    >>> [str(d) for d, _ in cal.holidays(2024)]  # doctest: +NORMALIZE_WHITESPACE
    ['2024-01-01', '2024-02-05', '2024-03-18', '2024-05-01', '2024-09-16', '2024-10-01',
     '2024-11-18', '2024-12-25']
    >>> cal.is_working_day(date(2025, 12, 31))  # workalendar's Mexico says it is a holiday
    True
    """

    include_new_years_day = False  # listed below with its legal label
    FIXED_HOLIDAYS = (
        (1, 1, "1 de enero (LFT art. 74, fr. I)"),
        (5, 1, "1 de mayo (LFT art. 74, fr. IV)"),
        (9, 16, "16 de septiembre (LFT art. 74, fr. V)"),
        (12, 25, "25 de diciembre (LFT art. 74, fr. VIII)"),
    )

    def get_variable_days(self, year: int) -> list[tuple[date, str]]:
        days = super().get_variable_days(year)
        days += [
            (self.get_nth_weekday_in_month(year, 2, MON), "primer lunes de febrero, en "
             "conmemoración del 5 de febrero (LFT art. 74, fr. II)"),
            (self.get_nth_weekday_in_month(year, 3, MON, 3), "tercer lunes de marzo, en "
             "conmemoración del 21 de marzo (LFT art. 74, fr. III)"),
            (self.get_nth_weekday_in_month(year, 11, MON, 3), "tercer lunes de noviembre, en "
             "conmemoración del 20 de noviembre (LFT art. 74, fr. VI)"),
        ]
        if _handover_year(year):
            if year <= 2018:
                days.append((date(year, 12, 1), "transmisión del Poder Ejecutivo Federal, "
                             "1 de diciembre (LFT art. 74, fr. VII, texto anterior a 2024)"))
            else:
                days.append((date(year, 10, 1), "transmisión del Poder Ejecutivo Federal, "
                             "1 de octubre (LFT art. 74, fr. VII, reforma DOF 30-09-2024)"))
        return days


class LFPA28(_MondayToFriday):
    """The fixed dates of LFPA art. 28, for a GT that chooses them as the base set.

    >>> [str(d) for d, _ in LFPA28().holidays(2026)][:3]
    ['2026-01-01', '2026-02-05', '2026-03-21']
    """

    include_new_years_day = False
    FIXED_HOLIDAYS = tuple(
        (m, d, f"{d} de {mes} (LFPA art. 28)")
        for m, d, mes in (
            (1, 1, "enero"), (2, 5, "febrero"), (3, 21, "marzo"), (5, 1, "mayo"), (5, 5, "mayo"),
            (9, 1, "septiembre"), (9, 16, "septiembre"), (11, 20, "noviembre"),
            (12, 25, "diciembre"),
        )
    )

    def get_variable_days(self, year: int) -> list[tuple[date, str]]:
        days = super().get_variable_days(year)
        if _handover_year(year):
            days.append((date(year, 12, 1), "1 de diciembre de cada seis años (LFPA art. 28)"))
        return days


BASES: dict[str, type[Calendar]] = {"lft74": LFT74, "lfpa28": LFPA28}


# --------------------------------------------------------------------------------------------
# Closures: data files
# --------------------------------------------------------------------------------------------
class Cierre(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A closure an authority published in the DOF: one day, or a range ``desde``…``hasta``."""

    autoridad: Autoridad
    desde: date
    fuente: str
    hasta: date | None = None
    excepto: tuple[Procedimiento, ...] = ()

    @property
    def ultimo(self) -> date:
        return self.hasta or self.desde

    def dias(self) -> Iterator[date]:
        day = self.desde
        while day <= self.ultimo:
            yield day
            day += timedelta(days=1)

    def aplica_a(self, procedimiento: Procedimiento) -> bool:
        return procedimiento not in self.excepto


class Revisado(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A year checked for an authority and found without closures."""

    autoridad: Autoridad
    anio: int
    fuente: str


class DatosCalendario(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The contents of a calendar file: closures and the years declared as checked."""

    cierre: tuple[Cierre, ...] = ()
    revisado: tuple[Revisado, ...] = ()

    def anios_con_datos(self, autoridad: Autoridad) -> set[int]:
        years = {r.anio for r in self.revisado if r.autoridad == autoridad}
        for c in self.cierre:
            if c.autoridad == autoridad:
                years.update(range(c.desde.year, c.ultimo.year + 1))
        return years


BUNDLED_NAME = "cierres.toml"


def _check_entries(data: DatosCalendario, archivo: str) -> None:
    for i, c in enumerate(data.cierre, 1):
        if c.hasta is not None and c.hasta < c.desde:
            raise CalendarFileError(archivo, f"[[cierre]] n.º {i}",
                                    f"«hasta» ({c.hasta}) es anterior a «desde» ({c.desde})")
        if not c.fuente.strip():
            raise CalendarFileError(archivo, f"[[cierre]] n.º {i}", "«fuente» está vacía")
    for i, r in enumerate(data.revisado, 1):
        if not 1900 <= r.anio <= 2200:
            raise CalendarFileError(archivo, f"[[revisado]] n.º {i}",
                                    f"año fuera de rango: {r.anio}")
        if not r.fuente.strip():
            raise CalendarFileError(archivo, f"[[revisado]] n.º {i}", "«fuente» está vacía")


def _entry_name(path: str) -> str | None:
    """``$.cierre[2].hasta`` → ``[[cierre]] n.º 3, campo «hasta»``."""
    if not path.startswith("$."):
        return None
    head, _, rest = path[2:].partition("]")
    table, _, index = head.partition("[")
    if not index.isdigit():
        return f"«{path[2:]}»"
    name = f"[[{table}]] n.º {int(index) + 1}"
    fieldname = rest.lstrip(".")
    return f"{name}, campo «{fieldname}»" if fieldname else name


def parse_toml(text: str, archivo: str, tipo: type[T]) -> T:
    """Decode a data file in TOML (closures, UMA values) into ``tipo``; any problem raises
    :class:`CalendarFileError` naming the file, the entry and the reason."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CalendarFileError(archivo, None, f"TOML mal formado: {exc}") from None
    try:
        return msgspec.convert(raw, tipo)
    except msgspec.ValidationError as exc:
        reason, path = split_validation_error(str(exc))
        raise CalendarFileError(archivo, _entry_name(path), spanish_validation_reason(reason)) \
            from None


def read_toml(path: str | Path | None, incluido: str) -> tuple[str, str]:
    """The text of the operator's data file, or of the bundled ``data/<incluido>`` when
    ``path`` is None, with the name a refusal gives it."""
    if path is None:
        return resources.files(__package__).joinpath("data", incluido).read_text("utf-8"), \
            incluido
    try:
        return Path(path).read_text("utf-8"), str(path)
    except FileNotFoundError:
        raise CalendarFileError(str(path), None, "el archivo no existe") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CalendarFileError(str(path), None, f"no se puede leer: {exc}") from None


def parse_calendar_data(text: str, archivo: str) -> DatosCalendario:
    """Decode a calendar TOML text; any problem raises :class:`CalendarFileError`."""
    data = parse_toml(text, archivo, DatosCalendario)
    _check_entries(data, archivo)
    return data


def load_calendar_data(path: str | Path | None = None) -> DatosCalendario:
    """The closures in force: the operator's file when given, else the bundled one."""
    return parse_calendar_data(*read_toml(path, BUNDLED_NAME))


# --------------------------------------------------------------------------------------------
# Calendars per authority
# --------------------------------------------------------------------------------------------
class AuthorityCalendar(_MondayToFriday):
    """Hábil days of one or more authorities: base set + their DOF closures for a procedure.

    A day is inhábil here when it is inhábil for *any* of ``autoridades``: with both, this is the
    joint calendar of the acts IMSS and STPS perform together (spec book, «Reglas de cómputo», rule
    5).
    """

    def __init__(
        self,
        autoridades: Sequence[Autoridad],
        base: Calendar,
        cierres: Iterable[Cierre],
        procedimiento: Procedimiento,
    ) -> None:
        super().__init__()
        self.autoridades = tuple(autoridades)
        self.base = base
        self.procedimiento = procedimiento
        self._by_year: dict[int, list[tuple[date, str]]] = {}
        for c in cierres:
            if c.autoridad in self.autoridades and c.aplica_a(procedimiento):
                label = f"cierre {AUTORIDAD_NOMBRE[c.autoridad]} ({c.fuente})"
                for day in c.dias():
                    self._by_year.setdefault(day.year, []).append((day, label))

    @property
    def nombre(self) -> CalendarName:
        return "conjunto" if len(self.autoridades) > 1 else self.autoridades[0]

    def get_calendar_holidays(self, year: int) -> list[tuple[date, str]]:
        return list(self.base.holidays(year)) + self._by_year.get(year, [])

    def es_habil(self, day: date) -> bool:
        return self.is_working_day(day)

    def motivos(self, day: date) -> list[str]:
        """Why ``day`` is inhábil here (empty when it is hábil)."""
        reasons = [label for d, label in self.holidays(day.year) if d == day]
        if day.weekday() >= 5:
            reasons.insert(0, "sábado" if day.weekday() == 5 else "domingo")
        return list(dict.fromkeys(reasons))

    def inhabiles_entre_semana(self, year: int) -> list[tuple[date, list[str]]]:
        """Every Monday–Friday of ``year`` that is not hábil, with its reasons, in order."""
        days = sorted({d for d, _ in self.holidays(year) if d.weekday() < 5})
        return [(d, self.motivos(d)) for d in days]


class Politicas(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Counting policies in force (spec book, «Reglas de cómputo»); every default is the
    domain's."""

    base_inhabiles: BaseInhabiles = "lft74"
    # Rule 2: a natural-day plazo whose last day is inhábil extends to the next hábil day.
    prorroga_plazo_natural: bool = True
    ventana_renovacion: VentanaRenovacion = "meses_calendario"
    # "Several cycles": an IMSS opinion in any round of a later cycle is also the daily update
    # of the same contractor's suspended procedure of an earlier cycle (the same fact, same date).
    opinion_actualiza_suspendidos: bool = True
    # LSS art. 15 A: a 17th not hábil for IMSS moves the report's due date to the next hábil
    # day (CFF art. 12, applied supletoriamente by LSS art. 9).
    prorroga_declaracion: bool = True


@dataclass(frozen=True)
class Calendarios:
    """The calendars in force: closures data + policies. Hashable, cheap to query repeatedly."""

    datos: DatosCalendario = field(default_factory=DatosCalendario)
    politicas: Politicas = field(default_factory=Politicas)

    @cached_property
    def _base(self) -> Calendar:
        return BASES[self.politicas.base_inhabiles]()

    @cached_property
    def _cache(self) -> dict[tuple[CalendarName, Procedimiento], AuthorityCalendar]:
        return {}

    def calendario(
        self, nombre: CalendarName, procedimiento: Procedimiento = "mecanismo"
    ) -> AuthorityCalendar:
        key = (nombre, procedimiento)
        if key not in self._cache:
            who: tuple[Autoridad, ...] = AUTORIDADES if nombre == "conjunto" else (nombre,)
            self._cache[key] = AuthorityCalendar(who, self._base, self.datos.cierre, procedimiento)
        return self._cache[key]

    def conjunto(self, procedimiento: Procedimiento = "mecanismo") -> AuthorityCalendar:
        return self.calendario("conjunto", procedimiento)

    def stps(self, procedimiento: Procedimiento = "cancelacion") -> AuthorityCalendar:
        return self.calendario("stps", procedimiento)

    def imss(self, procedimiento: Procedimiento = "mecanismo") -> AuthorityCalendar:
        return self.calendario("imss", procedimiento)

    def avisos_sin_datos(
        self, anios: Iterable[int], autoridades: Iterable[Autoridad] = AUTORIDADES
    ) -> list[str]:
        """One warning per authority and year with no closures data nor a `revisado` entry."""
        warnings = []
        for autoridad in autoridades:
            known = self.datos.anios_con_datos(autoridad)
            for year in sorted(set(anios)):
                if year not in known:
                    warnings.append(
                        f"Sin datos de cierres {DE_AUTORIDAD[autoridad]} para {year}: "
                        "solo se descuentan fines de semana y días de descanso obligatorio. "
                        "Agregue sus cierres publicados en el DOF o declare el año como revisado."
                    )
        return warnings


def calendarios(path: str | Path | None = None, politicas: Politicas | None = None) -> Calendarios:
    """The calendars from a closures file (the bundled one when ``path`` is None)."""
    return Calendarios(load_calendar_data(path), politicas or Politicas())
