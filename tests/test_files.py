"""Loading an operator's file into a store: every refusal names the file, the row and the
reason, and nothing the operator loads is dropped — not even an unreadable file."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from repse.core.api import Repositorio
from repse.core.files import importar

from .test_engine import at


@pytest.fixture
def repo(tmp_path):
    r = Repositorio.crear(tmp_path / "f.db", simulacion=True)
    yield r
    r.store.close()


def test_reader_and_engine_refusals_come_together_with_file_and_row(repo, tmp_path):
    padron = tmp_path / "padron.csv"
    padron.write_text("RFC;Razón social;Folio;Fecha de registro\n"
                      "MAB9307148T4;Uno, S.A.;1;2024-06-01\n"
                      "XAXX010101000;Genérico;2;2024-06-01\n"
                      "GODE561231GR8;Dos;3;31/02/2024\n", encoding="latin-1")
    r = importar(repo, "padron", padron, ciclo="2026-1", at=at("2026-01-26T09:00:00"))
    assert r.aceptada and r.aceptadas == 1
    assert [(x.archivo, x.fila, x.rfc) for x in r.rechazos] == [
        ("padron.csv", 3, "XAXX010101000"), ("padron.csv", 4, "GODE561231GR8")]
    exhorto = tmp_path / "exhorto.csv"
    exhorto.write_text("RFC\nMAB9307148T4\n")
    r = importar(repo, "exhorto", exhorto, ciclo="2026-1", at=at("2026-01-29T09:00:00"))
    [refused] = r.rechazos  # the engine's refusal of a row still names file and row
    assert (refused.archivo, refused.fila) == ("exhorto.csv", 2)
    assert "«En consulta»" in refused.motivo
    stored = {(x.linea, x.archivo, x.fila) for x in repo.rechazos()}
    assert {(2, "padron.csv", 3), (2, "padron.csv", 4), (3, "exhorto.csv", 2)} <= stored


def test_a_whole_refusal_and_an_unreadable_file_are_recorded_with_the_file(repo, tmp_path):
    ronda = tmp_path / "ronda1.csv"
    ronda.write_text("RFC,Opinión\nMAB9307148T4,Negativa\n")
    r = importar(repo, "opiniones", ronda, ciclo="2026-1", ronda=1,
                 at=at("2026-01-26T17:00:00"))
    assert not r.aceptada and "el ciclo 2026-1 no se ha abierto" in r.motivo
    roto = tmp_path / "roto.xlsx"
    roto.write_bytes(b"PK\x03\x04roto")
    r = importar(repo, "padron", roto, ciclo="2026-1", at=at("2026-01-26T18:00:00"))
    assert not r.aceptada and r.motivo.startswith("roto.xlsx: no es un libro XLSX legible")
    refused = {(x.tipo, x.archivo) for x in repo.rechazos() if x.rfc is None}
    assert refused == {("opiniones", "ronda1.csv"), ("padron", "roto.xlsx")}


@pytest.mark.parametrize(("cuando", "ciclo", "motivo"), [
    (datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-12))), "2026-1",
     "padron.csv: «at»: fecha fuera del intervalo admitido"),
    (datetime(2026, 1, 26, 9), "0000-1", "padron.csv: ciclo no válido «0000-1»"),
])
def test_an_import_at_an_absurd_moment_or_cycle_is_recorded_as_refused(repo, tmp_path, cuando,
                                                                       ciclo, motivo):
    padron = tmp_path / "padron.csv"
    padron.write_text("RFC;Razón social;Folio;Fecha de registro\n"
                      "MAB9307148T4;Uno, S.A.;1;2024-06-01\n")
    r = importar(repo, "padron", padron, ciclo=ciclo, at=cuando)
    assert not r.aceptada and r.motivo.startswith(motivo)
    assert any(x.linea == r.numero and x.archivo == "padron.csv" for x in repo.rechazos())
