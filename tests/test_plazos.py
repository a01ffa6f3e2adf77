"""The plazo rules: worked examples of the spec book, and properties that must hold for any date."""

from __future__ import annotations

import doctest
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from repse.core import calendars, cycle, errors, plazos
from repse.core.calendars import Calendarios, calendarios
from repse.core.cycle import Ciclo, plan_ciclo
from repse.core.plazos import (
    habil_plazo_end,
    last_monday,
    natural_plazo_end,
    next_habil_day,
)

BUNDLED = calendarios()
CALENDARS = [BUNDLED.conjunto(), BUNDLED.stps("cancelacion"), BUNDLED.imss(), Calendarios().stps()]
days_ = st.dates(min_value=date(2021, 1, 1), max_value=date(2040, 12, 1))
calendar_ = st.sampled_from(CALENDARS)


@pytest.mark.parametrize("module", [calendars, cycle, errors, plazos])
def test_docstring_examples(module):
    # BASE is the calendar the module docstring of plazos defines for its examples.
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE,
                             extraglobs={"BASE": calendars.LFT74()})
    assert result.attempted > 0 and result.failed == 0


@given(days_, st.integers(1, 60), calendar_)
def test_natural_plazo_ends_on_a_habil_day_never_before_its_length(notified, n, cal):
    end = natural_plazo_end(notified, n, cal)
    assert end >= notified + timedelta(days=n)
    assert cal.is_working_day(end)
    # The extension goes to the *first* hábil day: nothing hábil between the bare end and it.
    bare = notified + timedelta(days=n)
    assert all(not cal.is_working_day(bare + timedelta(days=k)) for k in range((end - bare).days))


@given(days_, st.integers(1, 60), calendar_)
def test_natural_plazo_without_prorroga_counts_every_day(notified, n, cal):
    assert natural_plazo_end(notified, n, cal, prorroga=False) == notified + timedelta(days=n)


@given(days_, days_, st.integers(1, 40), calendar_)
def test_plazo_ends_are_monotone_in_the_notification_date(a, b, n, cal):
    a, b = sorted((a, b))
    assert natural_plazo_end(a, n, cal) <= natural_plazo_end(b, n, cal)
    assert habil_plazo_end(a, n, cal) <= habil_plazo_end(b, n, cal)
    assert next_habil_day(a, cal) <= next_habil_day(b, cal)


@given(days_, st.integers(1, 39), calendar_)
def test_plazo_ends_are_monotone_in_the_number_of_days(notified, n, cal):
    assert natural_plazo_end(notified, n, cal) <= natural_plazo_end(notified, n + 1, cal)
    assert habil_plazo_end(notified, n, cal) < habil_plazo_end(notified, n + 1, cal)


@given(days_, st.integers(1, 30), calendar_)
def test_habil_plazo_counts_exactly_n_habil_days_after_the_notification(notified, n, cal):
    end = habil_plazo_end(notified, n, cal)
    assert end > notified and cal.is_working_day(end)
    span = [notified + timedelta(days=k) for k in range(1, (end - notified).days + 1)]
    assert sum(cal.is_working_day(d) for d in span) == n


@given(days_, calendar_)
def test_next_habil_day_is_the_first_habil_day_strictly_after(day, cal):
    nxt = next_habil_day(day, cal)
    assert nxt > day and cal.is_working_day(nxt)
    assert all(not cal.is_working_day(day + timedelta(days=k)) for k in range(1, (nxt - day).days))


@given(st.integers(2000, 2100), st.sampled_from([1, 7]))
def test_last_monday_is_the_last_monday_of_the_month(year, month):
    d = last_monday(year, month)
    assert d.weekday() == 0 and d.month == month and (d + timedelta(days=7)).month != month


def test_worked_example_2026_1():
    p = plan_ciclo(Ciclo(2026, 1), Calendarios(), exhorto=date(2026, 1, 28),
                   inicio_cancelacion=date(2026, 3, 2))
    assert p.fecha_consulta == date(2026, 1, 26)
    assert p.limite_exhorto.date() == date(2026, 1, 29)
    assert p.fin_plazo_regularizacion == date(2026, 2, 27)
    assert p.segunda_consulta == date(2026, 3, 2)
    assert p.fin_plazo_audiencia == date(2026, 3, 9)
    assert p.tercera_consulta == date(2026, 3, 10)


def test_worked_example_2026_2():
    p = plan_ciclo(Ciclo(2026, 2), Calendarios(), exhorto=date(2026, 7, 30),
                   inicio_cancelacion=date(2026, 9, 10))
    assert p.fecha_consulta == date(2026, 7, 27)
    assert p.limite_exhorto.date() == date(2026, 7, 30)
    assert p.fin_plazo_regularizacion == date(2026, 8, 31)  # Sat 29 Aug extended
    assert p.segunda_consulta == date(2026, 9, 1)
    assert p.fin_plazo_audiencia == date(2026, 9, 18)  # 16 Sep skipped
    assert p.tercera_consulta == date(2026, 9, 21)


@pytest.mark.parametrize("ciclo", [Ciclo(y, s) for y in range(2024, 2031) for s in (1, 2)], ids=str)
def test_an_exhorto_on_its_last_day_puts_d2_on_a_tuesday(ciclo):
    """The 30 days end on a Saturday in every cycle 2024–2030, so the prórroga moves
    D2 from Monday to Tuesday (base calendar, no closures)."""
    p = plan_ciclo(ciclo, Calendarios())
    assert (p.fecha_consulta + timedelta(days=3)) == p.exhorto
    assert (p.exhorto + timedelta(days=30)).weekday() == 5
    assert p.fin_plazo_regularizacion.weekday() == 0
    assert p.segunda_consulta.weekday() == 1
