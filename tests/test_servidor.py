"""The store on a PostgreSQL server (issue 12): the store's guarantees on both engines, and the
institutions enforced by the database itself, through ``repse`` and through ``psql``.

One throw-away server runs for the whole session (tests/pg.py); each test gets a new database.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from repse.core.store import abrir_almacen
from repse.tui.cli import main
from tests.pg import ServidorPrueba
from tests.test_almacen_carrera import leer_mientras_otro_escribe
from tests.test_store import WORKER

RFCS = ("MAB9307148T4", "GODE561231GR8", "EES070422UV1")
PADRON = {"tipo": "padron", "at": "2026-01-26T09:00:00", "actor": "stps", "ciclo": "2026-1",
          "contratistas": [{"rfc": r, "razon_social": f"EMPRESA {k}", "folio": str(k),
                            "fecha_registro": "2025-01-01"} for k, r in enumerate(RFCS)]}
# Round 1 of cycle 2026-1 opens on D0 + 5 hábil days (Monday 26 January 2026 + 5 = 2 February).
OPINIONES = {"tipo": "opiniones", "at": "2026-02-02T10:00:00", "actor": "imss",
             "ciclo": "2026-1", "ronda": 1, "completo": False,
             "usuario": "Director General de Incorporación",
             "resultados": [{"rfc": RFCS[0], "opinion": "negativa"},
                            {"rfc": RFCS[1], "opinion": "sin_opinion"}]}


def jsonl(path, *objs) -> str:
    path.write_text("\n".join(json.dumps(o) for o in objs) + "\n")
    return str(path)


@pytest.fixture(scope="session")
def servidor() -> Iterator[ServidorPrueba]:
    pg = ServidorPrueba()
    try:
        yield pg
    finally:
        pg.parar()


@dataclass
class Almacen:
    """A new store on one engine: ``destino`` as its administrator, :meth:`como` as a login
    (a SQLite file has no logins: the same path)."""

    destino: str
    pg: ServidorPrueba | None = None
    base: str = ""

    def como(self, login: str) -> str:
        return self.pg.url(self.base, login) if self.pg else self.destino

    def sql(self, orden: str, login: str = "postgres") -> str | None:
        """Run SQL as a person would (``psql``, or ``sqlite3`` on a file); the error, if any."""
        if self.pg is None:
            con = sqlite3.connect(self.destino)
            try:
                con.executescript(orden)
            except sqlite3.DatabaseError as exc:
                return str(exc)
            finally:
                con.close()
            return None
        proc = self.pg.psql(self.como(login), orden)
        return proc.stderr if proc.returncode else None

    def filas(self) -> list[tuple]:
        store = abrir_almacen(self.destino)
        try:
            cols = "n, estado, motivo, usuario" if self.pg else "n, estado, motivo, NULL"
            return [tuple(r) for r in store.db.execute(f"SELECT {cols} FROM entradas ORDER BY n")]
        finally:
            store.close()


def preparado(pg: ServidorPrueba) -> Almacen:
    """A new simulation store on the server with the logins ana (IMSS and GT), beto (STPS and
    GT), carla (STPS) and lola (reads only)."""
    base = pg.nueva_base()
    a = Almacen(pg.url(base), pg, base)
    assert main(["servidor", "preparar", a.destino, "--simulacion"]) == 0
    for login, *inst in (("ana", "imss", "gt"), ("beto", "stps", "gt"), ("carla", "stps"),
                         ("lola", "lectura")):
        args = [x for i in inst for x in ("--institucion", i)]
        assert main(["servidor", "usuario", a.destino, login, *args]) == 0
    return a


@pytest.fixture(params=["sqlite", "postgresql"])
def almacen(request, tmp_path, capsys) -> Almacen:
    """A simulation store with its first input, on each engine."""
    if request.param == "sqlite":
        a = Almacen(str(tmp_path / "s.db"))
        assert main(["init", a.destino, "--simulacion"]) == 0
    else:
        a = preparado(request.getfixturevalue("servidor"))
    capsys.readouterr()
    return a


@pytest.fixture
def servidor_pg(servidor, capsys) -> Almacen:
    a = preparado(servidor)
    capsys.readouterr()
    return a


# --- the store's guarantees, on both engines ------------------------------------------------
def test_nobody_updates_or_deletes_a_recorded_input_not_even_the_owner(almacen):
    ordenes = ["UPDATE entradas SET motivo = 'x'", "DELETE FROM entradas"]
    if almacen.pg:  # TRUNCATE skips row triggers: it has its own; the mode's mark is fixed too
        ordenes = [o.replace("entradas", "repse.entradas") for o in ordenes] + [
            "TRUNCATE repse.entradas", "UPDATE repse.meta SET valor = '0'",
            "DELETE FROM repse.meta"]
    for orden in ordenes:
        error = almacen.sql(orden)
        assert error is not None and "solo admite agregar" in error, orden
    assert len(almacen.filas()) == 1


def test_the_chain_reports_a_row_changed_behind_the_triggers(almacen, tmp_path, capsys):
    assert main(["registrar", almacen.como("beto"), jsonl(tmp_path / "p.jsonl", PADRON)]) == 0
    assert main(["verificar", almacen.como("lola")]) == 0
    # Only an administrator who removes the triggers can change a row: the chain still tells.
    if almacen.pg:
        almacen.sql("ALTER TABLE repse.entradas DISABLE TRIGGER USER; UPDATE repse.entradas SET "
                    "cuerpo = convert_to(replace(convert_from(cuerpo, 'UTF8'), 'GODE', 'GOXE'), "
                    "'UTF8') WHERE n = 2")
    else:
        almacen.sql("DROP TRIGGER entradas_sin_cambios; UPDATE entradas "
                    "SET cuerpo = replace(cuerpo, 'GODE', 'GOXE') WHERE n = 2")
    capsys.readouterr()
    assert main(["verificar", almacen.como("lola")]) == 1
    assert "la entrada 2 fue modificada" in capsys.readouterr().err


def estado_json(destino: str, capsys) -> dict:
    capsys.readouterr()
    assert main(["estado", destino, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_state_is_the_replay_of_the_log_and_the_same_on_both_engines(almacen, tmp_path,
                                                                          capsys):
    reference = tmp_path / "referencia.db"
    main(["init", str(reference), "--simulacion"])
    inputs = [PADRON, {**OPINIONES, "usuario": "ana"},
              {"tipo": "reloj", "at": "2026-03-02T00:00:00", "actor": "gt", "usuario": "ana"},
              {"tipo": "anulacion", "at": "2026-03-02T09:00:00", "actor": "imss",
               "usuario": "ana", "entrada": 3, "motivo": "lista equivocada"}]
    for k, entrada in enumerate(inputs):
        path = jsonl(tmp_path / f"e{k}.jsonl", entrada)
        login = "beto" if entrada["actor"] == "stps" else "ana"
        assert main(["registrar", almacen.como(login), path]) == 0
        assert main(["registrar", str(reference), path]) == 0
    live = estado_json(almacen.como("lola"), capsys)  # the state kept in the snapshot
    store = abrir_almacen(almacen.como("lola"))
    store.discard_snapshot()
    store.close()
    assert estado_json(almacen.como("lola"), capsys) == live  # replayed from the log
    assert live == estado_json(str(reference), capsys)
    assert live["transiciones"] > 0


def test_two_offices_appending_200_inputs_each_at_once_lose_none(almacen):
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, almacen.como(login), str(who),
                               "200"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for who, login in enumerate(("ana", "beto"))]
    outputs = [p.communicate(timeout=240) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1] for o in outputs]
    answers = [line.split(" ", 1) for out, _ in outputs for line in out.splitlines()]
    assert sorted(int(n) for n, _ in answers) == list(range(2, 402))  # none lost or doubled
    refused = [why for _, why in answers if why != "ok"]
    assert all("anterior a la última entrada aceptada" in why for why in refused)
    filas = almacen.filas()
    assert len(filas) == 401
    assert sum(estado == "rechazada" for _, estado, _, _ in filas) == len(refused)
    if almacen.pg:  # each office's inputs carry its login
        assert Counter(u for *_, u in filas[1:]) == {"ana": 200, "beto": 200}
    store = abrir_almacen(almacen.destino)
    assert store.verificar() == []
    store.close()


def test_a_process_killed_in_the_middle_of_an_input_leaves_the_store_as_before(almacen,
                                                                               tmp_path):
    before = abrir_almacen(almacen.destino)
    head = before.last()
    before.close()
    script = textwrap.dedent(f"""
        import os
        from repse.core.store import Store
        original = Store.append
        def dying(self, *args, **kwargs):
            original(self, *args, **kwargs)  # the row is written in the transaction…
            os._exit(9)                      # …and the process dies before the commit
        Store.append = dying
        from repse.tui.cli import main
        main(["registrar", {almacen.como("beto")!r},
              {jsonl(tmp_path / "p.jsonl", PADRON)!r}])
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == 9, proc.stderr
    after = abrir_almacen(almacen.destino)
    assert after.last() == head
    assert after.verificar() == []
    after.close()


def test_opening_while_another_office_commits_never_loses_an_input(servidor_pg):
    """The race of issue 10 (D1) on the server: each reader opens in one REPEATABLE READ
    transaction and keeps its own snapshot."""
    leer_mientras_otro_escribe(servidor_pg.como("carla"), servidor_pg.como("lola"))


# --- the institutions, enforced by the server ------------------------------------------------
def test_an_stps_login_cannot_record_an_imss_opinion_through_repse(servidor_pg, tmp_path,
                                                                   capsys):
    a = servidor_pg
    main(["registrar", a.como("carla"), jsonl(tmp_path / "p.jsonl", PADRON)])
    antes = estado_json(a.como("lola"), capsys)["contratistas"]
    assert main(["registrar", a.como("carla"), jsonl(tmp_path / "o.jsonl", OPINIONES)]) == 1
    assert "RECHAZADA — el usuario «carla» no es del IMSS" in capsys.readouterr().out
    # Recorded as refused, with its reason and the login that tried; the state is unchanged.
    n, estado, motivo, usuario = a.filas()[-1]
    assert (n, estado, usuario) == (3, "rechazada", "carla")
    assert "no es del IMSS" in motivo
    assert estado_json(a.como("lola"), capsys)["contratistas"] == antes


def raw_insert(entrada: dict, estado: str = "aceptada") -> str:
    body = json.dumps(entrada).replace("'", "''")
    return (f"INSERT INTO repse.entradas (estado, cuerpo) "
            f"VALUES ('{estado}', convert_to('{body}', 'UTF8'))")


def test_an_stps_login_cannot_record_an_imss_opinion_by_hand_in_psql(servidor_pg):
    a = servidor_pg
    opinion = {**OPINIONES, "at": "2026-02-02T10:00:00-06:00", "usuario": "carla"}
    error = a.sql(raw_insert(opinion), login="carla")
    assert "el usuario «carla» no es del IMSS" in error
    # Nor by declaring itself the issuer of what only the IMSS issues.
    assert "actor no autorizado: «opiniones» no la emite «stps»" in a.sql(
        raw_insert({**opinion, "actor": "stps"}), login="carla")
    # Claiming to be someone else is refused before that.
    assert "el usuario de una entrada es quien la registra" in a.sql(
        raw_insert({**opinion, "usuario": "ana"}), login="carla")
    # An IMSS login may (the raw row gets its number and its link in the chain from the server).
    assert a.sql(raw_insert({**opinion, "usuario": "ana"}), login="ana") is None
    assert [f[1:] for f in a.filas()] == [("aceptada", None, "postgres"),
                                          ("aceptada", None, "ana")]
    assert main(["verificar", a.como("lola")]) == 0


def test_a_reading_login_cannot_write_but_reads(servidor_pg, tmp_path, capsys):
    a = servidor_pg
    path = jsonl(tmp_path / "p.jsonl", PADRON)
    assert main(["registrar", a.como("lola"), path]) == 2
    assert "«lola» no puede registrar entradas en este almacén (solo lectura)" in \
        capsys.readouterr().err
    assert "permission denied" in a.sql(raw_insert({**PADRON, "usuario": "lola"}, "rechazada"),
                                        login="lola")
    assert len(a.filas()) == 1
    assert main(["estado", a.como("lola")]) == 0
    assert main(["verificar", a.como("lola")]) == 0


def test_usuario_is_the_login_whatever_the_input_says(servidor_pg, tmp_path):
    a = servidor_pg
    main(["registrar", a.como("carla"), jsonl(tmp_path / "p.jsonl", PADRON)])
    main(["registrar", a.como("ana"), jsonl(tmp_path / "o.jsonl", OPINIONES)])
    assert [(f[1], f[3]) for f in a.filas()] == [("aceptada", "postgres"),
                                                 ("aceptada", "carla"), ("aceptada", "ana")]
    store = abrir_almacen(a.destino)
    assert json.loads(store.cuerpo(3))["usuario"] == "ana"  # in the chained body too
    store.close()


def test_an_annulment_only_by_the_annulled_inputs_institution_or_the_gt(servidor_pg, tmp_path,
                                                                        capsys):
    a = servidor_pg
    main(["registrar", a.como("carla"), jsonl(tmp_path / "p.jsonl", PADRON)])
    main(["registrar", a.como("ana"), jsonl(tmp_path / "o.jsonl", OPINIONES)])
    anula = {"tipo": "anulacion", "at": "2026-02-03T09:00:00", "actor": "gt", "entrada": 3,
             "motivo": "lista equivocada"}
    capsys.readouterr()
    # carla (STPS, not GT) may not sign as the GT, nor annul as STPS what the IMSS issued.
    assert main(["registrar", a.como("carla"), jsonl(tmp_path / "a.jsonl", anula)]) == 1
    assert "«carla» no es del GT" in capsys.readouterr().out
    stps = {**anula, "actor": "stps", "at": "2026-02-03T09:00:00-06:00", "usuario": "carla"}
    assert "solo el GT o quien emitió la entrada 3 (IMSS)" in a.sql(raw_insert(stps),
                                                                   login="carla")
    # beto is of the GT.
    assert main(["registrar", a.como("beto"), jsonl(tmp_path / "b.jsonl", anula)]) == 0
    assert [f[1:] for f in a.filas()][3:] == [
        ("rechazada", "el usuario «carla» no es del GT en el servidor: no registra entradas "
         "del GT", "carla"), ("aceptada", None, "beto")]


def test_maintenance_is_explicit_and_logged_and_the_chain_still_tells(servidor_pg, tmp_path,
                                                                      capsys):
    a = servidor_pg
    main(["registrar", a.como("carla"), jsonl(tmp_path / "p.jsonl", PADRON)])
    main(["registrar", a.como("ana"), jsonl(tmp_path / "o.jsonl", OPINIONES)])
    borrar = "SET repse.mantenimiento = 'padrón de prueba en el almacén de operación'; " \
             "DELETE FROM repse.entradas WHERE n = 2"
    assert "permission denied" in a.sql(borrar, login="ana")  # only the administrator
    assert a.sql(borrar) is None
    proc = a.pg.psql(a.como("lola"), "SELECT concat_ws(' / ', usuario, motivo, tabla, "
                                     "operacion, fila->>'n') FROM repse.mantenimiento")
    assert "postgres / padrón de prueba en el almacén de operación / entradas / DELETE / 2" \
        in proc.stdout
    assert "solo admite agregar" in a.sql("SET repse.mantenimiento = 'ocultarlo'; "
                                          "DELETE FROM repse.mantenimiento")
    capsys.readouterr()
    assert main(["verificar", a.como("lola")]) == 1
    assert "faltan las entradas 2 a 2" in capsys.readouterr().err


def test_a_login_can_only_mislead_itself_with_a_snapshot(servidor_pg, tmp_path, capsys):
    a = servidor_pg
    main(["registrar", a.como("carla"), jsonl(tmp_path / "p.jsonl", PADRON)])
    assert estado_json(a.como("ana"), capsys)["contratistas"]  # ana saves her snapshot
    assert a.sql("DELETE FROM repse.instantanea", login="carla") is None  # only her own row
    store = abrir_almacen(a.como("ana"))
    assert store.snapshot() is not None
    store.close()
    assert a.sql("UPDATE repse.instantanea SET datos = 'x'", login="carla") is not None


def test_usuario_sets_exactly_the_institutions_given(servidor_pg, capsys):
    a = servidor_pg
    assert main(["servidor", "usuario", a.destino, "ana", "--institucion", "lectura"]) == 0
    assert "Usuario «ana»: solo lectura" in capsys.readouterr().out
    store = abrir_almacen(a.como("ana"))
    assert "no es del GT" in store.rechazo_institucion("gt")
    store.close()


def test_a_password_is_stored_hashed_and_reserved_names_are_refused(servidor_pg, capsys,
                                                                      monkeypatch):
    a = servidor_pg
    monkeypatch.setenv("CLAVE_BETO", "una clave larga")
    assert main(["servidor", "usuario", a.destino, "beto", "--institucion", "stps",
                 "--contrasena-de", "CLAVE_BETO"]) == 0
    assert "(contraseña fijada)" in capsys.readouterr().out
    proc = a.pg.psql(a.destino, "SELECT rolpassword FROM pg_authid WHERE rolname = 'beto'")
    assert "SCRAM-SHA-256$" in proc.stdout and "una clave larga" not in proc.stdout
    assert main(["servidor", "usuario", a.destino, "repse_gt", "--institucion", "gt"]) == 2
    assert "nombre de usuario reservado" in capsys.readouterr().err


def test_a_url_works_as_well_as_a_keyword_string(servidor_pg, capsys):
    a = servidor_pg
    url = f"postgresql:///{a.base}?host={a.pg.dir}&port={a.pg.puerto}&user=lola"
    assert main(["verificar", url]) == 0
    assert "1 entrada verificada." in capsys.readouterr().out


def test_server_mistakes_are_said_in_spanish(servidor, capsys):
    vacia = servidor.url(servidor.nueva_base())
    assert main(["estado", vacia]) == 2
    assert "la base no tiene un almacén de repse; prepárela con «repse servidor preparar»" \
        in capsys.readouterr().err
    assert main(["servidor", "preparar", vacia]) == 0
    servidor.psql(vacia, "CREATE ROLE nadie LOGIN")
    assert main(["estado", vacia.replace("user=postgres", "user=nadie")]) == 2
    assert "«nadie» no es de ninguna institución en este almacén" in capsys.readouterr().err
    assert main(["servidor", "preparar", vacia]) == 2
    assert "la base ya tiene un almacén de repse" in capsys.readouterr().err
    assert main(["estado", servidor.url("no_existe") + " password=secreta"]) == 2
    err = capsys.readouterr().err
    assert "no se puede conectar con el servidor PostgreSQL" in err
    assert "dbname=no_existe" in err and "secreta" not in err  # never a password on screen
    assert main(["servidor", "preparar", "s.db"]) == 2
    assert "no es una base PostgreSQL" in capsys.readouterr().err

