"""The four-monthly contract reports (LSS art. 15 A): periods, due dates computed by hand, the
fine range, and the inputs that carry them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from repse.core import inputs
from repse.core.calendars import Politicas, calendarios
from repse.core.declaraciones import (
    Periodo,
    cargar_uma,
    pesos,
    rango_multa,
    vencimiento,
    vencimientos,
)
from repse.core.errors import CalendarFileError, PlanError

CALS = calendarios()


@pytest.mark.parametrize(("periodo", "vence"), [
    ("2025-C3", date(2026, 1, 19)),  # 17 Jan 2026 is a Saturday: Monday 19
    ("2026-C1", date(2026, 5, 18)),  # 17 May 2026 is a Sunday: Monday 18
    ("2026-C2", date(2026, 9, 17)),  # Thursday 17 Sep 2026 is hábil
])
def test_due_dates_computed_by_hand(periodo, vence):
    assert vencimiento(Periodo.parse(periodo), CALS) == vence


def test_without_the_extension_the_17th_is_the_due_date_even_when_not_habil():
    sin = calendarios(politicas=Politicas(prorroga_declaracion=False))
    assert vencimiento(Periodo.parse("2025-C3"), sin) == date(2026, 1, 17)


def test_the_three_due_dates_of_a_year():
    filas = vencimientos(2026, CALS)
    assert [(v.periodo, v.vence) for v in filas] == [
        ("2025-C3", date(2026, 1, 19)), ("2026-C1", date(2026, 5, 18)),
        ("2026-C2", date(2026, 9, 17))]
    assert (filas[1].desde, filas[1].hasta) == (date(2026, 1, 1), date(2026, 4, 30))
    assert "CFF art. 12" in filas[0].fundamento and "CFF" not in filas[2].fundamento


def test_periods_parse_and_follow_each_other():
    assert Periodo.parse("2026-c3").siguiente() == "2027-C1"
    assert Periodo.de_fecha(date(2026, 8, 31)) == "2026-C2"
    assert Periodo.de_fecha(date(2026, 9, 1)) == "2026-C3"
    with pytest.raises(PlanError, match="periodo no válido «2026-4»"):
        Periodo.parse("2026-4")


def test_the_fine_range_of_a_2026_breach():
    uma = cargar_uma().valor(date(2026, 5, 19))  # the day after 2026-C1's due date
    assert uma == Decimal("117.31")
    minimo, maximo = rango_multa(uma)
    assert (pesos(minimo), pesos(maximo)) == ("58,655.00", "234,620.00")
    # A breach of 19 Jan 2026 (2025-C3) is before 1 Feb: the 2025 UMA.
    assert cargar_uma().valor(date(2026, 1, 20)) == Decimal("113.14")


def test_an_operator_extends_the_uma_table(tmp_path):
    propio = tmp_path / "uma.toml"
    propio.write_text('[[uma]]\ndesde = "2027-02-01"\ndiario = "121.00"\nfuente = "DOF"\n',
                      encoding="utf-8")
    assert cargar_uma(propio).valor(date(2027, 3, 1)) == Decimal("121.00")
    propio.write_text('[[uma]]\ndesde = "2027-02-01"\ndiario = "-1"\nfuente = "DOF"\n',
                      encoding="utf-8")
    with pytest.raises(CalendarFileError, match=r"\[\[uma\]\] n.º 1, campo «diario»"):
        cargar_uma(propio)


def _linea(**campos) -> bytes:
    import json
    base = {"at": "2026-09-18T10:00", "actor": "imss", "periodo": "2026-C2"}
    return json.dumps({**base, **campos}).encode()


def test_a_fine_outside_500_to_2000_uma_is_refused():
    with pytest.raises(inputs.InputError, match="de 500 a 2,000 veces"):
        inputs.decode(_linea(tipo="multa", rfc="AAA010101AAA", umas=400))
    assert inputs.decode(_linea(tipo="multa", rfc="AAA010101AAA", umas=2000)).umas == 2000


def test_the_report_inputs_round_trip_in_the_public_format():
    linea = _linea(tipo="declaraciones", declaraciones=[
        {"rfc": "AAA010101AAA", "fecha": "2026-09-17"},
        {"rfc": "BBB010101BBB", "fecha": "2026-09-10", "sin_contratos": True}])
    entrada = inputs.decode(linea)
    assert entrada.periodo == "2026-C2" and entrada.declaraciones[1].sin_contratos
    assert inputs.decode(inputs.encode(entrada)) == entrada
    with pytest.raises(inputs.InputError, match="periodo no válido"):
        inputs.decode(_linea(tipo="informe_stps", periodo="2026-C4", rfcs=[]))
    informe = inputs.decode(_linea(tipo="informe_stps", rfcs=["AAA010101AAA"], actor="stps"))
    assert "actor no autorizado" in inputs.check_actor(informe)


def test_docstring_examples():
    import doctest

    from repse.core import declaraciones
    assert doctest.testmod(declaraciones, optionflags=doctest.ELLIPSIS).failed == 0


def test_plan_prints_the_due_dates_of_a_year(capsys):
    import json

    from repse.tui.cli import main
    assert main(["plan", "--declaraciones", "2026", "--json"]) == 0
    filas = json.loads(capsys.readouterr().out)
    assert [(f["periodo"], f["vence"]) for f in filas] == [
        ("2025-C3", "2026-01-19"), ("2026-C1", "2026-05-18"), ("2026-C2", "2026-09-17")]
    assert main(["plan", "--declaraciones", "2026"]) == 0
    out = capsys.readouterr().out
    assert "2026-C2  contratos del vie 01-05-2026 al lun 31-08-2026  vence jue 17-09-2026" in out
    assert main(["plan", "--declaraciones", "2102"]) == 2
    assert "periodo no válido" in capsys.readouterr().err
