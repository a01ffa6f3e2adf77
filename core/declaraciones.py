"""The four-monthly contract reports (LSS art. 15 A, third paragraph; LINFONAVIT art. 29 Bis):
their periods, due dates and the fine for missing them.

Every contractor with a REPSE registration reports to IMSS the contracts it signed in each
four-month period (``AAAA-C1`` January–April, ``AAAA-C2`` May–August, ``AAAA-C3``
September–December) "a más tardar el día 17" of May, September and January that follow. With the
policy ``prorroga_declaracion`` (default on), a 17th that is not hábil for IMSS moves to the next
hábil day (CFF art. 12, fifth paragraph, applied supletoriamente by LSS art. 9).

>>> from repse.core.calendars import calendarios
>>> vencimiento(Periodo.parse("2025-C3"), calendarios())   # 17 Jan 2026 is a Saturday
datetime.date(2026, 1, 19)
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal

import msgspec

from .calendars import Calendarios, parse_toml, read_toml
from .cycle import ANIO_MAX, ANIO_MIN
from .errors import CalendarFileError, PlanError
from .plazos import next_habil_day

DIA_VENCIMIENTO = 17
UMAS_MIN, UMAS_MAX = 500, 2000  # LSS art. 304 B, fracción V

_PERIODO = re.compile(r"^(\d{4})-[Cc]([123])$")
_MESES = {1: ("enero", "abril"), 2: ("mayo", "agosto"), 3: ("septiembre", "diciembre")}

FUNDAMENTO_VENCIMIENTO = "LSS art. 15 A, tercer párrafo; LINFONAVIT art. 29 Bis"
FUNDAMENTO_PRORROGA = "CFF art. 12, quinto párrafo, de aplicación supletoria (LSS art. 9)"


class Periodo(str):
    """A four-month period, ``AAAA-C1`` (January–April), ``-C2`` (May–August) or ``-C3``
    (September–December). Its own text, like :class:`~repse.core.cycle.Ciclo`: it encodes as
    ``"2026-C2"`` and sorts in time order."""

    __slots__ = ()

    def __new__(cls, anio: int, cuatrimestre: Literal[1, 2, 3]) -> Periodo:
        if cuatrimestre not in (1, 2, 3) or not ANIO_MIN <= anio <= ANIO_MAX:
            raise PlanError(f"periodo no válido «{anio}-C{cuatrimestre}»: el año va de "
                            f"{ANIO_MIN} a {ANIO_MAX} y el cuatrimestre es C1, C2 o C3")
        return super().__new__(cls, f"{anio}-C{cuatrimestre}")

    def __getnewargs__(self) -> tuple[int, int]:  # type: ignore[override]  # copy and pickle
        return self.anio, self.cuatrimestre

    @classmethod
    def parse(cls, text: str) -> Periodo:
        """
        >>> Periodo.parse("2026-c2")
        Periodo(anio=2026, cuatrimestre=2)
        >>> Periodo.parse("2026-4")
        Traceback (most recent call last):
        ...
        repse.core.errors.PlanError: periodo no válido «2026-4»: se espera AAAA-C1 (enero a \
abril), AAAA-C2 (mayo a agosto) o AAAA-C3 (septiembre a diciembre)
        """
        if isinstance(text, Periodo):
            return text
        match = _PERIODO.match(text.strip())
        if not match:
            raise PlanError(f"periodo no válido «{text}»: se espera AAAA-C1 (enero a abril), "
                            "AAAA-C2 (mayo a agosto) o AAAA-C3 (septiembre a diciembre)")
        return cls(int(match[1]), int(match[2]))  # type: ignore[arg-type]

    @classmethod
    def de_fecha(cls, dia: date) -> Periodo:
        """The period ``dia`` falls in."""
        return cls(dia.year, (dia.month - 1) // 4 + 1)  # type: ignore[arg-type]

    @property
    def anio(self) -> int:
        return int(self[:4])

    @property
    def cuatrimestre(self) -> Literal[1, 2, 3]:
        return int(self[6])  # type: ignore[return-value]

    def __repr__(self) -> str:
        return f"Periodo(anio={self.anio}, cuatrimestre={self.cuatrimestre})"

    @property
    def inicio(self) -> date:
        return date(self.anio, 4 * self.cuatrimestre - 3, 1)

    @property
    def fin(self) -> date:
        """The first day after the period."""
        return date(self.anio + self.cuatrimestre // 3, 4 * self.cuatrimestre % 12 + 1, 1)

    @property
    def meses(self) -> str:
        desde, hasta = _MESES[self.cuatrimestre]
        return f"{desde} a {hasta} de {self.anio}"

    def siguiente(self) -> Periodo:
        if self.cuatrimestre == 3:
            return Periodo(self.anio + 1, 1)
        return Periodo(self.anio, self.cuatrimestre + 1)  # type: ignore[arg-type]

    @property
    def dia_17(self) -> date:
        """The nominal due date: the 17th of the month after the period."""
        return self.fin.replace(day=DIA_VENCIMIENTO)


def vencimiento(periodo: Periodo, cals: Calendarios) -> date:
    """The last day to file ``periodo``: the 17th, or with ``prorroga_declaracion`` the next
    day hábil for IMSS when the 17th is not."""
    dia = periodo.dia_17
    imss = cals.imss()
    if cals.politicas.prorroga_declaracion and not imss.is_working_day(dia):
        return next_habil_day(dia, imss)
    return dia


class VencimientoDeclaracion(msgspec.Struct, frozen=True):
    """One due date; ``repse plan --declaraciones ANIO --json`` prints a list of these."""

    periodo: str
    desde: date
    hasta: date
    vence: date
    prorrogado: bool
    fundamento: str


def vencimientos(anio: int, cals: Calendarios) -> list[VencimientoDeclaracion]:
    """The three due dates that fall in ``anio``: the previous year's C3 (January), C1 (May),
    C2 (September)."""
    periodos = [Periodo(anio - 1, 3), Periodo(anio, 1), Periodo(anio, 2)]
    filas = []
    for p in periodos:
        vence = vencimiento(p, cals)
        fundamento = FUNDAMENTO_VENCIMIENTO
        if vence != p.dia_17:
            fundamento += f"; el día 17 es inhábil para el IMSS: {FUNDAMENTO_PRORROGA}"
        filas.append(VencimientoDeclaracion(str(p), p.inicio, date.fromordinal(
            p.fin.toordinal() - 1), vence, vence != p.dia_17, fundamento))
    return filas


# --------------------------------------------------------------------------------------------
# The UMA: the fine is 500 to 2,000 times its daily value on the day of the breach
# --------------------------------------------------------------------------------------------
class ValorUma(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The daily UMA in force from ``desde`` (1 February, published by INEGI in the DOF)."""

    desde: date
    diario: str  # pesos, as published ("117.31"): a decimal, never a float
    fuente: str


class TablaUma(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    uma: tuple[ValorUma, ...] = ()

    def valor(self, dia: date) -> Decimal | None:
        """The daily UMA in force on ``dia``; None before the first value of the table."""
        vigente = None
        for v in sorted(self.uma, key=lambda v: v.desde):
            if v.desde <= dia:
                vigente = v
        return Decimal(vigente.diario) if vigente else None


UMA_INCLUIDA = "uma.toml"


def cargar_uma(path: str | Path | None = None) -> TablaUma:
    """The UMA table: the bundled ``data/uma.toml``, or the operator's file in its format
    (``[[uma]]`` tables with ``desde``, ``diario`` and ``fuente``), like the closures file."""
    text, archivo = read_toml(path, UMA_INCLUIDA)
    tabla = parse_toml(text, archivo, TablaUma)
    for n, v in enumerate(tabla.uma, 1):
        try:
            positivo = Decimal(v.diario) > 0
        except ArithmeticError:
            positivo = False
        if not positivo:
            raise CalendarFileError(archivo, f"[[uma]] n.º {n}, campo «diario»",
                                    f"«{v.diario}» no es un importe positivo en pesos")
    return tabla


def rango_multa(uma: Decimal) -> tuple[Decimal, Decimal]:
    """The fine range in pesos at ``uma`` pesos a day (LSS art. 304 B, fracción V).

    >>> rango_multa(Decimal("117.31"))
    (Decimal('58655.00'), Decimal('234620.00'))
    """
    return uma * UMAS_MIN, uma * UMAS_MAX


def pesos(importe: Decimal) -> str:
    """
    >>> pesos(Decimal("234620.00"))
    '234,620.00'
    """
    return f"{importe:,.2f}"
