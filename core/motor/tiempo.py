"""Time as the engine counts it: instants are int64 seconds since the epoch, days are int32
proleptic ordinals (``date.toordinal()``), 0 means "none". A plazo whose last day is L ends at
midnight after L (Mexico City time)."""

from __future__ import annotations

from datetime import date, datetime, time

import numpy as np

from ..calendars import VentanaRenovacion
from ..cycle import fecha_corta
from ..plazos import MX

TERM_YEARS = 3  # Acuerdo REPSE, DÉCIMO TERCERO
WINDOW_MONTHS = 3  # Acuerdo REPSE, DÉCIMO SEXTO (reform DOF 21-02-2024)
DIAS_RESOLVER = 20  # hábil days STPS has to resolve a renewal (LFT art. 15, third paragraph)
DIAS_REQUERIMIENTO = 3  # hábil days after the contractor's requerimiento (same paragraph)
_EPOCH = date(1970, 1, 1).toordinal()


def epoch(at: datetime) -> int:
    return int(at.timestamp())


def instant(seconds: int) -> datetime:
    return datetime.fromtimestamp(int(seconds), MX)


def midnight_after(day_ordinal: int) -> int:
    """The instant a plazo whose last day is ``day_ordinal`` has ended."""
    day = date.fromordinal(int(day_ordinal) + 1)
    return epoch(datetime.combine(day, time(0), tzinfo=MX))


def dia(at: datetime) -> int:
    """The Mexico City day of ``at``, as an ordinal."""
    return at.astimezone(MX).date().toordinal()


def fecha(ordinal: int) -> str:
    """``lun 02-03-2026`` for a message an operator reads (a day given as an ordinal)."""
    return fecha_corta(date.fromordinal(int(ordinal)))


def _dias64(days: np.ndarray) -> np.ndarray:
    return (np.asarray(days) - _EPOCH).astype("datetime64[D]")


def _ordinales(days64: np.ndarray) -> np.ndarray:
    return days64.astype("datetime64[D]").astype(np.int64).astype(np.int32) + _EPOCH


def add_months(days: np.ndarray, months: int, *, desborda: bool = True) -> np.ndarray:
    """Same day ``months`` later (ordinals, vectorized). A day the month lacks rolls over
    (29 Feb + 3 years → 1 Mar), or with ``desborda=False`` stays on the month's last day
    (31 May − 3 months → 28 Feb)."""
    as_dates = _dias64(days)
    month_start = as_dates.astype("datetime64[M]")
    offset = as_dates - month_start.astype("datetime64[D]")
    shifted = (month_start + months).astype("datetime64[D]") + offset
    if not desborda:
        shifted = np.minimum(shifted, (month_start + months + 1).astype("datetime64[D]") - 1)
    return _ordinales(shifted)


def aniversario(start: date) -> int:
    """The first day a registration granted on ``start`` is no longer covered."""
    return int(add_months(np.array([start.toordinal()], dtype=np.int32), 12 * TERM_YEARS)[0])


def ventana_renovacion(inicio: np.ndarray, vence: np.ndarray, politica: VentanaRenovacion
                       ) -> tuple[np.ndarray, np.ndarray]:
    """(first day, last day) of the renewal window of terms that started on ``inicio`` and end
    at 00:00 of ``vence`` (ordinals, vectorized), by the policy ``ventana_renovacion``.

    ``meses_calendario``: the three calendar months before the month in which the term ends, as
    the Acuerdo's calendar lists them by the month the term started (a term started on 29 Feb
    ends on 1 Mar and renews from November to January, like every February registration).
    ``tres_meses``: from the same day three months before the anniversary (on the month's last
    day when that month is shorter) until the term ends.

    >>> inicio = np.array([date(2021, 9, 10).toordinal(), date(2024, 2, 29).toordinal()])
    >>> abre, cierra = ventana_renovacion(inicio, add_months(inicio, 36), "meses_calendario")
    >>> [str(date.fromordinal(int(d))) for d in (*abre, *cierra)]
    ['2024-06-01', '2026-11-01', '2024-08-31', '2027-01-31']
    """
    if politica == "tres_meses":
        return add_months(vence, -WINDOW_MONTHS, desborda=False), np.asarray(vence) - 1
    mes = _dias64(inicio).astype("datetime64[M]") + 12 * TERM_YEARS
    return _ordinales(mes - WINDOW_MONTHS), _ordinales(mes) - 1
