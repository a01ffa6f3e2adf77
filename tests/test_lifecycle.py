"""The lifecycle charts: the public state and event names, the defaults that would hide mistakes
switched off, and metadata that cannot be missing."""

from __future__ import annotations

import doctest
import importlib
from typing import ClassVar, get_args

import pytest
from statemachine import Event
from statemachine.exceptions import TransitionNotAllowed

from repse.core import inputs
from repse.core.errors import RepseError
from repse.core.lifecycle import (
    ACTOR_NOMBRE,
    CHARTS,
    Chart,
    ChartDefinitionError,
    Consulta,
    Efecto,
    Estado,
    Expediente,
    Opinion,
    Registro,
    Regla,
    parse_ronda,
    validar,
)

EXPEDIENTE_STATES = [
    "registrado", "en_consulta", "al_corriente", "senalado", "exhortado", "segunda_consulta",
    "regularizado", "por_iniciar_cancelacion", "en_cancelacion", "tercera_consulta",
    "por_cancelar", "cancelacion_suspendida", "cancelado", "excluido", "concluido_sin_registro",
]
REGISTRO_STATES = [
    "registro_vigente", "registro_por_renovar", "registro_en_renovacion",
    "registro_sin_respuesta", "registro_requerido", "registro_vencido", "registro_cancelado",
]
# The engine depends on these names and actors (the lead's design decisions).
EXPEDIENTE_ACTORS = {
    "padron_recibido": "stps",
    "opinion_positiva": "imss",
    "opinion_negativa": "imss",
    "opinion_sin_opinion": "imss",
    "exhorto_notificado": "gt",
    "fin_plazo_regularizacion": "reloj",
    "inicio_cancelacion": "stps",
    "fin_plazo_audiencia": "reloj",
    "cancelacion": "stps",
    "cancelacion_impedida": "stps",
    "criterio_exclusion": "gt",
    "registro_terminado": "registro",
}
REGISTRO_ACTORS = {
    "inicio_ventana_renovacion": "reloj",
    "renovacion_solicitada": "stps",
    "renovacion_otorgada": "stps",
    "renovacion_negada": "stps",
    "fin_plazo_resolucion": "reloj",
    "renovacion_requerida": "stps",  # STPS records the contractor's requerimiento
    "afirmativa_ficta": "reloj",
    "fin_vigencia": "reloj",
    "cancelacion_registro": "stps",
}


def test_state_ids_are_domain_md_s():
    assert [s.id for s in Expediente.states] == EXPEDIENTE_STATES
    assert [s.id for s in Registro.states] == REGISTRO_STATES
    assert Expediente.initial_state.id == "registrado"
    assert Registro.initial_state.id == "registro_vigente"
    assert {s.id for s in Expediente.final_states} == {
        "al_corriente", "regularizado", "cancelado", "excluido", "concluido_sin_registro"}
    assert {s.id for s in Registro.final_states} == {"registro_cancelado"}


@pytest.mark.parametrize(("chart", "actors"), [(Expediente, EXPEDIENTE_ACTORS),
                                               (Registro, REGISTRO_ACTORS)])
def test_events_and_their_actors(chart, actors):
    assert [str(e) for e in chart.events] == list(actors)
    for source, event, _target in chart.transiciones():
        assert chart.regla(source, event).actor == actors[event], (source, event)


def test_the_transitions_the_engine_relies_on():
    t = {(s, e): d for s, e, d in Expediente.transiciones()}
    assert t["en_consulta", "opinion_positiva"] == "al_corriente"
    assert t["segunda_consulta", "opinion_positiva"] == "regularizado"
    assert t["tercera_consulta", "opinion_positiva"] == "regularizado"
    assert t["cancelacion_suspendida", "opinion_positiva"] == "regularizado"
    for event in ("opinion_negativa", "opinion_sin_opinion"):
        assert t["en_consulta", event] == "senalado"
        assert t["segunda_consulta", event] == "por_iniciar_cancelacion"
        assert t["tercera_consulta", event] == "por_cancelar"
        # A daily update that is still negative is recorded, not refused.
        assert t["cancelacion_suspendida", event] == "cancelacion_suspendida"
    assert t["senalado", "exhorto_notificado"] == "exhortado"
    assert t["exhortado", "fin_plazo_regularizacion"] == "segunda_consulta"
    assert t["por_iniciar_cancelacion", "inicio_cancelacion"] == "en_cancelacion"
    assert t["en_cancelacion", "fin_plazo_audiencia"] == "tercera_consulta"
    assert t["por_cancelar", "cancelacion"] == "cancelado"
    assert t["cancelacion_suspendida", "cancelacion"] == "cancelado"
    assert t["por_cancelar", "cancelacion_impedida"] == "cancelacion_suspendida"
    # Opinions exist only in the four consultation states: anywhere else they are premature.
    opinion_sources = {s for s, e in t if e.startswith("opinion_")}
    assert opinion_sources == {"en_consulta", "segunda_consulta", "tercera_consulta",
                               "cancelacion_suspendida"}
    assert {r: c.espera for r, c in Expediente.rondas.items()} == {
        1: "en_consulta", 2: "segunda_consulta", 3: "tercera_consulta",
        "diaria": "cancelacion_suspendida"}

    r = {(s, e): d for s, e, d in Registro.transiciones()}
    assert r == {
        ("registro_vigente", "inicio_ventana_renovacion"): "registro_por_renovar",
        ("registro_por_renovar", "renovacion_solicitada"): "registro_en_renovacion",
        ("registro_en_renovacion", "renovacion_otorgada"): "registro_vigente",
        ("registro_en_renovacion", "renovacion_negada"): "registro_por_renovar",
        ("registro_en_renovacion", "fin_plazo_resolucion"): "registro_sin_respuesta",
        ("registro_sin_respuesta", "renovacion_requerida"): "registro_requerido",
        ("registro_requerido", "afirmativa_ficta"): "registro_vigente",
        # STPS may still resolve after its 20 days, until the afirmativa ficta.
        ("registro_sin_respuesta", "renovacion_otorgada"): "registro_vigente",
        ("registro_sin_respuesta", "renovacion_negada"): "registro_por_renovar",
        ("registro_requerido", "renovacion_otorgada"): "registro_vigente",
        ("registro_requerido", "renovacion_negada"): "registro_por_renovar",
        # Only a registration with no renewal in course lapses at its anniversary.
        ("registro_por_renovar", "fin_vigencia"): "registro_vencido",
        ("registro_vigente", "cancelacion_registro"): "registro_cancelado",
        ("registro_por_renovar", "cancelacion_registro"): "registro_cancelado",
        ("registro_en_renovacion", "cancelacion_registro"): "registro_cancelado",
        ("registro_sin_respuesta", "cancelacion_registro"): "registro_cancelado",
        ("registro_requerido", "cancelacion_registro"): "registro_cancelado",
        ("registro_vencido", "cancelacion_registro"): "registro_cancelado",
    }


def test_every_open_state_can_be_excluded_or_ended_by_the_registration():
    t = {(s, e): d for s, e, d in Expediente.transiciones()}
    for state in Expediente.states:
        if state.final:
            assert not state.transitions, state.id
        else:
            assert t[state.id, "criterio_exclusion"] == "excluido"
            # Not cancelado: that is only what the mechanism cancelled (numeral 6).
            assert t[state.id, "registro_terminado"] == "concluido_sin_registro"


@pytest.mark.parametrize("chart", [Expediente, Registro])
def test_the_defaults_that_hide_mistakes_are_off(chart):
    assert chart.allow_event_without_transition is False
    assert chart.catch_errors_as_events is False


def test_an_event_that_does_not_fit_is_refused():
    exp = Expediente()
    with pytest.raises(TransitionNotAllowed):
        exp.send("opinion_positiva")  # before the padrón
    with pytest.raises(TransitionNotAllowed):
        exp.send("no_existe")
    for event in ("padron_recibido", "opinion_negativa", "exhorto_notificado"):
        exp.send(event)
    with pytest.raises(TransitionNotAllowed):
        exp.send("opinion_positiva")  # premature: the exhorto plazo is running
    assert exp.exhortado.is_active
    exp.send("criterio_exclusion")
    with pytest.raises(TransitionNotAllowed):
        exp.send("registro_terminado")  # a final state takes no transition out


def test_every_transition_has_a_fundamento_and_a_known_actor():
    for chart in CHARTS.values():
        validar(chart)
        for source, event, _ in chart.transiciones():
            regla = chart.regla(source, event)
            assert regla.fundamento.strip(), (chart.name, source, event)
            assert regla.actor in ACTOR_NOMBRE


_BIEN = Regla("gt", "Mecanismo, numeral 8")


def _define(reglas, entradas=None, efectos=()):
    """Define a small chart, as a ``class`` statement would; a bad one fails right here."""
    a = Estado("A", "estado a", initial=True)
    b = Estado("B", "estado b", final=True)
    return type(Chart)("Roto", (Chart,), {
        "__module__": __name__, "a": a, "b": b, "ir": Event(a.to(b)), "reglas": reglas,
        "entradas": {"ir": "reloj"} if entradas is None else entradas, "efectos": efectos})


@pytest.mark.parametrize(("reglas", "entradas", "message"), [
    ({}, None, "no tiene regla"),
    ({"ir": Regla("gt", "  ")}, None, "no tiene fundamento"),
    ({"ir": Regla("alguien", "Mecanismo, numeral 8")}, None, "actor desconocido"),
    ({"ir": _BIEN, "otro": Regla("gt", "x")}, None, "evento inexistente"),
    ({"ir": {"a": _BIEN, "b": Regla("gt", "x")}}, None, "transición inexistente"),
    ({"ir": _BIEN}, {}, "no dice qué entrada lo lleva"),
    ({"ir": _BIEN}, {"ir": "reloj", "otro": "reloj"}, "«entradas» nombra un evento inexistente"),
])
def test_a_chart_that_does_not_match_its_transitions_cannot_be_defined(reglas, entradas,
                                                                      message):
    with pytest.raises(ChartDefinitionError, match=message):
        _define(reglas, entradas)


def test_a_well_declared_chart_is_defined():
    assert [t for t in _define({"ir": _BIEN}).transiciones()] == [("a", "ir", "b")]


def test_an_effect_on_an_event_the_other_chart_lacks_cannot_be_defined():
    efecto = Efecto("ir", "registro", "no_existe", "todos", "LFT art. 15")
    with pytest.raises(ChartDefinitionError, match="no es evento de registro"):
        _define({"ir": _BIEN}, efectos=(efecto,))


def test_a_chart_without_every_round_cannot_be_defined():
    with pytest.raises(ChartDefinitionError, match="«rondas» debe declarar exactamente"):
        class Roto(Expediente):
            rondas: ClassVar = {r: c for r, c in Expediente.rondas.items() if r != "diaria"}


def test_a_round_awaited_where_opinions_do_not_go_cannot_be_defined():
    with pytest.raises(ChartDefinitionError, match="la ronda 2 espera «exhortado»"):
        class Roto(Expediente):
            rondas: ClassVar = {**Expediente.rondas, 2: Consulta("exhortado", "ronda 2")}


def test_the_chart_declares_its_inputs_rounds_and_renewals():
    assert {Expediente.opiniones[o] for o in get_args(Opinion)} == {
        e for e in Expediente.entradas if Expediente.entradas[e] == "opiniones"}
    assert [e for e in Registro.entradas if Registro.entradas[e] == "renovacion"] == list(
        Registro.renovaciones.values())
    for chart in CHARTS.values():
        assert set(chart.entradas.values()) <= set(inputs.TIPOS)
    assert parse_ronda(" 3 ") == 3 and parse_ronda("DIARIA") == "diaria"
    with pytest.raises(RepseError, match="ronda no válida «4»"):
        parse_ronda("4")


def test_every_state_is_described_in_spanish():
    for chart in CHARTS.values():
        for state in chart.states:
            assert len(state.descripcion) > 40, state.id
            assert state.name and state.name != state.id


def test_the_effects_between_the_charts():
    assert [(e.evento, e.en, e.dispara) for e in Expediente.efectos] == [
        ("cancelacion", "registro", "cancelacion_registro")]
    assert [(e.evento, e.en, e.dispara) for e in Registro.efectos] == [
        ("fin_vigencia", "expediente", "registro_terminado"),
        ("cancelacion_registro", "expediente", "registro_terminado")]


@pytest.mark.parametrize("module", ["lifecycle", "table", "verificacion.paths", "specs",
                                    "verificacion.scenarios"])
def test_docstring_examples(module):
    mod = importlib.import_module(f"repse.core.{module}")
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_a_subclass_of_a_chart_does_not_take_its_place():
    class Variante(Registro):
        titulo = "Una variante"

    assert CHARTS["registro"] is Registro and Variante.clave == "registro"
