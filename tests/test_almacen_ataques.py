"""The store under attack (issue 10, points 2, 4, 6, 8, 12): the snapshot is derived data that is
never believed blindly, the store's mode is part of the chained record, the same input is not
recorded twice by accident, a complete list means what it says, a damaged file is an error in
Spanish."""

from __future__ import annotations

import json
import sqlite3
import zlib

import pytest

from repse.tui.cli import main

RFCS = ("MAB9307148T4", "GODE561231GR8", "EES070422UV1")
PADRON = {"tipo": "padron", "at": "2026-01-26T09:00:00", "actor": "stps", "ciclo": "2026-1",
          "contratistas": [{"rfc": r, "razon_social": f"EMPRESA {k}", "folio": str(k),
                            "fecha_registro": "2025-01-01"} for k, r in enumerate(RFCS)]}


def jsonl(path, *objs) -> str:
    path.write_text("\n".join(json.dumps(o) for o in objs) + "\n")
    return str(path)


def sql(db, *statements: str) -> None:
    con = sqlite3.connect(db)
    for s in statements:
        con.execute(s)
    con.commit()
    con.close()


@pytest.fixture
def db(tmp_path, capsys):
    path = tmp_path / "s.db"
    assert main(["init", str(path), "--simulacion"]) == 0
    assert main(["registrar", str(path), jsonl(tmp_path / "p.jsonl", PADRON)]) == 0
    capsys.readouterr()
    return path


# --- point 2: the snapshot ------------------------------------------------------------------
def test_a_garbage_snapshot_is_discarded_with_a_warning_and_verificar_reports_it(db, capsys):
    sql(db, "UPDATE instantanea SET datos = CAST('basura' AS BLOB)")
    assert main(["verificar", str(db)]) == 1
    out = capsys.readouterr()
    assert "instantánea" in (out.out + out.err)
    assert main(["estado", str(db), RFCS[0]]) == 0  # never fatal
    out = capsys.readouterr()
    assert "EMPRESA 0" in out.out
    assert "instantánea" in out.err  # said, not hidden
    assert main(["verificar", str(db)]) == 0  # rebuilt by the command that discarded it


def test_an_edited_snapshot_is_never_believed(db, capsys):
    blob = sqlite3.connect(db).execute("SELECT datos FROM instantanea").fetchone()[0]
    plano = zlib.decompress(blob)  # snapshots are stored compressed
    forged = zlib.compress(plano.replace(b"EMPRESA 0", b"FALSA  0X"), 1)
    assert forged != bytes(blob)
    sql(db, f"UPDATE instantanea SET datos = X'{forged.hex()}'")
    assert main(["estado", str(db), RFCS[0]]) == 0
    out = capsys.readouterr()
    assert "EMPRESA 0" in out.out and "FALSA" not in out.out


# --- point 8: the mode ----------------------------------------------------------------------
def test_flipping_the_mode_flag_does_not_turn_an_operation_store_into_a_simulation(tmp_path,
                                                                                capsys):
    db = tmp_path / "op.db"
    assert main(["init", str(db)]) == 0
    sql(db, "UPDATE meta SET valor = '1' WHERE clave = 'simulacion'")
    futuro = jsonl(tmp_path / "f.jsonl", {"tipo": "reloj", "at": "2099-01-01T00:00:00",
                                          "actor": "gt"})
    assert main(["registrar", str(db), futuro]) == 1
    assert "almacén de operación" in capsys.readouterr().out
    assert main(["verificar", str(db)]) == 1
    assert "modo" in capsys.readouterr().err


# --- point 12: a damaged file -----------------------------------------------------------------
def test_a_truncated_store_is_a_spanish_error_not_a_traceback(db, capsys):
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])
    for args in (["estado", str(db)], ["verificar", str(db)]):
        assert main(args) in (1, 2)
        err = capsys.readouterr().err
        assert "Traceback" not in err and "repse:" in err


# --- point 6: the same input twice ------------------------------------------------------------
def test_the_same_file_registered_twice_is_refused_naming_the_first(tmp_path, capsys):
    db = tmp_path / "s.db"
    assert main(["init", str(db), "--simulacion"]) == 0
    f = jsonl(tmp_path / "p.jsonl", PADRON, {"tipo": "reloj", "at": "2026-01-27T00:00:00",
                                             "actor": "gt"})
    assert main(["registrar", str(db), f]) == 0
    capsys.readouterr()
    assert main(["registrar", str(db), f]) == 1
    out = capsys.readouterr().out
    assert "ya está registrada como la entrada 2" in out
    assert "ya está registrada como la entrada 3" in out


# --- point 4: a complete list ---------------------------------------------------------------
def opiniones(rfcs, **extra) -> dict:
    return {"tipo": "opiniones", "at": "2026-01-26T17:00:00", "actor": "imss",
            "ciclo": "2026-1", "ronda": 1, "completo": True,
            "resultados": [{"rfc": r, "opinion": "negativa"} for r in rfcs], **extra}


@pytest.mark.parametrize("rfcs", [[], ["AEL74O7151YA", RFCS[1]]])
def test_a_complete_list_with_refused_rows_or_no_rows_is_refused_whole(db, tmp_path, capsys,
                                                                        rfcs):
    assert main(["registrar", str(db), jsonl(tmp_path / "o.jsonl", opiniones(rfcs))]) == 1
    assert "RECHAZADA" in capsys.readouterr().out
    assert main(["estado", str(db), "--json"]) == 0
    estado = json.loads(capsys.readouterr().out)
    # Nobody turned positiva because of a bad file, and the clock did not move.
    assert {c["estado"] for c in estado["contratistas"].values()} == {"en_consulta"}
    assert estado["reloj"].startswith("2026-01-26T09:00:00")


# --- a row typed by hand that is not an input ------------------------------------------------
def test_an_accepted_row_that_is_not_an_input_is_refused_by_the_replay_not_fatal(db, capsys):
    """On a server a login may INSERT by hand a row of the right type and actor that lacks a
    field: every command must go on, and the refusal must be said."""
    from repse.core.store import chain_hash

    cuerpo = json.dumps({"tipo": "padron", "at": "2026-01-26T10:00:00", "actor": "stps",
                         "contratistas": []}).encode()  # no «ciclo»
    con = sqlite3.connect(db)
    n, prev = con.execute("SELECT n, hash FROM entradas ORDER BY n DESC LIMIT 1").fetchone()
    con.execute("INSERT INTO entradas VALUES (?, 'aceptada', NULL, ?, ?, ?, NULL)",
                (n + 1, cuerpo, b"[]", chain_hash(prev, n + 1, "aceptada", None, cuerpo, b"[]")))
    con.commit()
    con.close()
    sql(db, "DELETE FROM instantanea")
    assert main(["estado", str(db), RFCS[0]]) == 0
    assert "EMPRESA 0" in capsys.readouterr().out
    assert main(["rechazos", str(db)]) == 0
    assert "no es una entrada válida" in capsys.readouterr().out
    assert main(["verificar", str(db)]) == 0
