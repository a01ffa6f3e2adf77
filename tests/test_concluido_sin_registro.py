"""A registration that ends ends its procedures apart (issue 11, point 3): a lapse or a
cancellation outside the cycle concludes every open procedure in ``concluido_sin_registro`` with
the cause in its history, and the cycle's statistics count those apart from what the mechanism
cancelled (numeral 6), which still cancels the registration."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from repse.core import inputs as inp
from repse.core.api import Repositorio, replay_repo
from repse.core.exports import estadisticas_md
from repse.core.plazos import MX
from repse.core.verificacion.scenario_inputs import RFC, entradas
from repse.core.verificacion.scenarios import ESCENARIOS, ejecutar

# A lapses (no renewal), B asks for its own cancellation, C is cancelled by the mechanism.
A, B, C = "MAB9307148T4", "GODE561231GR8", "AEL7407151YA"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=MX)


@pytest.fixture
def repo(tmp_path):
    empty = tmp_path / "vacio.toml"
    empty.write_text("")  # no closures: only the LFT art. 74 rest days
    r = Repositorio.crear(tmp_path / "r.db", calendario=empty, simulacion=True)
    yield r
    r.store.close()


def padron(repo: Repositorio) -> None:
    # A granted 15 Sep 2023: the term ends at 00:00 of 15 Sep 2026 (three years, DÉCIMO
    # TERCERO); its window, June to August 2026, passes with no request.
    filas = (inp.FilaPadron(A, "Empresa A", "F-0", datetime(2023, 9, 15).date()),
             inp.FilaPadron(B, "Empresa B", "F-1", datetime(2024, 6, 1).date()),
             inp.FilaPadron(C, "Empresa C", "F-2", datetime(2024, 6, 1).date()))
    repo.registrar(inp.Padron(at=at("2026-07-27T09:00:00"), actor="stps", ciclo="2026-2",
                              contratistas=filas))
    repo.registrar(inp.Opiniones(
        at=at("2026-07-27T17:00:00"), actor="imss", ciclo="2026-2", ronda=1, completo=True,
        resultados=tuple(inp.Resultado(r, "negativa") for r in (A, B, C))))
    repo.registrar(inp.Exhorto(at=at("2026-07-30T12:00:00"), actor="gt", ciclo="2026-2",
                               rfcs=(A, B, C)))


def cancelacion_voluntaria(repo: Repositorio, when: str = "2026-08-10T11:00:00"):
    return repo.registrar(inp.CancelacionRegistro(
        at=at(when), actor="stps", rfcs=(B,), causa="voluntaria",
        motivo="Escrito del contratista del 2026-08-07"))


def hasta_la_cancelacion(repo: Repositorio) -> None:
    """B cancels its registration during the exhorto; A and C stay negativa in round 2 (D2 =
    Tue 1 Sep: the 30 days from 31 Jul end Sat 29 Aug, moved to Mon 31 Aug); STPS starts C's
    cancellation on 10 Sep: 5 hábil days 11, 14, 15, 17, 18 (16 Sep is a rest day), D3 = Mon
    21 Sep. A's term ends on 15 Sep meanwhile; C is cancelled on D3."""
    padron(repo)
    cancelacion_voluntaria(repo)
    repo.registrar(inp.Opiniones(
        at=at("2026-09-01T11:00:00"), actor="imss", ciclo="2026-2", ronda=2, completo=True,
        resultados=(inp.Resultado(A, "negativa"), inp.Resultado(C, "negativa"))))
    repo.registrar(inp.InicioCancelacion(at=at("2026-09-10T10:00:00"), actor="stps",
                                         ciclo="2026-2", rfcs=(C,)))
    repo.registrar(inp.Opiniones(
        at=at("2026-09-21T11:00:00"), actor="imss", ciclo="2026-2", ronda=3, completo=True,
        resultados=(inp.Resultado(C, "negativa"),)))
    repo.registrar(inp.Cancelacion(at=at("2026-09-21T15:00:00"), actor="stps", ciclo="2026-2",
                                   rfcs=(C,)))


def paso(repo: Repositorio, rfc: str, evento: str):
    [step] = [s for s in repo.vista().historial(rfc) if s.evento == evento]
    return step


def test_a_voluntary_cancellation_concludes_the_open_procedure_with_its_cause(repo):
    padron(repo)
    r = cancelacion_voluntaria(repo)
    assert r.aceptadas == 1
    st = repo.vista().estado(B)
    assert (st.estado, st.registro) == ("concluido_sin_registro", "registro_cancelado")
    for evento in ("cancelacion_registro", "registro_terminado"):  # both histories say why
        step = paso(repo, B, evento)
        assert step.at == at("2026-08-10T11:00:00")
        assert "a petición del propio contratista" in step.nota
        assert "Escrito del contratista del 2026-08-07" in step.nota
    assert paso(repo, B, "registro_terminado").hacia == "concluido_sin_registro"
    # The procedure is over: the end of the exhorto's plazo no longer moves it.
    repo.avanzar(at("2026-09-01T00:00:00"))
    assert repo.vista().estado(B).estado == "concluido_sin_registro"
    assert repo.vista().estado(A).estado == "segunda_consulta"


def test_a_lapse_concludes_the_open_procedure_at_the_anniversary(repo):
    padron(repo)
    repo.registrar(inp.Opiniones(
        at=at("2026-09-01T11:00:00"), actor="imss", ciclo="2026-2", ronda=2, completo=True,
        resultados=(inp.Resultado(A, "negativa"), inp.Resultado(C, "negativa"))))
    repo.avanzar(at("2026-09-14T23:59:59"))
    assert repo.vista().estado(A).estado == "por_iniciar_cancelacion"
    repo.avanzar(at("2026-09-15T00:00:00"))
    st = repo.vista().estado(A)
    assert (st.estado, st.registro) == ("concluido_sin_registro", "registro_vencido")
    step = paso(repo, A, "registro_terminado")
    assert (step.at, step.desde) == (at("2026-09-15T00:00:00"), "por_iniciar_cancelacion")
    assert "venció sin renovación" in step.nota and "inciso g" in step.nota
    # STPS then cancels the lapsed registration for that cause: no procedure is left to end.
    r = repo.registrar(inp.CancelacionRegistro(at=at("2026-09-16T10:00:00"), actor="stps",
                                               rfcs=(A,), causa="no_renovacion"))
    assert r.aceptadas == 1 and repo.vista().estado(A).registro == "registro_cancelado"
    assert "no renovó en el plazo establecido" in paso(repo, A, "cancelacion_registro").nota
    assert [s.evento for s in repo.vista().historial(A)].count("registro_terminado") == 1


def test_the_mechanism_still_cancels_and_the_statistics_count_each_apart(repo):
    hasta_la_cancelacion(repo)
    v = repo.vista()
    st = v.estado(C)
    assert (st.estado, st.registro) == ("cancelado", "registro_cancelado")
    assert "ciclo 2026-2 (Mecanismo, numeral 6)" in paso(repo, C, "cancelacion_registro").nota
    assert v.estado(A).estado == v.estado(B).estado == "concluido_sin_registro"
    e = v.estadisticas("2026-2")
    assert (e.padron, e.cancelados, e.concluidos_sin_registro) == (3, 1, 2)
    assert e.por_estado == {"cancelado": 1, "concluido_sin_registro": 2}
    md = estadisticas_md(v, "2026-2")
    assert "| Cancelados | 1 |" in md
    assert "| Concluidos sin registro (venció o se canceló fuera del ciclo) | 2 |" in md
    assert "| Concluido sin registro | 2 |" in md and "| Cancelado | 1 |" in md


def test_the_mechanism_s_cancellation_concludes_the_contractor_s_procedure_of_another_cycle(
        repo):
    """A procedure of 2026-1 left suspended is cancelled in July: the registration ends, and the
    open 2026-2 procedure concludes without registration — 2026-2's mechanism cancelled
    nothing."""
    repo.registrar(inp.Padron(at=at("2026-01-26T09:00:00"), actor="stps", ciclo="2026-1",
                              contratistas=(inp.FilaPadron(C, "Empresa C", "F-2",
                                                           datetime(2024, 6, 1).date()),)))
    for ronda, when in ((1, "2026-01-26T17:00:00"), (2, "2026-03-03T11:00:00")):
        repo.registrar(inp.Opiniones(at=at(when), actor="imss", ciclo="2026-1", ronda=ronda,
                                     completo=True, resultados=(inp.Resultado(C, "negativa"),)))
        if ronda == 1:
            repo.registrar(inp.Exhorto(at=at("2026-01-29T10:00:00"), actor="gt",
                                       ciclo="2026-1", rfcs=(C,)))
    # Exhorto 29 Jan: 30 days from 30 Jan end Sat 28 Feb → Mon 2 Mar; D2 Tue 3 Mar. Five hábil
    # days from 4 Mar: 4, 5, 6, 9, 10 → D3 Wed 11 Mar.
    repo.registrar(inp.InicioCancelacion(at=at("2026-03-03T13:00:00"), actor="stps",
                                         ciclo="2026-1", rfcs=(C,)))
    repo.registrar(inp.Opiniones(at=at("2026-03-11T11:00:00"), actor="imss", ciclo="2026-1",
                                 ronda=3, completo=True,
                                 resultados=(inp.Resultado(C, "negativa"),)))
    repo.registrar(inp.CancelacionImpedida(at=at("2026-03-11T17:00:00"), actor="stps",
                                           ciclo="2026-1", rfcs=(C,), motivo="Amparo"))
    repo.registrar(inp.Padron(at=at("2026-07-27T09:00:00"), actor="stps", ciclo="2026-2",
                              contratistas=(inp.FilaPadron(C, "Empresa C", "F-2",
                                                           datetime(2024, 6, 1).date()),)))
    repo.registrar(inp.Cancelacion(at=at("2026-07-28T13:00:00"), actor="stps", ciclo="2026-1",
                                   rfcs=(C,)))
    v = repo.vista()
    assert v.estadisticas("2026-1").cancelados == 1
    e2 = v.estadisticas("2026-2")
    assert (e2.cancelados, e2.concluidos_sin_registro) == (0, 1)
    [step] = [s for s in v.historial(C) if s.evento == "registro_terminado"]
    assert (step.ciclo, step.hacia) == ("2026-2", "concluido_sin_registro")
    assert "cancelación en el expediente del ciclo 2026-1" in step.nota


def test_the_cause_of_a_cancellation_outside_the_cycle():
    base = ('{"tipo":"cancelacion_registro","at":"2026-08-10T11:00:00","actor":"stps",'
            f'"rfcs":["{B}"]')
    # An input recorded before the cause existed reads as «otra», its motivo the cause it gave;
    # encoded again it still has no «causa».
    entrada = inp.decode(base + ',"motivo":"No renovó"}')
    assert (entrada.causa, entrada.motivo) == ("otra", "No renovó")
    assert b'"causa"' not in inp.encode(entrada)
    assert inp.decode(base + ',"causa":"voluntaria"}').motivo == ""
    with pytest.raises(inp.InputError, match="la causa «otra» debe decir el motivo"):
        inp.decode(base + ',"causa":"otra"}')
    with pytest.raises(inp.InputError, match="la causa «otra» debe decir el motivo"):
        inp.decode(base + "}")
    with pytest.raises(inp.InputError, match="causa"):
        inp.decode(base + ',"causa":"quiebra","motivo":"x"}')


@pytest.mark.parametrize("clave", ["cancelado_tercera_consulta", "registro_vence_sin_renovar",
                                   "impedido_al_abrir_siguiente_ciclo",
                                   "cancelacion_voluntaria"])
def test_the_engine_records_the_cause_each_scenario_s_trace_states(tmp_path, clave):
    steps = entradas(ESCENARIOS[clave])
    path = tmp_path / f"{clave}.jsonl"
    path.write_text("".join(json.dumps(obj, ensure_ascii=False) + "\n" for _, obj in steps))
    historial = replay_repo(str(path), calendario=None).vista().historial(RFC)
    got = [f"    {s.nota.split(' Motivo:')[0]}" for s in historial
           if s.nota.startswith("Causa: ")]
    trace = [line for line in ejecutar(ESCENARIOS[clave]).lineas
             if line.startswith("    Causa: ")]
    assert got == trace and trace
