"""The read model: what a screen reads stays as it was handed out, and answers by RFC."""

from __future__ import annotations

import pytest

from repse.core import inputs as inp
from repse.core.api import Repositorio

from .test_engine import A, B, C, at, opiniones, padron


@pytest.fixture
def repo(tmp_path):
    empty = tmp_path / "vacio.toml"
    empty.write_text("")
    r = Repositorio.crear(tmp_path / "r.db", calendario=empty, simulacion=True)
    r.registrar(padron("2026-01-26T09:00:00", "2026-1", A, B, C))
    yield r
    r.store.close()


def test_a_vista_handed_out_does_not_change_when_the_next_input_is_applied(repo):
    vista = repo.vista()
    antes = (vista.conteos("2026-1"), vista.estado(B), vista.agenda(), vista.historial(B))
    repo.registrar(opiniones("2026-01-26T17:00:00", "2026-1", 1, True, **{B: "negativa"}))
    assert (vista.conteos("2026-1"), vista.estado(B), vista.agenda(),
            vista.historial(B)) == antes
    assert vista.estado(B).estado == "en_consulta"
    assert repo.vista().estado(B).estado == "senalado"


def test_the_search_finds_a_name_a_later_padron_changed(repo):
    assert len(repo.vista().filtrar(texto=f"empresa {B}")) == 1  # the index is built
    repo.registrar(opiniones("2026-01-26T17:00:00", "2026-1", 1, True, **{B: "negativa"}))
    vista = repo.vista()  # no name changed: the same rows
    assert [vista.rfc(k) for k in vista.filtrar(texto="empresa")] == [A, B, C]
    renamed = inp.Padron(at=at("2026-07-27T09:00:00"), actor="stps", ciclo="2026-2",
                         contratistas=(inp.FilaPadron(B, "Nueva Razón S.A.", "F-1",
                                                      at("2024-06-01T00:00:00").date()),))
    assert repo.registrar(renamed).aceptada
    vista = repo.vista()
    assert [vista.rfc(k) for k in vista.filtrar(texto="nueva razón")] == [B]
    assert vista.contratista(B).razon_social == "Nueva Razón S.A."


def test_one_contractors_file_by_rfc(repo):
    repo.registrar(opiniones("2026-01-26T17:00:00", "2026-1", 1, True, **{B: "negativa"}))
    ficha = repo.vista().ficha(B.lower())
    assert (ficha.rfc, ficha.registro) == (B, "registro_vigente")
    [exp] = ficha.expedientes
    assert (exp.ciclo, exp.estado, exp.opinion) == ("2026-1", "senalado", "negativa")
    assert ("exhorto_notificado", "exhorto") in exp.admite
    assert [p.evento for p in ficha.historial if p.carta == "expediente"] == [
        "padron_recibido", "opinion_negativa"]
    assert ficha.recorrido == ("registrado", "en_consulta", "senalado")
    assert repo.vista().ficha("XAXX010101000") is None
