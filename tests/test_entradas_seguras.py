"""Inputs that cannot wreck a record (issue 11, point 6): a padrón dated far from its cycle's
D0 is refused; an input of which not one row applies is refused whole and moves nothing, the
clock included, with every row's reason kept; an input can be marked retroactive from
``repse importar`` and tried first through the API (``Repositorio.ensayar``)."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from repse.core import inputs as inp
from repse.core.api import Repositorio
from repse.core.instantanea import dump
from repse.core.plazos import MX
from repse.tui.cli import main
from tests import test_servidor

RFCS = ("MAB9307148T4", "GODE561231GR8", "EES070422UV1")


def at(texto: str) -> datetime:
    return datetime.fromisoformat(texto).replace(tzinfo=MX)


def padron(ciclo: str, cuando: str, registro: str = "2025-01-01") -> inp.Padron:
    return inp.Padron(at=at(cuando), actor="stps", ciclo=ciclo, contratistas=tuple(
        inp.FilaPadron(rfc=r, razon_social=f"EMPRESA {k}", folio=str(k),
                       fecha_registro=datetime.fromisoformat(registro).date())
        for k, r in enumerate(RFCS)))


@pytest.fixture
def repo(tmp_path):
    """A simulation store on the bundled calendar (its closures leave January and July 2026
    alone; 2 February 2026 is the first Monday of February, a rest day: LFT art. 74, fr. II)."""
    r = Repositorio.crear(tmp_path / "r.db", simulacion=True)
    yield r
    r.cerrar()


# --- a padrón dated far from D0 ------------------------------------------------------------
# 2026-1: D0 is the last Monday of January, 26-01-2026. Five hábil days before: 23, 22, 21, 20,
# 19 January; five after: 27, 28, 29, 30 January and (2 February being a rest day) 3 February.
@pytest.mark.parametrize("cuando", ["2026-01-19T09:00", "2026-01-26T09:00",
                                    "2026-02-03T18:00"])
def test_a_padron_within_five_habil_days_of_d0_opens_its_cycle(repo, cuando):
    r = repo.registrar(padron("2026-1", cuando))
    assert r.aceptada and r.aceptadas == 3


@pytest.mark.parametrize("cuando, dia", [("2026-01-16T09:00", "16-01-2026"),
                                         ("2026-02-04T09:00", "04-02-2026")])
def test_a_padron_dated_more_than_five_habil_days_from_d0_is_refused(repo, cuando, dia):
    r = repo.registrar(padron("2026-1", cuando))
    assert not r.aceptada
    assert dia in r.motivo and "26-01-2026" in r.motivo
    assert "19-01-2026" in r.motivo and "03-02-2026" in r.motivo


def test_a_padron_for_july_dated_in_january_does_not_open_the_july_cycle(repo):
    reloj = repo.vista().reloj
    r = repo.registrar(padron("2026-2", "2026-01-26T09:00"))
    # 2026-2: D0 is the last Monday of July, 27-07-2026.
    assert not r.aceptada
    assert "26-01-2026" in r.motivo and "27-07-2026" in r.motivo
    assert repo.vista().reloj == reloj
    assert "2026-2" not in repo.engine.ciclos


# --- not one row applies -------------------------------------------------------------------
def test_a_padron_whose_every_row_is_refused_moves_nothing_not_even_the_clock(repo, tmp_path,
                                                                              capsys):
    assert repo.registrar(padron("2026-1", "2026-01-26T09:00")).aceptada
    # 2030-1: D0 is Monday 28-01-2030, so the date passes; but every registration, granted on
    # 01-01-2025, ended on 01-01-2028: every row is refused.
    r = repo.registrar(padron("2030-1", "2030-01-28T09:00"))
    assert not r.aceptada
    assert "ninguna de sus 3 filas procede" in r.motivo
    assert sorted(x.rfc for x in r.rechazos) == sorted(RFCS)
    assert all("vigencia de tres años terminó" in x.motivo for x in r.rechazos)
    # The clock stays where the 2026 padrón left it: no registration expired four years on.
    assert repo.vista().reloj == at("2026-01-26T09:00")
    assert list(repo.engine.ciclos) == ["2026-1"]
    estado = repo.estado()
    assert {c.registro for c in estado.contratistas.values()} == {"registro_vigente"}
    repo.guardar_instantanea()
    # Reopened, the refused input keeps its rows' reasons: ``repse rechazos`` shows them.
    reabierto = Repositorio.abrir(tmp_path / "r.db")
    filas = [x for x in reabierto.rechazos() if x.linea == r.numero and x.rfc]
    assert sorted(x.rfc for x in filas) == sorted(RFCS)
    assert reabierto.vista().reloj == at("2026-01-26T09:00")
    reabierto.cerrar()
    capsys.readouterr()
    assert main(["rechazos", str(tmp_path / "r.db")]) == 0
    out = capsys.readouterr().out
    assert all(f"entrada {r.numero} (padrón): {rfc}: la vigencia" in out for rfc in RFCS)
    assert main(["entradas", str(tmp_path / "r.db"), "--json"]) == 0
    entrada = json.loads(capsys.readouterr().out)[-1]
    assert (entrada["numero"], entrada["aceptada"], entrada["rechazadas"]) == (r.numero, False, 3)


def test_an_act_whose_every_rfc_is_refused_or_that_names_nobody_moves_nothing(repo, tmp_path):
    assert repo.registrar(padron("2026-1", "2026-01-26T09:00")).aceptada
    exhorto = inp.acto("exhorto", ciclo="2026-1", rfcs=("BEA010101AB4",),
                       at=at("2026-01-27T10:00"))
    r = repo.registrar(exhorto)
    assert not r.aceptada and "su única fila no procede" in r.motivo
    assert [x.rfc for x in r.rechazos] == ["BEA010101AB4"]
    vacio = inp.acto("exhorto", ciclo="2026-1", rfcs=(), at=at("2026-01-27T10:00"))
    r = repo.registrar(vacio)
    assert not r.aceptada and "no nombra a ningún contratista" in r.motivo
    assert repo.vista().reloj == at("2026-01-26T09:00")
    # Undone in memory exactly as the log has it (a replay of the store from its first input).
    assert dump(repo.engine) == dump(Repositorio.abrir(tmp_path / "r.db").engine)
    # Inputs without rows still apply: the clock, and an empty partial list (IMSS has nobody
    # to report).
    vacia = inp.Opiniones(at=at("2026-01-26T18:00"), actor="imss", ciclo="2026-1", ronda=1,
                          resultados=())
    assert repo.registrar(vacia).aceptada
    assert repo.avanzar(at("2026-01-27T00:00")).aceptada
    assert repo.vista().reloj == at("2026-01-27T00:00")


# --- retroactive, tried first ----------------------------------------------------------------
RONDA1 = f"rfc,opinion\r\n{RFCS[0]},negativa\r\n{RFCS[1]},sin_opinion\r\n"


def test_importar_marks_an_input_retroactive(tmp_path, capsys):
    db = str(tmp_path / "r.db")
    assert main(["init", db, "--simulacion"]) == 0
    repo = Repositorio.abrir(db)
    assert repo.registrar(padron("2026-1", "2026-01-26T09:00")).aceptada
    repo.cerrar()
    assert main(["avanzar", db, "--hasta", "2026-01-28T09:00"]) == 0
    (tmp_path / "r1.csv").write_text(RONDA1, encoding="utf-8")
    orden = ["importar", "opiniones", db, str(tmp_path / "r1.csv"), "--ciclo", "2026-1",
             "--ronda", "1", "--at", "2026-01-26T18:00", "--actor", "imss"]
    capsys.readouterr()
    assert main(orden) == 1
    assert "«retroactivo»" in capsys.readouterr().out
    assert main([*orden, "--retroactivo"]) == 0
    out = capsys.readouterr().out
    assert "aceptada — 2 filas aceptadas" in out and "Cambios por recálculo: 2 contratistas" in out


def test_importar_a_file_whose_every_row_is_refused_records_it_refused_with_each_reason(
        tmp_path, capsys):
    db = str(tmp_path / "r.db")
    assert main(["init", db, "--simulacion"]) == 0
    repo = Repositorio.abrir(db)
    assert repo.registrar(padron("2026-1", "2026-01-26T09:00")).aceptada
    repo.cerrar()
    # One row the reader refuses (not an RFC), one the engine refuses (in no padrón).
    (tmp_path / "r1.csv").write_text("rfc,opinion\r\nNO ES UN RFC,negativa\r\n"
                                     "BEA010101AB4,negativa\r\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["importar", "opiniones", db, str(tmp_path / "r1.csv"), "--ciclo", "2026-1",
                 "--ronda", "1", "--at", "2026-01-27T18:00", "--actor", "imss"]) == 1
    out = capsys.readouterr().out
    assert "RECHAZADA — ninguna de sus 2 filas procede" in out
    assert "BEA010101AB4: RFC desconocido" in out and "fila 2" in out
    repo = Repositorio.abrir(db)
    assert repo.vista().reloj == at("2026-01-26T09:00")
    assert len([x for x in repo.rechazos() if x.linea == 3]) == 3  # the input and its rows
    repo.cerrar()


def test_ensayar_answers_like_registrar_and_records_nothing(repo):
    assert repo.registrar(padron("2026-1", "2026-01-26T09:00")).aceptada
    assert repo.avanzar(at("2026-01-28T09:00")).aceptada
    opiniones = inp.Opiniones(
        at=at("2026-01-26T18:00"), actor="imss", ciclo="2026-1", ronda=1, completo=True,
        resultados=(inp.Resultado(rfc=RFCS[0], opinion="negativa"),), retroactivo=True)
    antes, reloj = repo.store.last(), repo.vista().reloj
    estados = {k: c.estado for k, c in repo.estado().contratistas.items()}
    ensayo = repo.ensayar(opiniones)
    assert ensayo.aceptada and ensayo.aceptadas == 1 and ensayo.numero == antes[0] + 1
    # Negativa: señalado; the two absent from a complete list: positiva, al corriente.
    assert {(c.rfc, c.despues) for c in ensayo.cambios} == {
        (RFCS[0], "senalado"), (RFCS[1], "al_corriente"), (RFCS[2], "al_corriente")}
    assert repo.store.last() == antes and repo.vista().reloj == reloj
    assert {k: c.estado for k, c in repo.estado().contratistas.items()} == estados
    r = repo.registrar(opiniones)
    assert (r.numero, r.aceptadas, r.cambios) == (ensayo.numero, 1, ensayo.cambios)
    # A refused input is tried the same way: its reason, and nothing recorded.
    tarde = repo.ensayar(padron("2026-2", "2026-01-28T10:00"))
    assert not tarde.aceptada and "27-07-2026" in tarde.motivo
    assert repo.store.last()[0] == r.numero


# --- on both engines: a SQLite file and a PostgreSQL server ---------------------------------
almacen, servidor = test_servidor.almacen, test_servidor.servidor


def test_a_trial_records_nothing_and_a_refused_input_keeps_its_rows_on_both_engines(almacen):
    repo = Repositorio.abrir(almacen.como("beto"))  # STPS and GT
    try:
        filas = almacen.filas()
        ensayo = repo.ensayar(padron("2026-1", "2026-01-26T09:00"))
        assert ensayo.aceptada and ensayo.aceptadas == 3
        assert almacen.filas() == filas
        assert repo.registrar(padron("2026-1", "2026-01-26T09:00")).aceptadas == 3
        exhorto = inp.acto("exhorto", ciclo="2026-1", rfcs=("BEA010101AB4",),
                           at=at("2026-01-27T10:00"))
        assert [x.rfc for x in repo.ensayar(exhorto).rechazos] == ["BEA010101AB4"]
        r = repo.registrar(exhorto)
        assert not r.aceptada and [x.rfc for x in r.rechazos] == ["BEA010101AB4"]
    finally:
        repo.cerrar()
    assert [f[:2] for f in almacen.filas()[len(filas):]] == [
        (r.numero - 1, "aceptada"), (r.numero, "rechazada")]
    lectura = Repositorio.abrir(almacen.como("lola"))  # a reading login sees the row's reason
    try:
        [fila] = [x for x in lectura.rechazos() if x.linea == r.numero and x.rfc]
        assert fila.motivo == "RFC desconocido: no está en ningún padrón recibido"
        assert lectura.vista().reloj == at("2026-01-26T09:00")
    finally:
        lectura.store.close()
