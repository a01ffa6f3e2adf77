"""The files the institutions must send: deterministic, in Spanish, matching the engine."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from repse.core import inputs as inp
from repse.core.api import Repositorio
from repse.core.exports import exportar
from repse.core.vista import Vista

from .test_engine import acto, at, opiniones, padron

RFCS = ["MAB9307148T4", "GODE561231GR8", "AEL7407151YA", "CAÑ8801014Y9", "BEA010101AB4"]


@pytest.fixture
def repo(tmp_path):
    empty = tmp_path / "vacio.toml"
    empty.write_text("")
    r = Repositorio.crear(tmp_path / "x.db", calendario=empty, simulacion=True)
    _a, b, c, d, e = RFCS
    r.registrar(padron("2026-01-26T09:00:00", "2026-1", *RFCS))
    r.registrar(opiniones("2026-01-26T17:00:00", "2026-1", 1, True,
                          **{b: "negativa", c: "sin_opinion", d: "negativa", e: "sin_opinion"}))
    r.registrar(acto(inp.Exhorto, "2026-01-29T10:00:00", "2026-1", b, c, d, e, actor="gt"))
    r.registrar(opiniones("2026-03-03T11:00:00", "2026-1", 2, True,
                          **{b: "negativa", d: "negativa", e: "sin_opinion"}))
    r.registrar(acto(inp.InicioCancelacion, "2026-03-03T13:00:00", "2026-1", b, d, e,
                     actor="stps"))
    r.registrar(opiniones("2026-03-11T11:00:00", "2026-1", 3, True,
                          **{b: "negativa", e: "sin_opinion"}))
    r.registrar(acto(inp.CancelacionImpedida, "2026-03-11T15:00:00", "2026-1", e,
                     actor="stps", motivo="suspensión provisional"))
    r.registrar(acto(inp.Cancelacion, "2026-03-11T16:00:00", "2026-1", b, actor="stps"))
    r.registrar(opiniones("2026-03-12T11:00:00", "2026-1", "diaria", **{e: "sin_opinion"}))
    yield r
    r.store.close()


def read_csv(path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.parametrize("ronda", [1, 2, 3, "diaria"])
def test_exports_are_deterministic_and_pinned(repo, tmp_path, snapshot, ronda):
    first = exportar(repo.vista(), "2026-1", tmp_path / "a", ronda=ronda)
    second = exportar(repo.vista(), "2026-1", tmp_path / "b", ronda=ronda)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    text = []
    for path in first:
        rel = path.relative_to(tmp_path / "a")
        if path.suffix == ".xlsx":
            rows = list(load_workbook(path).active.iter_rows(values_only=True))
            body = "\n".join(" | ".join(str(v) for v in row) for row in rows)
        else:
            body = path.read_bytes().decode("utf-8").lstrip("\ufeff").replace("\r\n", "\n")
        text.append(f"===== {rel} =====\n{body}")
    assert "\n".join(text) == snapshot


def test_the_exported_lists_match_the_states_the_engine_reports(repo, tmp_path):
    exportar(repo.vista(), "2026-1", tmp_path, ronda=3)
    listed = {row[0] for name in ("negativa", "sin_opinion")
              for row in read_csv(tmp_path / f"listado_ronda3_{name}.csv")[1:]}
    states = repo.vista().contratistas()
    after_round_3 = {rfc for rfc, s in states.items()
                     if s.estado in ("por_cancelar", "cancelado", "cancelacion_suspendida")}
    assert listed == after_round_3 == {RFCS[1], RFCS[4]}


def test_letters_carry_the_notification_date_given(repo, tmp_path):
    files = exportar(repo.vista(), "2026-1", tmp_path, ronda=1, notificacion=date(2026, 1, 28))
    letter = next(p for p in files if p.name == f"exhorto_{RFCS[3]}.md").read_text()
    assert "CAÑ8801014Y9" in letter
    assert "surte efectos el\n**28 de enero de 2026**" in letter
    assert "El plazo vence el **27 de febrero de 2026**." in letter
    assert len([p for p in files if p.parent.name == "exhortos"]) == 4


def test_the_round_in_course_is_the_latest_with_lists(repo, tmp_path):
    assert repo.vista().ronda_en_curso("2026-1") == "diaria"  # a cancellation was impeded
    past = Vista(repo.en_instante(at("2026-03-04T00:00:00")), congelado=True)
    assert past.ronda_en_curso("2026-1") == 2
