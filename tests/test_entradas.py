"""The log, readable (``repse entradas``), and history anchored on paper (``repse verificar
--ancla``), on SQLite and on PostgreSQL (issue 12, points 4 and 5)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, timedelta

import pytest

from repse.core.store import abrir_almacen, chain_hash
from repse.tui.cli import main
from tests import test_servidor
from tests.test_servidor import OPINIONES, PADRON, RFCS, jsonl

# The fixtures of a store on each engine: a SQLite file, a database on a throw-away server.
almacen, servidor = test_servidor.almacen, test_servidor.servidor

# Round 1 of cycle 2026-1: the IMSS's list of Monday 2 February 2026 (tests/test_servidor.py).
RONDA1 = ("RFC,Opinión\r\n"
          f"{RFCS[0]},Negativa\r\n"
          f"{RFCS[1]},Sin opinión\r\n"
          "BEA010101AB4,Negativa\r\n"  # well formed, in no padrón: the engine refuses it
          "NO ES UN RFC,Negativa\r\n")  # the reader refuses it (stored with the input)


def listar(destino: str, capsys) -> dict[int, dict]:
    capsys.readouterr()
    assert main(["entradas", destino, "--json"]) == 0
    return {e["numero"]: e for e in json.loads(capsys.readouterr().out)}


def registrar(destino: str, tmp_path, nombre: str, *entradas: dict) -> None:
    main(["registrar", destino, jsonl(tmp_path / f"{nombre}.jsonl", *entradas)])


def anulacion(entrada: int, actor: str, usuario: str, at: str) -> dict:
    return {"tipo": "anulacion", "at": at, "actor": actor, "usuario": usuario,
            "entrada": entrada, "motivo": "lista equivocada"}


@pytest.fixture
def ciclo(almacen, tmp_path, capsys):
    """The padrón (STPS), the IMSS's round-1 list read from a file with a bad row, and an
    opinions list the STPS tries to record: refused."""
    a = almacen
    registrar(a.como("beto"), tmp_path, "padron", {**PADRON, "usuario": "beto",
                                                   "archivo": "padron.csv"})
    (tmp_path / "ronda1.csv").write_text(RONDA1, encoding="utf-8")
    main(["importar", "opiniones", a.como("ana"), str(tmp_path / "ronda1.csv"), "--ciclo",
          "2026-1", "--ronda", "1", "--at", "2026-02-02T10:00", "--actor", "imss",
          "--usuario", "Director General de Incorporación"])
    registrar(a.como("beto"), tmp_path, "stps", {**OPINIONES, "actor": "stps",
                                                 "usuario": "beto", "ronda": 2})
    capsys.readouterr()
    return a


def test_the_log_lists_every_input_who_recorded_it_what_it_did_and_its_hash(ciclo, tmp_path,
                                                                            capsys):
    a = ciclo
    log = listar(a.como("lola"), capsys)  # a reading login may list it
    assert list(log) == [1, 2, 3, 4]
    padron, ronda1, refused = log[2], log[3], log[4]
    assert {k: padron[k] for k in ("tipo", "ciclo", "at", "actor", "usuario", "aceptada",
                                   "aceptadas", "rechazadas", "anulada", "archivo")} == {
        "tipo": "padron", "ciclo": "2026-1", "at": "2026-01-26T09:00:00-06:00",
        "actor": "stps", "usuario": "beto", "aceptada": True, "aceptadas": 3,
        "rechazadas": 0, "anulada": None, "archivo": "padron.csv"}
    # Two rows applied; one refused by the engine (no padrón has it), one by the reader.
    assert (ronda1["tipo"], ronda1["aceptadas"], ronda1["rechazadas"], ronda1["archivo"]) == (
        "opiniones", 2, 2, "ronda1.csv")
    # On a server the login that recorded it, whatever the input said; a file keeps the text.
    assert ronda1["usuario"] == ("ana" if a.pg else "Director General de Incorporación")
    assert (refused["tipo"], refused["actor"], refused["usuario"], refused["aceptada"],
            refused["aceptadas"]) == ("opiniones", "stps", "beto", False, 0)
    # Each hash is the one the chain holds.
    store = abrir_almacen(a.destino)
    try:
        assert [e["hash"] for e in log.values()] == [f.hash for f in store.filas()]
    finally:
        store.close()


def test_an_annulled_input_names_its_annulment_and_an_annulled_annulment_restores_it(
        ciclo, tmp_path, capsys):
    a = ciclo
    registrar(a.como("ana"), tmp_path, "anula3",
              anulacion(3, "imss", "ana", "2026-02-03T09:00:00"))
    log = listar(a.como("lola"), capsys)
    # The list no longer applies: no row of it counts, only the reader's refusal stays.
    assert (log[3]["anulada"], log[3]["aceptadas"], log[3]["rechazadas"]) == (5, 0, 1)
    assert (log[5]["tipo"], log[5]["aceptadas"], log[5]["anulada"]) == ("anulacion", 1, None)
    registrar(a.como("beto"), tmp_path, "anula5",
              anulacion(5, "gt", "beto", "2026-02-03T10:00:00"))
    log = listar(a.como("lola"), capsys)
    assert (log[3]["anulada"], log[3]["aceptadas"], log[3]["rechazadas"]) == (None, 2, 2)
    assert (log[5]["anulada"], log[5]["aceptadas"]) == (6, 0)


def test_the_listing_reads_in_spanish_with_thousands_separators(almacen, tmp_path, capsys):
    a = almacen
    dias = [date(2000, 1, 1) + timedelta(days=k) for k in range(1_200)]
    padron = {**PADRON, "usuario": "beto", "contratistas": [
        {"rfc": f"ABC{d:%y%m%d}AB{k % 10}", "razon_social": f"EMPRESA {k}", "folio": str(k),
         "fecha_registro": "2025-01-01"} for k, d in enumerate(dias)]}
    registrar(a.como("beto"), tmp_path, "padron", padron)
    capsys.readouterr()
    assert main(["entradas", a.como("lola")]) == 0
    head, *rows, total = capsys.readouterr().out.splitlines()
    assert head.split() == ["Núm.", "Tipo", "Ciclo", "Fecha", "Actor", "Usuario", "Aceptada",
                            "Aceptadas", "Rechazadas", "Anulada", "por", "Archivo", "Hash"]
    cells = rows[1].split()
    assert cells[:8] == ["2", "padrón", "2026-1", "26-01-2026", "09:00", "STPS", "beto", "sí"]
    assert cells[8:10] == ["1,200", "0"]
    assert total == "2 entradas: 2 aceptadas (0 anuladas), 0 rechazadas."


# --- anchored history ---------------------------------------------------------------------
def ancla_del_listado(carpeta) -> str:
    """The anchor a person reads at the top of an exported list."""
    text = (carpeta / "listado_ronda1_negativa.csv").read_text(encoding="utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    [ancla] = re.findall(r"\b\d+:[0-9a-f]{64}\b", header[-1])
    return ancla


def sin_proteccion(a) -> None:
    """What only an administrator can do: remove the triggers that keep the log append-only."""
    if a.pg:
        a.sql("ALTER TABLE repse.entradas DISABLE TRIGGER USER")
    else:
        a.sql("DROP TRIGGER entradas_sin_cambios; DROP TRIGGER entradas_sin_borrar")


def verificar(destino: str, capsys, *anclas: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["verificar", destino, *(x for an in anclas for x in ("--ancla", an))])
    return code, capsys.readouterr().err


def exportar_ronda1(a, tmp_path, capsys) -> str:
    assert main(["exportar", a.como("lola"), "--ciclo", "2026-1", "--ronda", "1", "--dir",
                 str(tmp_path / "salida")]) == 0
    ancla = ancla_del_listado(tmp_path / "salida")
    assert ancla == f"4:{listar(a.como('lola'), capsys)[4]['hash']}"
    assert verificar(a.como("lola"), capsys, ancla) == (0, "")
    return ancla


def test_a_truncated_tail_is_caught_against_the_paper(ciclo, tmp_path, capsys):
    a = ciclo
    ancla = exportar_ronda1(a, tmp_path, capsys)
    sin_proteccion(a)
    a.sql("DELETE FROM repse.instantanea; DELETE FROM repse.entradas WHERE n > 2" if a.pg
          else "DELETE FROM instantanea; DELETE FROM entradas WHERE n > 2")
    # What is left is a valid chain: only the paper knows it went further.
    assert verificar(a.como("lola"), capsys) == (0, "")
    code, err = verificar(a.como("lola"), capsys, ancla)
    assert code == 1
    assert (f"el ancla {ancla} nombra la entrada 4, pero el registro termina en la 2: se le "
            "quitaron entradas del final") in err


def test_a_rewritten_tail_with_its_chain_recomputed_is_caught_against_the_paper(
        ciclo, tmp_path, capsys):
    a = ciclo
    ancla = exportar_ronda1(a, tmp_path, capsys)
    sin_proteccion(a)
    # The round-1 list says positiva where it said negativa, and every hash after it is
    # recomputed, so the chain is intact again.
    store = abrir_almacen(a.destino)
    try:
        filas = list(store.filas())
        previo = filas[1].hash
        for f in filas[2:]:
            cuerpo = f.cuerpo.replace(b'"negativa"', b'"positiva"')
            rechazos = bytes(next(store.db.execute("SELECT rechazos FROM entradas WHERE n = ?",
                                                   (f.n,)))[0])
            previo = chain_hash(previo, f.n, f.estado, f.motivo, cuerpo, rechazos)
            store.db.execute("UPDATE entradas SET cuerpo = ?, hash = ? WHERE n = ?",
                             (cuerpo, previo, f.n))
        store.db.execute("DELETE FROM instantanea")
    finally:
        store.close()
    assert verificar(a.como("lola"), capsys) == (0, "")
    code, err = verificar(a.como("lola"), capsys, ancla)
    assert code == 1
    assert f"el ancla {ancla} no coincide: la entrada 4 del registro tiene otro hash" in err
    assert "el registro fue reescrito en ella o antes" in err


def test_a_malformed_anchor_is_refused_in_spanish(almacen, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["verificar", almacen.como("lola"), "--ancla", "4:abc"])
    assert exit_.value.code == 2
    assert "ancla no válida «4:abc»: se espera NUMERO:HASH" in capsys.readouterr().err
