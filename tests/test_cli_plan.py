"""`repse plan` and `repse calendario` as an operator runs them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from repse.tui.cli import main


@pytest.fixture
def empty_calendar(tmp_path):
    f = tmp_path / "vacio.toml"
    f.write_text("")
    return str(f)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_worked_example_2026_1_from_the_command_line(capsys, empty_calendar):
    code, out, _ = run(capsys, "plan", "--ciclo", "2026-1", "--exhorto", "2026-01-28",
                       "--calendario", empty_calendar, "--json")
    assert code == 0
    plan = json.loads(out)
    assert plan == {
        "ciclo": "2026-1",
        "fecha_consulta": "2026-01-26",
        "limite_padron": "2026-01-26T10:00:00-06:00",
        "limite_listado_inicial": "2026-01-26T18:00:00-06:00",
        "limite_exhorto": "2026-01-29T23:59:59-06:00",
        "exhorto": "2026-01-28",
        "fin_plazo_regularizacion": "2026-02-27",
        "segunda_consulta": "2026-03-02",
        "limite_listado_segunda": "2026-03-02T12:00:00-06:00",
        "inicio_cancelacion": "2026-03-02",
        "fin_plazo_audiencia": "2026-03-09",
        "tercera_consulta": "2026-03-10",
        "limite_listado_tercera": "2026-03-10T12:00:00-06:00",
        "avisos": plan["avisos"],
    }
    assert len(plan["avisos"]) == 2  # no closures data for IMSS nor STPS in 2026


def test_worked_example_2026_2_from_the_command_line(capsys, empty_calendar):
    code, out, _ = run(capsys, "plan", "--ciclo", "2026-2", "--inicio-cancelacion", "2026-09-10",
                       "--calendario", empty_calendar, "--json")
    plan = json.loads(out)
    assert code == 0
    assert (plan["exhorto"], plan["fin_plazo_regularizacion"], plan["segunda_consulta"]) == (
        "2026-07-30", "2026-08-31", "2026-09-01")
    assert (plan["fin_plazo_audiencia"], plan["tercera_consulta"]) == ("2026-09-18", "2026-09-21")
    assert plan["limite_listado_tercera"] == "2026-09-21T12:00:00-06:00"


def test_without_ciclo_the_plan_is_for_the_next_cycle(capsys):
    assert json.loads(run(capsys, "plan", "--hoy", "2026-11-21", "--json")[1])["ciclo"] == "2027-1"
    assert json.loads(run(capsys, "plan", "--hoy", "2026-07-27", "--json")[1])["ciclo"] == "2026-2"
    assert json.loads(run(capsys, "plan", "--hoy", "2026-07-28", "--json")[1])["ciclo"] == "2027-1"


def test_a_late_exhorto_is_computed_with_a_warning(capsys, empty_calendar):
    _, out, _ = run(capsys, "plan", "--ciclo", "2026-1", "--exhorto", "2026-02-04",
                    "--calendario", empty_calendar, "--json")
    plan = json.loads(out)
    assert plan["fin_plazo_regularizacion"] == "2026-03-06"
    assert any("Exhorto extemporáneo" in a and "jue 29-01-2026" in a for a in plan["avisos"])


def test_the_stps_closures_of_july_2024_move_the_2024_2_cycle(capsys):
    _, out, _ = run(capsys, "plan", "--ciclo", "2024-2", "--json")
    plan = json.loads(out)
    # D0 (Mon 29 Jul) falls in the STPS closure: the date stands, with a warning, and the exhorto
    # window counts joint hábil days from 1 Aug.
    assert plan["fecha_consulta"] == "2024-07-29"
    assert plan["limite_exhorto"] == "2024-08-05T23:59:59-06:00"
    assert any("no es día hábil" in a and "DOF 05-07-2024" in a for a in plan["avisos"])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--ciclo", "2026-3"], "ciclo no válido «2026-3»"),
        (["--ciclo", "2026-1", "--exhorto", "2026-01-23"], "no puede ser anterior a la fecha de"),
        (["--ciclo", "2026-1", "--inicio-cancelacion", "2026-02-27"], "no puede ser anterior a la"),
        (["--ciclo", "2026-1", "--exhorto", "28/01/2026"], "--exhorto: fecha no válida"),
        (["--calendario", "/no/existe.toml"], "/no/existe.toml: el archivo no existe"),
    ],
)
def test_an_impossible_argument_is_one_spanish_line_and_a_non_zero_exit(capsys, argv, message):
    code, out, err = run(capsys, "plan", *argv)
    assert code != 0 and out == ""
    assert err.count("\n") == 1 and err.startswith("repse: error: ") and message in err


def test_the_installed_command_never_prints_a_traceback(tmp_path):
    bad = tmp_path / "malo.toml"
    bad.write_text('[[cierre]]\nautoridad = "stps"\n')
    proc = subprocess.run([sys.executable, "-m", "repse.tui", "plan", "--calendario", str(bad)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr == (f"repse: error: {bad}: [[cierre]] n.º 1: falta el campo obligatorio "
                           "«desde»\n")


def test_the_human_plan(capsys, empty_calendar, snapshot):
    code, out, _ = run(capsys, "plan", "--ciclo", "2026-2", "--inicio-cancelacion", "2026-09-10",
                       "--calendario", empty_calendar)
    assert code == 0
    assert "mar 01-09-2026  12:00       IMSS              Segunda consulta (D2)" in out
    assert out == snapshot


def test_calendario_lists_the_non_habil_weekdays_with_their_source(capsys):
    code, out, _ = run(capsys, "calendario", "--anio", "2025", "--autoridad", "stps", "--json")
    days = json.loads(out)
    assert code == 0
    assert {"fecha": "2025-04-17", "autoridad": "stps",
            "motivo": "cierre STPS (DOF 26-12-2024)"} in days
    assert [d["fecha"] for d in days if d["fecha"].startswith("2025-02")] == ["2025-02-03"]


def test_calendario_human_output(capsys, snapshot):
    code, out, _ = run(capsys, "calendario", "--anio", "2024", "--autoridad", "conjunto")
    assert code == 0 and "2024-10-01  mar  transmisión del Poder Ejecutivo Federal" in out
    assert out == snapshot


def test_calendario_refuses_an_unknown_authority(capsys):
    code, _, err = run(capsys, "calendario", "--anio", "2025", "--autoridad", "sat")
    assert code == 2 and "«sat» no válida" in err


def test_the_plan_from_a_consultation_date_moved_by_the_gt(capsys):
    # 2024-2: the nominal D0, Mon 29 Jul 2024, falls in STPS's closure (15–31 Jul 2024); a GT
    # criterion moves it to Mon 5 Aug 2024 (bundled closures). Exhorto window: joint hábil days
    # 6, 7, 8 Aug → Thu 8 Aug. Notified that day, the 30 natural days run 9 Aug … Sat 7 Sep,
    # extended to Mon 9 Sep → D2 Tue 10 Sep. Cancellation from D2: STPS hábil days 11, 12, 13,
    # (16 Sep rest day) 17, 18 Sep → D3 Thu 19 Sep.
    code, out, _ = run(capsys, "plan", "--ciclo", "2024-2", "--fecha-consulta", "2024-08-05",
                       "--json")
    plan = json.loads(out)
    assert code == 0
    assert (plan["fecha_consulta"], plan["limite_padron"], plan["limite_listado_inicial"]) == (
        "2024-08-05", "2024-08-05T10:00:00-06:00", "2024-08-05T18:00:00-06:00")
    assert (plan["limite_exhorto"], plan["exhorto"]) == ("2024-08-08T23:59:59-06:00",
                                                         "2024-08-08")
    assert (plan["fin_plazo_regularizacion"], plan["segunda_consulta"]) == ("2024-09-09",
                                                                           "2024-09-10")
    assert (plan["fin_plazo_audiencia"], plan["tercera_consulta"]) == ("2024-09-18",
                                                                      "2024-09-19")
    assert any("movida por criterio específico del GT" in a and "lun 29-07-2024" in a
               for a in plan["avisos"])
    assert not any("no es día hábil" in a for a in plan["avisos"])  # the closure is left behind

    code, out, _ = run(capsys, "plan", "--ciclo", "2024-2", "--fecha-consulta", "2024-08-05")
    assert code == 0
    assert "fecha de consulta (D0): lun 05-08-2024" in out
    assert "jue 08-08-2024  fin del día IMSS y STPS (GT)  Límite para enviar el exhorto" in out
    assert "numeral 8 (fecha movida por criterio del GT)" in out


def test_an_unreadable_consultation_date_is_one_spanish_line(capsys):
    code, out, err = run(capsys, "plan", "--ciclo", "2024-2", "--fecha-consulta", "5/8/2024")
    assert code == 2 and out == ""
    assert err == ("repse: error: --fecha-consulta: fecha no válida «5/8/2024» (se espera "
                   "AAAA-MM-DD)\n")
