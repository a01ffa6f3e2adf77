"""The scenarios that matter to the GT, written by hand, replayed on the real charts and pinned
as readable traces under ``snapshots/test_scenarios/``."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest

from repse.core.calendars import calendarios
from repse.core.cycle import Ciclo, plan_ciclo
from repse.core.lifecycle import CHARTS
from repse.core.plazos import MX
from repse.core.table import TABLES
from repse.core.verificacion.scenarios import ESCENARIOS, Escenario, EscenarioInvalido, ejecutar

FIX = ("a scenario's trace changed: read it, then run "
       "`.venv/bin/python -m pytest --snapshot-update` and commit the snapshot")

FINAL_STATES = {
    "paga_durante_exhorto": {"expediente 2026-1": "regularizado"},
    "cancelado_tercera_consulta": {"expediente 2026-1": "cancelado",
                                   "registro": "registro_cancelado"},
    "cancelacion_impedida_regulariza": {"expediente 2026-1": "regularizado"},
    "sin_opinion_siempre": {"expediente 2026-1": "cancelado", "registro": "registro_cancelado"},
    "registro_vence_sin_renovar": {"expediente 2026-1": "concluido_sin_registro",
                                   "registro": "registro_cancelado"},
    "renovacion_afirmativa_ficta": {"expediente 2026-1": "al_corriente",
                                    "registro": "registro_vigente"},
    "excluido_por_criterio": {"expediente 2026-1": "excluido"},
    "impedido_al_abrir_siguiente_ciclo": {"expediente 2026-1": "cancelado",
                                          "expediente 2026-2": "concluido_sin_registro",
                                          "registro": "registro_cancelado"},
    "cancelacion_voluntaria": {"expediente 2026-1": "concluido_sin_registro",
                               "registro": "registro_cancelado"},
}


@pytest.mark.parametrize("clave", list(ESCENARIOS))
def test_scenario_trace(clave, snapshot):
    assert ejecutar(ESCENARIOS[clave]).texto() == snapshot, FIX


def test_the_gt_scenarios_exist_and_end_where_they_should():
    assert set(ESCENARIOS) == set(FINAL_STATES)
    for clave, expected in FINAL_STATES.items():
        estados = ejecutar(ESCENARIOS[clave]).estados
        assert {k: estados[k] for k in expected} == expected, clave


def test_sin_opinion_all_the_way_uses_no_other_opinion():
    events = {p.evento for p in ESCENARIOS["sin_opinion_siempre"].pasos}
    assert "opinion_sin_opinion" in events
    assert not events & {"opinion_negativa", "opinion_positiva"}


@pytest.mark.parametrize("clave", list(ESCENARIOS))
def test_steps_are_in_effective_time_order_in_mexico_city(clave):
    moments = [p.momento for p in ESCENARIOS[clave].pasos]
    assert all(m is not None and m.utcoffset() == timedelta(hours=-6) for m in moments)
    assert moments == sorted(moments)


@pytest.mark.parametrize("clave", list(ESCENARIOS))
def test_refused_steps_name_an_actor_that_can_fire_the_event(clave):
    for paso in ESCENARIOS[clave].pasos:
        if paso.rechazo:
            table = TABLES[paso.chart]
            actors = {i.actor for (_, e), i in table.info.items() if e == paso.evento}
            assert actors == {paso.actor}


def _at_end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=MX)


def test_dates_are_the_nominal_plan():
    """Every dated step of an expediente agrees with ``repse plan`` for its cycle."""
    cals = calendarios()
    conjunto = cals.conjunto()
    for escenario in ESCENARIOS.values():
        estado: dict[str, str] = {}
        for paso in escenario.pasos:
            if paso.chart != "expediente" or paso.rechazo:
                continue
            plan = plan_ciclo(Ciclo.parse(paso.ciclo), cals)
            at, day = paso.momento, paso.momento.date()
            source = estado.get(paso.ciclo, "registrado")
            ronda = paso.ronda
            if paso.evento == "padron_recibido":
                assert day == plan.fecha_consulta and at <= plan.limite_padron
            elif ronda == "1":
                assert day == plan.fecha_consulta and at <= plan.limite_listado_inicial
            elif paso.evento == "exhorto_notificado":
                assert plan.fecha_consulta <= day and at <= plan.limite_exhorto
            elif paso.evento == "fin_plazo_regularizacion":
                assert at == _at_end_of(plan.fin_plazo_regularizacion)
            elif ronda == "2":
                assert at <= plan.limite_listado_segunda and day == plan.segunda_consulta
            elif paso.evento == "inicio_cancelacion":
                assert day == plan.inicio_cancelacion
            elif paso.evento == "fin_plazo_audiencia":
                assert at == _at_end_of(plan.fin_plazo_audiencia)
            elif ronda == "3":
                assert at <= plan.limite_listado_tercera and day == plan.tercera_consulta
            elif paso.evento == "cancelacion" and source == "por_cancelar":
                assert day == plan.tercera_consulta
            elif ronda == "diaria":
                assert day > plan.tercera_consulta and conjunto.es_habil(day)
                assert at.time() <= time(12)
            table = TABLES["expediente"]
            estado[paso.ciclo] = table.info[source, paso.evento].target


def _broken(clave: str, index: int, **changes) -> Escenario:
    e = ESCENARIOS[clave]
    pasos = list(e.pasos)
    if changes:
        pasos[index] = replace(pasos[index], **changes)
    else:
        del pasos[index]
    return replace(e, pasos=tuple(pasos))


@pytest.mark.parametrize(("clave", "index", "changes", "message"), [
    ("cancelado_tercera_consulta", -1, {}, "faltan consecuencias"),
    ("cancelado_tercera_consulta", -1, {"consecuencia": False}, "se esperaba la consecuencia"),
    ("paga_durante_exhorto", 3, {"rechazo": False}, "la ronda 2 no corresponde"),
    ("paga_durante_exhorto", 3, {"rechazo": False, "ronda": None}, None),
    ("paga_durante_exhorto", 4, {"rechazo": True}, "debía rechazarse"),
    ("paga_durante_exhorto", 0, {"actor": "gt"}, "el actor de «padron_recibido»"),
    ("paga_durante_exhorto", 1, {"ronda": "2"}, "la ronda 2 no corresponde"),
    ("excluido_por_criterio", 2, {"consecuencia": True}, "consecuencia sin causa"),
])
def test_a_scenario_that_does_not_match_the_charts_is_refused(clave, index, changes, message):
    broken = _broken(clave, index, **changes)
    if message is None:  # an accepted premature opinion: the chart itself refuses it
        with pytest.raises(CHARTS["expediente"].TransitionNotAllowed):
            ejecutar(broken)
    else:
        with pytest.raises(EscenarioInvalido, match=message):
            ejecutar(broken)
