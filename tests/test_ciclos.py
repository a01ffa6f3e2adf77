"""Cycles that overlap (issue 11, points 4 and 5): a cancellation impeded in 2026-1 stays
visible and owed while 2026-2 runs; a later cycle's opinion is the earlier procedure's daily
update (policy ``opinion_actualiza_suspendidos``); obligations count their universe and a
breach stays in the agenda.

Dates, base calendar only (no closures), computed by hand:
- 2026-1: D0 Mon 26 Jan. Exhorto notified Wed 28 Jan → 30 natural days 29 Jan … 27 Feb (a
  Friday) → D2 Mon 2 Mar. Cancellation notified 2 Mar → 5 STPS hábil days 3, 4, 5, 6, 9 Mar →
  D3 Tue 10 Mar; impeded that day, so the daily update is owed from Wed 11 Mar.
- 2026-2: D0 Mon 27 Jul. A round-1 negativa that day → exhorto within 3 joint hábil days:
  28, 29, 30 Jul → due Thu 30 Jul 23:59.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from repse.core import inputs as inp
from repse.core.api import Repositorio
from repse.core.calendars import Politicas
from repse.core.vista import ExpedienteCiclo
from repse.tui.cli import main

from .test_engine import A, B, C, acto, at, opiniones, padron


def _repo(tmp_path, *entradas: inp.Entrada) -> Repositorio:
    empty = tmp_path / "vacio.toml"
    empty.write_text("")
    repo = Repositorio.crear(tmp_path / "r.db", calendario=empty, simulacion=True)
    for entrada in entradas:
        r = repo.registrar(entrada)
        assert r.aceptada and not r.rechazos, r
    return repo


def entradas_dos_ciclos() -> list[inp.Entrada]:
    """B and C negativa all the way in 2026-1 and STPS cannot cancel them on D3; then 2026-2
    opens with A and B (C is not in its padrón), both positiva in round 1 (the last input)."""
    return [
        padron("2026-01-26T09:00:00", "2026-1", A, B, C),
        *impedidos_2026_1(B, C),
        opiniones("2026-03-11T11:00:00", "2026-1", "diaria", **{B: "negativa", C: "negativa"}),
        padron("2026-07-27T09:00:00", "2026-2", A, B),
        opiniones("2026-07-27T17:00:00", "2026-2", 1, **{A: "positiva", B: "positiva"}),
    ]


def impedidos_2026_1(*rfcs: str) -> list[inp.Entrada]:
    """From round 1 of 2026-1 to D3: ``rfcs`` negativa all the way, and STPS cannot cancel
    them (the dates of this module's docstring)."""
    negativas = dict.fromkeys(rfcs, "negativa")
    return [
        opiniones("2026-01-26T17:00:00", "2026-1", 1, True, **negativas),
        acto(inp.Exhorto, "2026-01-28T10:00:00", "2026-1", *rfcs, actor="gt"),
        opiniones("2026-03-02T11:00:00", "2026-1", 2, True, **negativas),
        acto(inp.InicioCancelacion, "2026-03-02T12:00:00", "2026-1", *rfcs, actor="stps"),
        opiniones("2026-03-10T11:00:00", "2026-1", 3, True, **negativas),
        acto(inp.CancelacionImpedida, "2026-03-10T15:00:00", "2026-1", *rfcs, actor="stps",
             motivo="Amparo en trámite"),
    ]


def politica_apagada() -> inp.CalendarioVigente:
    return inp.CalendarioVigente(at=at("2026-01-05T09:00:00"), actor="gt",
                                 politicas=Politicas(opinion_actualiza_suspendidos=False))


def _dos_ciclos(tmp_path, *antes: inp.Entrada) -> tuple[Repositorio, int]:
    """The two cycles; B's headline is 2026-2's. Returns the round-1 input's number."""
    repo = _repo(tmp_path, *antes, *entradas_dos_ciclos())
    st = repo.vista().estado(B)
    assert (st.estado, st.ciclo) == ("al_corriente", "2026-2")
    return repo, repo.vista().ancla.numero


def _diarias(repo: Repositorio, ciclo: str = "2026-1") -> dict[date, tuple[str, int]]:
    return {o.limite.date(): (o.estado, o.contratistas) for o in repo.vista().agenda(ciclo)
            if o.clave == "actualizacion_diaria"}


def test_a_later_cycles_round_1_positiva_regularizes_the_suspended_procedure(tmp_path):
    repo, numero = _dos_ciclos(tmp_path)
    vista = repo.vista()
    assert vista.estado(B).expedientes == (ExpedienteCiclo("2026-1", "regularizado"),
                                           ExpedienteCiclo("2026-2", "al_corriente"))
    # The one input is cited in both procedures' histories.
    cited = [(p.ciclo, p.desde, p.hacia) for p in vista.historial(B) if p.entrada == numero]
    assert cited == [("2026-2", "en_consulta", "al_corriente"),
                     ("2026-1", "cancelacion_suspendida", "regularizado")]
    [paso] = [p for p in vista.historial(B) if p.entrada == numero and p.ciclo == "2026-1"]
    assert paso.at == at("2026-07-27T17:00:00") and paso.evento == "opinion_positiva"
    assert "ronda 1 del ciclo 2026-2" in paso.nota
    assert vista.estadisticas("2026-1").regularizados_diaria == 1
    # Nothing of an earlier cycle is open any more: no mark.
    assert not vista.fila(vista.posicion(B)).anterior_abierto
    assert len(vista.filtrar(anterior_abierto=True)) == 0
    # The daily update of 2026-1 was owed for B and C on 27 Jul (the round-1 opinion reached
    # only B, so it is not that day's deposit); from 28 Jul only C is left.
    diarias = _diarias(repo)
    assert diarias[date(2026, 3, 11)] == ("cumplida", 2)
    assert diarias[date(2026, 7, 27)] == ("vencida", 2)
    assert diarias[date(2026, 7, 28)] == ("pendiente", 1)
    repo.store.close()


def test_a_later_cycles_opinion_that_reaches_the_whole_universe_is_its_daily_deposit(tmp_path):
    entradas = entradas_dos_ciclos()
    # C regularized by the daily update of Thu 12 Mar: from Fri 13 Mar the universe is B alone.
    entradas.insert(8, opiniones("2026-03-12T11:00:00", "2026-1", "diaria",
                                 **{B: "negativa", C: "positiva"}))
    repo = _repo(tmp_path, *entradas)
    repo.avanzar(at("2026-08-10T09:00:00"))
    diarias = {o.limite.date(): (o.estado, o.contratistas, o.cumplida_en)
               for o in repo.vista().agenda("2026-1") if o.clave == "actualizacion_diaria"}
    assert diarias[date(2026, 3, 12)] == ("cumplida", 2, at("2026-03-12T11:00:00"))
    assert diarias[date(2026, 3, 13)] == ("vencida", 1, None)
    # Round 1 of 2026-2 (Mon 27 Jul, 17:00) reached B, the whole universe: the day's update,
    # after its 12:00 cut-off; then nothing more is owed.
    assert diarias[date(2026, 7, 27)] == ("extemporanea", 1, at("2026-07-27T17:00:00"))
    assert max(diarias) == date(2026, 7, 27)
    repo.store.close()


def test_with_the_policy_off_the_earlier_procedure_stays_suspended_and_owed(tmp_path):
    repo, numero = _dos_ciclos(tmp_path, politica_apagada())
    vista = repo.vista()
    assert vista.estado(B).expedientes == (
        ExpedienteCiclo("2026-1", "cancelacion_suspendida"),
        ExpedienteCiclo("2026-2", "al_corriente"))
    assert [p.ciclo for p in vista.historial(B) if p.entrada == numero] == ["2026-2"]
    # B is marked in the padrón (its headline is 2026-2's) and found by the filter; C's
    # headline is its only procedure, 2026-1's, so it carries no mark.
    assert vista.fila(vista.posicion(B)).anterior_abierto
    assert not vista.fila(vista.posicion(C)).anterior_abierto
    assert [vista.rfc(k) for k in vista.filtrar(anterior_abierto=True)] == [B]
    assert [vista.rfc(k) for k in vista.filtrar(anterior_abierto=True, estado="en_consulta")
            ] == []
    diarias = _diarias(repo)
    assert diarias[date(2026, 7, 27)] == ("vencida", 2)
    assert diarias[date(2026, 7, 28)] == ("pendiente", 2)
    repo.store.close()


def test_repse_estado_and_replay_json_list_every_cycle(tmp_path, capsys):
    repo, _ = _dos_ciclos(tmp_path, politica_apagada())
    repo.cerrar()
    db = str(tmp_path / "r.db")
    assert main(["estado", db, "--json"]) == 0
    state = json.loads(capsys.readouterr().out)["contratistas"]
    assert (state[B]["estado"], state[B]["ciclo"]) == ("al_corriente", "2026-2")
    assert state[B]["expedientes"] == [{"ciclo": "2026-1", "estado": "cancelacion_suspendida"},
                                       {"ciclo": "2026-2", "estado": "al_corriente"}]
    assert state[C]["expedientes"] == [{"ciclo": "2026-1", "estado": "cancelacion_suspendida"}]
    # The same inputs replayed in memory print the same procedures.
    jsonl = tmp_path / "entradas.jsonl"
    jsonl.write_bytes(b"".join(inp.encode(e) + b"\n"
                               for e in (politica_apagada(), *entradas_dos_ciclos())))
    assert main(["replay", str(jsonl), "--json"]) == 0
    replayed = json.loads(capsys.readouterr().out)["contratistas"]
    assert {r: replayed[r]["expedientes"] for r in (B, C)} == {
        r: state[r]["expedientes"] for r in (B, C)}
    assert main(["historial", db, B]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any("Cancelación impedida" in x and "2026-1" in x for x in lines)
    assert any("Opinión positiva" in x and "2026-2" in x for x in lines)
    assert main(["estado", db, B]) == 0
    out = capsys.readouterr().out
    assert "  Expediente: Al corriente (ciclo 2026-2)\n" in out
    assert "  Expediente del ciclo 2026-1: Cancelación suspendida — sigue abierto\n" in out


def test_the_daily_update_stops_when_the_universe_empties_however_it_empties(tmp_path):
    repo, _ = _dos_ciclos(tmp_path)  # B regularized on Mon 27 Jul
    # C's registration is cancelled outside the cycle on Wed 29 Jul at 10:00: its procedure
    # ends without any daily opinion, and nothing is owed after that day.
    r = repo.registrar(inp.CancelacionRegistro(at=at("2026-07-29T10:00:00"), actor="stps",
                                               rfcs=(C,), motivo="No renovó"))
    assert r.aceptada and not r.rechazos
    repo.avanzar(at("2026-08-14T09:00:00"))
    diarias = _diarias(repo)
    assert max(diarias) == date(2026, 7, 29)
    assert diarias[date(2026, 7, 28)] == ("vencida", 1)
    assert diarias[date(2026, 7, 29)] == ("vencida", 1)
    assert all(n > 0 for _, n in diarias.values())
    # 11 Mar … 29 Jul, hábil days only: never a weekend nor 16 Mar (third Monday) or 1 May.
    assert not {date(2026, 3, 14), date(2026, 3, 16), date(2026, 5, 1)} & set(diarias)
    repo.store.close()


@pytest.mark.parametrize(("fin", "queda"), [("2026-08-05T10:00:00", True),
                                             ("2026-07-29T10:00:00", False)])
def test_a_missed_exhorto_stays_overdue_after_its_procedure_ends(tmp_path, fin, queda):
    """Ended after the exhorto's cut-off (Thu 30 Jul 23:59): the breach stays. Ended before
    it: the exhorto was no longer owed."""
    repo = _repo(tmp_path, padron("2026-07-27T09:00:00", "2026-2", A, B),
                 opiniones("2026-07-27T17:00:00", "2026-2", 1, True, **{B: "negativa"}),
                 inp.CancelacionRegistro(at=at(fin), actor="stps", rfcs=(B,),
                                         motivo="Cancelado a petición propia"))
    repo.avanzar(at("2026-08-10T09:00:00"))
    vista = repo.vista()
    assert vista.estado(B).estado not in ("senalado", None)
    exhortos = [(o.limite, o.estado, o.contratistas, o.pendientes)
                for o in vista.agenda("2026-2") if o.clave == "exhorto"]
    assert exhortos == ([(at("2026-07-30T23:59:59"), "vencida", 1, 1)] if queda else [])
    repo.store.close()


def test_the_padron_obligation_counts_the_padrons_rows(tmp_path):
    repo = _repo(tmp_path, padron("2026-01-26T09:00:00", "2026-1", A, B, C))
    [o] = [o for o in repo.vista().agenda() if o.clave == "padron"]
    assert (o.estado, o.contratistas, o.pendientes) == ("cumplida", 3, 0)
    repo.store.close()
