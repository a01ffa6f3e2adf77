"""What the dialogs propose and preview, computed from the state (core/previa.py): the preview
of a trial is the answer of the input recorded, step by step through a whole cycle; the round
and the act proposed follow the chart."""

from __future__ import annotations

from bench.cycle import cycle_inputs
from repse.core import previa
from repse.core.api import Repositorio


def test_each_input_of_a_cycle_does_what_its_preview_said_and_the_proposals_follow():
    entradas, _, _ = cycle_inputs(300)
    repo = Repositorio.crear(":memory:", simulacion=True)
    propuestas = []
    for e in entradas:
        antes = previa.previa(repo.ensayar(e))
        assert previa.previa(repo.registrar(e)) == antes, type(e).__name__
        vista = repo.vista()
        propuestas.append((previa.tipo_esperado(vista, "2026-1"),
                           previa.ronda_esperada(vista, "2026-1")))
    repo.cerrar()
    assert propuestas == [
        ("opiniones", 1),  # the padrón received: round 1 is awaited
        ("exhorto", None),  # round 1 recorded: the señalados await their exhorto
        ("padron", None),  # exhorted: nothing to load until their plazo ends
        ("opiniones", 2),  # the clock at D2: round 2
        ("inicio_cancelacion", None),  # round 2 recorded: STPS starts the cancellation
        ("padron", None),  # the 5 hábil days to manifest run
        ("cancelacion", None),  # round 3 recorded: STPS cancels…
        ("cancelacion", None),  # …some cancelled, the rest still «Por cancelar»
        ("opiniones", "diaria"),  # one cancellation impeded: IMSS's daily updates
        ("opiniones", "diaria"),  # a daily update: the impeded one is still suspended
        ("padron", None),  # cancelled in the end: the cycle's procedures all ended
        ("padron", None)]


def test_the_act_for_a_state_is_the_charts_next_act():
    assert previa.acto_para("senalado") == "exhorto"
    assert previa.acto_para("por_iniciar_cancelacion") == "inicio_cancelacion"
    assert previa.acto_para("por_cancelar") == "cancelacion"
    assert previa.acto_para("cancelacion_suspendida") == "cancelacion"
    assert previa.acto_para("al_corriente") is None
    assert previa.acto_para("en_consulta") is None  # an opinion moves it, not an act
