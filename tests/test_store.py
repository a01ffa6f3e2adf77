"""The append-only store: tamper detection, crash safety, concurrent appends."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from repse.core.api import Repositorio
from repse.core.store import Store
from repse.tui.cli import main


def jsonl(path, *objs) -> str:
    path.write_text("\n".join(json.dumps(o) for o in objs) + "\n")
    return str(path)


PADRON = {"tipo": "padron", "at": "2026-07-27T09:00:00", "actor": "stps", "ciclo": "2026-2",
          "contratistas": [{"rfc": r, "razon_social": "X", "folio": "1",
                            "fecha_registro": "2025-01-01"}
                           for r in ("MAB9307148T4", "GODE561231GR8")]}


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "s.db"
    assert main(["init", str(path), "--simulacion"]) == 0
    main(["registrar", str(path), jsonl(tmp_path / "p.jsonl", PADRON,
                                        {"tipo": "reloj", "at": "2026-08-01T00:00:00",
                                         "actor": "gt"})])
    return path


def test_verificar_passes_on_an_untouched_store(db, capsys):
    capsys.readouterr()
    assert main(["verificar", str(db)]) == 0
    assert "3 entradas verificadas" in capsys.readouterr().out


def tamper(db, sql: str) -> None:
    con = sqlite3.connect(db)
    con.executescript("DROP TRIGGER entradas_sin_cambios; DROP TRIGGER entradas_sin_borrar;"
                      + sql)
    con.close()


@pytest.mark.parametrize(
    ("sql", "problem"),
    [
        ("UPDATE entradas SET cuerpo = replace(cuerpo, 'GODE', 'GOXE') WHERE n = 2",
         "la entrada 2 fue modificada"),
        ("UPDATE entradas SET estado = 'rechazada' WHERE n = 3", "la entrada 3 fue modificada"),
        ("DELETE FROM entradas WHERE n = 2", "faltan las entradas 2 a 2"),
    ],
)
def test_verificar_fails_on_an_edited_or_deleted_row(db, capsys, sql, problem):
    tamper(db, sql)
    capsys.readouterr()
    assert main(["verificar", str(db)]) == 1
    assert problem in capsys.readouterr().err


def test_the_database_itself_refuses_updates_and_deletes(db):
    con = sqlite3.connect(db)
    with pytest.raises(sqlite3.DatabaseError, match="solo admite agregar"):
        con.execute("UPDATE entradas SET motivo = 'x'")
    with pytest.raises(sqlite3.DatabaseError, match="solo admite agregar"):
        con.execute("DELETE FROM entradas")


def test_a_process_killed_in_the_middle_of_an_input_leaves_the_store_as_before(db, tmp_path):
    before = Store(db)
    last, digest = before.last()
    before.close()
    script = textwrap.dedent(f"""
        import os
        from repse.core import motor
        original = motor.Engine._fire
        def dying(self, *args, **kwargs):
            original(self, *args, **kwargs)   # the state is half-changed in memory…
            os._exit(9)                       # …and the process dies before the commit
        motor.Engine._fire = dying
        from repse.tui.cli import main
        main(["registrar", {str(db)!r}, {jsonl(tmp_path / "o.jsonl", {
            "tipo": "opiniones", "at": "2026-08-01T10:00:00", "actor": "imss",
            "ciclo": "2026-2", "ronda": 1, "completo": True,
            "resultados": [{"rfc": "GODE561231GR8", "opinion": "negativa"}]})!r}])
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == 9, proc.stderr
    after = Store(db)
    assert after.last() == (last, digest)
    assert after.verificar() == []
    after.close()
    repo = Repositorio.abrir(db)
    assert repo.engine.transiciones == 2  # only the padrón's


WORKER = textwrap.dedent("""
    import sys
    from datetime import datetime, timedelta
    from repse.core import inputs as inp
    from repse.core.api import Repositorio
    from repse.core.plazos import MX
    db, who, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    repo = Repositorio.abrir(db)
    start = datetime(2026, 8, 2, tzinfo=MX)
    for k in range(count):
        at = start + timedelta(minutes=2 * k + who)
        r = repo.registrar(inp.Reloj(at=at, actor="gt", usuario=f"proceso {who}"))
        print(r.numero, "ok" if r.aceptada else r.motivo, flush=True)
    repo.cerrar()
""")


def test_two_processes_appending_at_once_lose_nothing(db):
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(db), str(who), "25"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for who in (0, 1)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1] for o in outputs]
    answers = [line.split(" ", 1) for out, _ in outputs for line in out.splitlines()]
    assert len(answers) == 50
    numbers = sorted(int(n) for n, _ in answers)
    assert numbers == list(range(4, 54))  # every input got its own number, none lost
    refused = [why for _, why in answers if why != "ok"]
    assert all("anterior a la última entrada aceptada" in why for why in refused)
    store = Store(db)
    assert store.verificar() == []
    rows = list(store.filas())
    assert len(rows) == 53
    assert sum(r.estado == "rechazada" for r in rows) == len(refused)


OPINIONES_CON_RECHAZO = {
    "tipo": "opiniones", "at": "2026-08-02T10:00:00", "actor": "imss", "ciclo": "2026-2",
    "ronda": 1, "archivo": "r1.csv",
    "resultados": [{"rfc": "GODE561231GR8", "opinion": "negativa", "fila": 2},
                   {"rfc": "AEL7407151YA", "opinion": "negativa", "fila": 3}]}


def test_registrar_json_answers_with_what_the_input_did(db, tmp_path, capsys):
    capsys.readouterr()
    assert main(["registrar", str(db), jsonl(tmp_path / "o.jsonl", OPINIONES_CON_RECHAZO),
                 "--json"]) == 1  # a refused row
    [answer] = json.loads(capsys.readouterr().out)
    assert list(answer) == ["numero", "tipo", "aceptada", "motivo", "aceptadas", "rechazos",
                            "avisos", "transiciones", "cambios", "disparos", "notas"]
    assert (answer["aceptadas"], answer["transiciones"]) == (1, 1)
    assert [(x["archivo"], x["fila"], x["rfc"]) for x in answer["rechazos"]] == [
        ("r1.csv", 3, "AEL7407151YA")]
    assert answer["disparos"] == [
        {"evento": "opinion_negativa", "ciclo": "2026-2", "contratistas": 1}]


def test_the_store_keeps_the_reader_refusals_not_the_engine_ones(db, tmp_path):
    main(["registrar", str(db), jsonl(tmp_path / "o.jsonl", OPINIONES_CON_RECHAZO)])
    store = Store(db)
    assert [row.observaciones for row in store.filas()][-1] == ()  # the engine derives it again
    store.close()
    [refusal] = [x for x in Repositorio.abrir(db).rechazos() if x.rfc]
    assert (refusal.linea, refusal.fila, refusal.rfc) == (4, 3, "AEL7407151YA")


def test_a_store_written_by_an_earlier_version_is_refused_in_spanish(db, capsys):
    """Version 1 chained its first row to zeros (no mode) and also stored the engine's row
    refusals: it is refused whole, never read half-right."""
    con = sqlite3.connect(db)
    con.execute("DROP TRIGGER IF EXISTS meta_sin_cambios")
    con.execute("UPDATE meta SET valor = '1' WHERE clave = 'version'")
    con.commit()
    con.close()
    capsys.readouterr()
    assert main(["estado", str(db)]) == 2
    err = capsys.readouterr().err
    assert "versión de almacén 1 no soportada" in err and "repse init" in err


def test_a_snapshot_in_another_format_is_ignored_and_the_log_replayed(db):
    from repse.core.instantanea import dump

    repo = Repositorio.abrir(db)
    expected = dump(repo.engine)
    repo.store.save_snapshot(*repo.store.last(), b"\x92\xa1x\x01")  # not this version's
    repo.store.close()
    assert dump(Repositorio.abrir(db).engine) == expected
