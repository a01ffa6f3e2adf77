"""Plazo rules: small pure functions, each citing the law it implements.

Every function takes the calendar to count on (an object with workalendar's ``is_working_day``
and ``add_working_days``); which calendar applies to which step is the caller's choice
(spec book, «Reglas de cómputo», rule 5). Examples use the base calendar with no agency closures.

>>> from repse.core.calendars import LFT74
>>> BASE = LFT74()
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

MX = ZoneInfo("America/Mexico_City")

# An obligation due on a day with no hour is due at the end of that day (spec book, «Reglas de
# cómputo»).
END_OF_DAY = time(23, 59, 59)


class HabilCalendar(Protocol):
    def is_working_day(self, day: date) -> bool: ...

    def add_working_days(self, day: date, delta: int) -> date: ...


def last_monday(year: int, month: int) -> date:
    """The last Monday of ``month``: the fecha de consulta D0 is the last Monday of January or
    July (Mecanismo, numerales 1 y 2).

    >>> last_monday(2026, 1), last_monday(2026, 7)
    (datetime.date(2026, 1, 26), datetime.date(2026, 7, 27))
    """
    first_next = date(year + month // 12, month % 12 + 1, 1)
    last = first_next - timedelta(days=1)
    return last - timedelta(days=last.weekday())


def next_habil_day(day: date, calendar: HabilCalendar) -> date:
    """The first hábil day strictly after ``day`` — "al día hábil siguiente de transcurrido el
    plazo" (Mecanismo, numerales 3 y 5; spec book counting rule 4).

    >>> next_habil_day(date(2026, 2, 27), BASE)   # Friday → Monday
    datetime.date(2026, 3, 2)
    >>> next_habil_day(date(2026, 9, 15), BASE)   # 16 Sep is a rest day (LFT art. 74, fr. V)
    datetime.date(2026, 9, 17)
    """
    return calendar.add_working_days(day, 1)


def habil_plazo_end(notified: date, days: int, calendar: HabilCalendar) -> date:
    """Last day of a plazo of ``days`` hábil days notified on ``notified``.

    The notification takes effect the day it is made and the plazo runs from the next day
    (LFPA art. 38); inhábil days are not counted (LFPA art. 28). Also "within the N hábil days
    following" a fact (the exhorto window, Mecanismo numeral 2).

    >>> habil_plazo_end(date(2026, 3, 2), 5, BASE)     # 03-03 … 03-09
    datetime.date(2026, 3, 9)
    >>> habil_plazo_end(date(2026, 9, 10), 5, BASE)    # skips 16 Sep
    datetime.date(2026, 9, 18)
    """
    if days < 1:
        raise ValueError("a plazo has at least one day")
    return calendar.add_working_days(notified, days)


def natural_plazo_end(
    notified: date, days: int, calendar: HabilCalendar, *, prorroga: bool = True
) -> date:
    """Last day of a plazo of ``days`` natural days notified on ``notified``.

    It runs from the day after the notification (LFPA art. 38) and counts every day (the
    mechanism sets "30 días naturales", numeral 2). When its last day is not hábil it is
    extended to the next hábil day (LFPA art. 29; spec book counting rule 2, a policy:
    ``prorroga=False`` keeps the bare last day).

    >>> natural_plazo_end(date(2026, 1, 28), 30, BASE)
    datetime.date(2026, 2, 27)
    >>> natural_plazo_end(date(2026, 7, 30), 30, BASE)   # Sat 29 Aug → Mon 31 Aug
    datetime.date(2026, 8, 31)
    >>> natural_plazo_end(date(2026, 7, 30), 30, BASE, prorroga=False)
    datetime.date(2026, 8, 29)
    """
    if days < 1:
        raise ValueError("a plazo has at least one day")
    last = notified + timedelta(days=days)
    if prorroga and not calendar.is_working_day(last):
        last = next_habil_day(last, calendar)
    return last


def cutoff(day: date, hour: time | None = None) -> datetime:
    """The aware cut-off instant of an obligation due on ``day`` at ``hour`` (Mexico City time);
    without an hour, the end of that day.

    >>> cutoff(date(2026, 1, 26), time(10)).isoformat()
    '2026-01-26T10:00:00-06:00'
    >>> cutoff(date(2026, 1, 29)).isoformat()
    '2026-01-29T23:59:59-06:00'
    """
    return datetime.combine(day, hour or END_OF_DAY, tzinfo=MX)
