"""Time as the engine counts it: instants are int64 seconds since the epoch, days are int32
proleptic ordinals (``date.toordinal()``), 0 means "none". A plazo whose last day is L ends at
midnight after L (Mexico City time)."""

from __future__ import annotations

from datetime import date, datetime, time

import numpy as np

from ..cycle import fecha_corta
from ..plazos import MX

TERM_YEARS = 3  # Acuerdo REPSE, DÉCIMO TERCERO
WINDOW_MONTHS = 3  # Acuerdo REPSE, DÉCIMO SEXTO (reform DOF 21-02-2024)


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


def add_months(days: np.ndarray, months: int) -> np.ndarray:
    """Same day ``months`` later (ordinals, vectorized); a day the month lacks rolls over
    (29 Feb + 3 years → 1 Mar)."""
    as_dates = (days - date(1970, 1, 1).toordinal()).astype("datetime64[D]")
    month_start = as_dates.astype("datetime64[M]")
    offset = as_dates - month_start.astype("datetime64[D]")
    shifted = (month_start + months).astype("datetime64[D]") + offset
    return shifted.astype(np.int64).astype(np.int32) + date(1970, 1, 1).toordinal()


def aniversario(start: date) -> int:
    """The first day a registration granted on ``start`` is no longer covered."""
    return int(add_months(np.array([start.toordinal()], dtype=np.int32), 12 * TERM_YEARS)[0])
