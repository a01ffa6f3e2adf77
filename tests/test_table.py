"""The compiled tables: derived from the charts, and never different from them.

A property test drives random event sequences through a real python-statemachine instance and
through the table from the same state, and requires the same accept/refuse decision and the same
state after every event."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statemachine.exceptions import TransitionNotAllowed

from repse.core.lifecycle import CHARTS, Expediente, Registro
from repse.core.table import (
    EXPEDIENTE,
    NOT_ALLOWED,
    REGISTRO,
    TABLES,
    EventoNoPermitido,
    NombreDesconocido,
    compile_chart,
)
from repse.core.verificacion.paths import current_state

PAIRS = [(CHARTS[name], TABLES[name]) for name in CHARTS]


@pytest.mark.parametrize(("chart", "table"), PAIRS, ids=list(CHARTS))
def test_the_table_is_the_chart(chart, table):
    assert table.name == chart.__name__
    assert table.states == tuple(s.id for s in chart.states)
    assert table.events == tuple(str(e) for e in chart.events)
    assert len(table.targets) == len(table.states) * len(table.events)
    assert table.states[table.initial] == chart.initial_state.id
    assert {table.states[f] for f in table.finals} == {s.id for s in chart.final_states}
    transitions = list(chart.transiciones())
    assert set(table.info) == {(s, e) for s, e, _ in transitions}
    assert sum(t != NOT_ALLOWED for t in table.targets) == len(transitions)
    for source, event, target in transitions:
        code = table.step(table.state_code(source), table.event_code(event))
        assert table.states[code] == target
        info = table.info[source, event]
        regla = chart.regla(source, event)
        assert (info.target, info.actor, info.fundamento, info.plazo) == (
            target, regla.actor, regla.fundamento, regla.plazo)


@pytest.mark.parametrize(("chart", "table"), PAIRS, ids=list(CHARTS))
def test_allowed_events_match_the_chart_in_every_state(chart, table):
    for state in table.states:
        machine = chart(start_value=state)
        assert table.allowed_events(state) == [str(e) for e in machine.allowed_events]
        assert table.is_final(state) == machine.is_terminated


def test_compiling_twice_gives_the_same_table():
    assert compile_chart(Expediente) == EXPEDIENTE
    assert compile_chart(Registro) == REGISTRO


def test_a_refused_event_names_the_state_and_the_event_in_spanish():
    exhortado = EXPEDIENTE.state_code("exhortado")
    with pytest.raises(EventoNoPermitido) as refused:
        EXPEDIENTE.step(exhortado, EXPEDIENTE.event_code("opinion_positiva"))
    assert str(refused.value) == (
        "Expediente: el evento «opinion_positiva» no procede en el estado «exhortado»; eventos "
        "permitidos: fin_plazo_regularizacion, criterio_exclusion, registro_terminado")
    with pytest.raises(EventoNoPermitido, match="es un estado final"):
        EXPEDIENTE.step(EXPEDIENTE.state_code("al_corriente"), 0)
    with pytest.raises(NombreDesconocido, match="evento desconocido «opinion»"):
        EXPEDIENTE.event_code("opinion")
    with pytest.raises(NombreDesconocido, match="estado desconocido «vigente»"):
        REGISTRO.state_code("vigente")


def _run_both(chart, table, start, events):
    machine = chart(start_value=start)
    code = table.state_code(start)
    for event in events:
        try:
            machine.send(event)
            chart_accepted = True
        except TransitionNotAllowed:
            chart_accepted = False
        try:
            code = table.step(code, table.event_code(event))
            table_accepted = True
        except EventoNoPermitido:
            table_accepted = False
        assert chart_accepted == table_accepted, (start, events, event)
        assert current_state(machine) == table.states[code], (start, events, event)


@pytest.mark.parametrize(("chart", "table"), PAIRS, ids=list(CHARTS))
def test_random_event_sequences_agree(chart, table):
    @settings(max_examples=150, deadline=None)
    @given(
        start=st.sampled_from(table.states),
        events=st.lists(st.sampled_from(table.events), max_size=25),
    )
    def check(start, events):
        _run_both(chart, table, start, events)

    check()


@pytest.mark.parametrize(("chart", "table"), PAIRS, ids=list(CHARTS))
def test_random_walks_along_allowed_events_agree(chart, table):
    """Random events mostly refuse; these walks mostly accept, so long paths get exercised."""

    @settings(max_examples=100, deadline=None)
    @given(st.data())
    def check(data):
        state = table.states[table.initial]
        events = []
        for _ in range(30):
            allowed = table.allowed_events(state)
            if not allowed:
                break
            event = data.draw(st.sampled_from(allowed))
            events.append(event)
            state = table.states[table.step(table.state_code(state), table.event_code(event))]
        _run_both(chart, table, table.states[table.initial], events)

    check()
