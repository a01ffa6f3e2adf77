"""Which days are hábil: statutory days against an independent oracle, the days workalendar's
Mexico class gets wrong, DOF closures per authority and procedure, and calendar files."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest
from workalendar.america import Mexico

from repse.core.calendars import (
    LFT74,
    Calendarios,
    DatosCalendario,
    Politicas,
    calendarios,
    load_calendar_data,
    parse_calendar_data,
)
from repse.core.errors import CalendarFileError

YEARS = range(2021, 2041)


@pytest.mark.parametrize("year", YEARS)
def test_statutory_days_match_the_holidays_package(year):
    ours = {d for d, _ in LFT74().holidays(year)}
    assert ours == set(holidays.Mexico(years=year))


def test_presidential_handover_day_moved_from_december_to_october():
    cal = LFT74()
    assert date(2018, 12, 1) in {d for d, _ in cal.holidays(2018)}
    assert not cal.is_working_day(date(2024, 10, 1))
    assert cal.is_working_day(date(2024, 12, 2))
    assert not cal.is_working_day(date(2030, 10, 1))
    assert cal.is_working_day(date(2027, 10, 1))  # not a handover year


@pytest.mark.parametrize("year", [y for y in YEARS if date(y, 12, 31).weekday() < 5])
def test_31_december_is_habil_although_workalendar_mexico_says_otherwise(year):
    assert LFT74().is_working_day(date(year, 12, 31))
    assert not Mexico().is_working_day(date(year, 12, 31))


def _weekend_rest_days():
    for year in YEARS:
        for day, _ in LFT74().holidays(year):
            if day.weekday() >= 5:
                yield day


@pytest.mark.parametrize("day", list(_weekend_rest_days()), ids=str)
def test_a_rest_day_on_a_weekend_is_not_moved_to_friday_or_monday(day):
    cal = LFT74()
    neighbour = day - timedelta(days=1) if day.weekday() == 5 else day + timedelta(days=1)
    assert cal.is_working_day(neighbour), f"{neighbour} must stay hábil"


def test_stps_closures_apply_to_stps_and_the_joint_calendar_but_not_to_imss():
    cals = calendarios()
    closed = date(2024, 7, 22)
    assert not cals.stps("cancelacion").es_habil(closed)
    assert not cals.conjunto().es_habil(closed)
    assert cals.imss().es_habil(closed)
    assert "cierre STPS (DOF 05-07-2024)" in cals.stps().motivos(closed)


def test_a_closure_does_not_apply_to_the_procedures_it_excepts():
    cals = calendarios()
    assert cals.stps("renovacion").es_habil(date(2024, 7, 22))
    assert not cals.stps("renovacion").es_habil(date(2025, 4, 17))  # DOF 26-12-2024: no excepto


def test_bundled_stps_2025_closures_are_all_there():
    stps = calendarios().stps()
    days = [d for d, _ in stps.inhabiles_entre_semana(2025)]
    assert days == [
        date(2025, 1, 1), date(2025, 2, 3), date(2025, 3, 17), date(2025, 4, 17),
        date(2025, 4, 18), date(2025, 5, 1), date(2025, 5, 5), date(2025, 9, 16),
        date(2025, 11, 17), date(2025, 12, 25),
    ]


def test_a_year_without_data_warns_and_a_revisado_year_does_not(tmp_path):
    cals = calendarios()
    assert cals.avisos_sin_datos([2025], ["stps"]) == []
    [aviso] = cals.avisos_sin_datos([2026], ["stps"])
    assert "Sin datos de cierres de la STPS para 2026" in aviso
    f = tmp_path / "c.toml"
    f.write_text('[[revisado]]\nautoridad = "imss"\nanio = 2026\nfuente = "revisado"\n')
    assert calendarios(f).avisos_sin_datos([2026], ["imss"]) == []


def test_an_empty_file_means_no_closures(tmp_path):
    f = tmp_path / "vacio.toml"
    f.write_text("")
    cals = calendarios(f)
    assert cals.stps().es_habil(date(2024, 7, 22))
    assert len(cals.avisos_sin_datos([2024])) == 2


def test_lfpa28_base_is_a_policy():
    cals = Calendarios(DatosCalendario(), Politicas(base_inhabiles="lfpa28"))
    assert not cals.conjunto().es_habil(date(2026, 2, 5))  # Thursday 5 Feb
    assert cals.conjunto().es_habil(date(2026, 2, 2))  # the LFT Monday is hábil here
    assert Calendarios().conjunto().es_habil(date(2026, 2, 5))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[cierre]\n", "x.toml: TOML mal formado"),
        ('[[cierre]]\nautoridad = "sat"\ndesde = "2025-01-02"\nfuente = "DOF"\n',
         "x.toml: [[cierre]] n.º 1, campo «autoridad»: valor no permitido 'sat'"),
        ('[[cierre]]\nautoridad = "stps"\ndesde = "2025-13-02"\nfuente = "DOF"\n',
         "x.toml: [[cierre]] n.º 1, campo «desde»: fecha no válida (se espera AAAA-MM-DD)"),
        ('[[cierre]]\nautoridad = "stps"\ndesde = "2025-01-02"\nfuente = "DOF"\n'
         '[[cierre]]\nautoridad = "stps"\ndesde = "2025-01-09"\n',
         "x.toml: [[cierre]] n.º 2: falta el campo obligatorio «fuente»"),
        ('[[cierre]]\nautoridad = "stps"\ndesde = "2025-01-09"\nhasta = "2025-01-02"\n'
         'fuente = "DOF"\n',
         "x.toml: [[cierre]] n.º 1: «hasta» (2025-01-02) es anterior a «desde» (2025-01-09)"),
        ('[[cierre]]\nautoridad = "stps"\ndesde = "2025-01-02"\nfuente = "DOF"\ndias = 3\n',
         "x.toml: [[cierre]] n.º 1: campo desconocido «dias»"),
        ('[[cierre]]\nautoridad = "stps"\ndesde = "2025-01-02"\nfuente = "DOF"\n'
         'excepto = ["vacaciones"]\n',
         "x.toml: [[cierre]] n.º 1, campo «excepto[0]»: valor no permitido 'vacaciones'"),
        ('[[revisado]]\nautoridad = "imss"\nanio = "2026"\nfuente = "x"\n',
         "x.toml: [[revisado]] n.º 1, campo «anio»: se esperaba número entero, se recibió texto"),
    ],
)
def test_a_malformed_calendar_file_is_refused_with_file_entry_and_reason(text, expected):
    with pytest.raises(CalendarFileError) as err:
        parse_calendar_data(text, "x.toml")
    assert str(err.value).startswith(expected)


def test_a_missing_calendar_file_names_the_file(tmp_path):
    with pytest.raises(CalendarFileError, match=r"no-existe\.toml: el archivo no existe"):
        load_calendar_data(tmp_path / "no-existe.toml")
