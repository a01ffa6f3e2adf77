"""The command line and the agenda and statistics files in the Spanish a GT operator reads: the
labels of the charts and obligations (never their ids), counts with thousands separators and in
the singular when there is one, aligned tables, dates DD-MM-AAAA; ``--json`` keeps the ids
(issue 13, point 6; walkthrough findings 18, 25, 27, 28, 29)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

import pytest

from repse.core import inputs as inp
from repse.core.api import Repositorio
from repse.core.exports import agenda_csv, estadisticas_md
from repse.tui import cmd_files
from repse.tui.cli import main

from .test_engine import acto, opiniones, padron
from .test_exports import repo  # noqa: F401  (the five-contractor cycle, every round)

# 1,500 contractors with well-formed RFCs (a failed check digit only warns).
MUCHOS = [f"ABC{date(2000, 1, 1) + timedelta(days=k):%y%m%d}AB{k % 10}" for k in range(1_500)]
NEGATIVA, SIN_OPINION = MUCHOS[0], MUCHOS[1]


@pytest.fixture
def db(tmp_path):
    """A cycle of 1,500 contractors after round 1 (one Negativa, one Sin opinión) and the
    exhorto to the Negativa one."""
    empty = tmp_path / "vacio.toml"
    empty.write_text("")
    r = Repositorio.crear(tmp_path / "r.db", calendario=empty, simulacion=True)
    r.registrar(padron("2026-01-26T09:00:00", "2026-1", *MUCHOS))
    r.registrar(opiniones("2026-01-26T17:00:00", "2026-1", 1, True,
                          **{NEGATIVA: "negativa", SIN_OPINION: "sin_opinion"}))
    r.registrar(acto(inp.Exhorto, "2026-01-29T10:00:00", "2026-1", NEGATIVA, actor="gt"))
    r.cerrar()
    return str(tmp_path / "r.db")


def salida(capsys, *argv: str) -> str:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_estado_counts_by_label_with_separators_in_aligned_columns(db, capsys):
    out = salida(capsys, "estado", db)
    lines = out.splitlines()
    assert lines[0] == "Reloj: jue 29-01-2026 10:00 (almacén de simulación)"
    assert "Ciclo 2026-1: 1,500 expedientes" in lines
    tabla = lines[lines.index("Ciclo 2026-1: 1,500 expedientes") + 1:]
    assert [x.rsplit(None, 1) for x in tabla] == [
        ["  Estado", "Expedientes"], ["  Al corriente", "1,498"], ["  Señalado", "1"],
        ["  Exhortado", "1"]]
    assert len({len(x) for x in tabla}) == 1  # numbers right-aligned under their header
    assert "al_corriente" not in out
    # --json keeps the ids.
    estado = json.loads(salida(capsys, "estado", db, "--json"))
    assert estado["contratistas"][NEGATIVA]["estado"] == "exhortado"


def test_estado_of_one_contractor_names_its_state_opinion_and_plazo(db, capsys):
    out = salida(capsys, "estado", db, NEGATIVA.lower())
    assert f"{NEGATIVA} — Empresa {NEGATIVA} (folio F-0)" in out
    assert "  Expediente: Exhortado (ciclo 2026-1)\n" in out
    assert "  Última opinión: negativa\n" in out
    assert "  Registro: Vigente\n" in out
    # Notified on Thu 29-01-2026: 30 days end Sat 28-02, a day the joint calendar does not
    # count, so the plazo ends on the next hábil day, Mon 02-03-2026 (LFPA art. 29).
    assert "  Próximo plazo: fin regularización, 02-03-2026\n" in out


def test_historial_names_events_actors_and_states(db, capsys):
    out = salida(capsys, "historial", db, NEGATIVA)
    lines = out.splitlines()
    assert lines[1].split() == ["Fecha", "Entrada", "Actor", "Evento", "Ciclo", "Cambio"]
    assert any(x.startswith("26-01-2026 17:00  #3") and "IMSS" in x
               and "Opinión negativa" in x and "En consulta → Señalado" in x for x in lines)
    assert any("GT (IMSS y STPS)" in x and "Exhorto notificado" in x
               and "Señalado → Exhortado" in x for x in lines)
    assert "senalado" not in out and "opinion_negativa" not in out
    evento = lines[1].index("Evento")
    assert all(x[evento:].startswith(("Padrón", "Opinión", "Exhorto"))
               for x in lines[2:] if x[:2].isdigit())


def test_agenda_speaks_of_obligations_with_counts_under_aligned_headers(db, capsys):
    out = salida(capsys, "agenda", db)
    head, *rows = out.splitlines()
    for titulo, valor, fila in (("Obligación", "Padrón del ciclo", 0),
                                ("Obligación", "Listados ronda 1", 1),
                                ("Estado", "cumplida", 0), ("Cumplida el", "26-01-2026 09:00", 0)):
        assert rows[fila].index(valor) == head.index(titulo), (titulo, rows[fila])
    # The padrón and round 1 concern all 1,500; right-aligned under «Contratistas».
    assert rows[0].split()[:4] == ["26-01-2026", "10:00", "2026-1", "STPS"]
    assert rows[0][:head.index("Contratistas") + len("Contratistas")].endswith("1,500")
    assert "listado_inicial" not in out and "padron" not in out
    assert json.loads(salida(capsys, "agenda", db, "--json"))[1]["clave"] == "listado_inicial"


def test_an_import_answer_counts_in_the_singular_and_rechazos_says_where(db, tmp_path, capsys):
    archivo = tmp_path / "exhorto_tarde.csv"
    archivo.write_text(f"RFC\n{SIN_OPINION}\nXAXX010101000\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["importar", "exhorto", db, str(archivo), "--ciclo", "2026-1",
                 "--at", "2026-01-29T11:00", "--actor", "gt"]) == 1  # a refused row
    out = capsys.readouterr().out
    assert out.startswith("Entrada 5 (exhorto): aceptada — 1 fila aceptada, 1 fila rechazada, "
                          "1 transición\n")
    assert "  Exhorto notificado (2026-1): 1\n" in out
    out = salida(capsys, "rechazos", db)
    assert out == ("entrada 5, exhorto_tarde.csv, fila 3 (exhorto): XAXX010101000: RFC genérico: "
                   "nunca es un contratista\n1 rechazo.\n")
    assert salida(capsys, "verificar", db).startswith(
        "Cadena de hashes íntegra: 5 entradas verificadas.")


def test_an_empty_store_has_no_date_and_a_bad_rfc_is_named(tmp_path, capsys):
    db = str(tmp_path / "nuevo.db")
    assert main(["init", db, "--simulacion"]) == 0
    out = salida(capsys, "estado", db)
    assert out.startswith("Reloj: sin fecha aún (ninguna entrada fechada) (almacén de "
                          "simulación)\nNingún padrón recibido")
    assert "2000" not in out
    for rfc, motivo in (("XAXX010101000", "XAXX010101000: RFC genérico: nunca es un "
                                          "contratista"),
                        ("abc", "RFC mal formado «ABC»: tiene 3 caracteres"),
                        ("MAB9307148T4", "MAB9307148T4: no está en ningún padrón recibido")):
        capsys.readouterr()
        assert main(["historial", db, rfc]) == 2
        assert motivo in capsys.readouterr().err


def test_ctrl_c_says_whether_the_input_was_recorded(db, tmp_path, capsys, monkeypatch):
    archivo = tmp_path / "exhorto.csv"
    archivo.write_text(f"RFC\n{SIN_OPINION}\n", encoding="utf-8")
    orden = ["importar", "exhorto", db, str(archivo), "--ciclo", "2026-1",
             "--at", "2026-01-29T11:00", "--actor", "gt"]

    def interrumpe(*_a, **_k):
        raise KeyboardInterrupt

    # While the file is read: nothing is recorded, and the operator is told so.
    monkeypatch.setattr(cmd_files.Progress, "__call__", interrumpe)
    capsys.readouterr()
    assert main(orden) == 130
    err = capsys.readouterr().err
    assert "no se registró nada" in err and err.endswith("repse: interrumpido\n")
    assert len(Repositorio.abrir(db).entradas()) == 4
    monkeypatch.undo()
    # While the answer is printed: the input is already committed, and the operator is told.
    monkeypatch.setattr(cmd_files, "format_respuesta", interrumpe)
    assert main(orden) == 130
    err = capsys.readouterr().err
    assert f"la entrada 5 quedó registrada antes de la interrupción (véalas con «repse entradas " \
           f"{db}»" in err
    assert len(Repositorio.abrir(db).entradas()) == 5


def test_the_agenda_csv_counts_who_each_obligation_concerns(repo):  # noqa: F811
    # The five-contractor cycle of test_exports: one impeded cancellation on Wed 11-03-2026,
    # so IMSS owes a daily update by 12:00 of each hábil day while it stays suspended.
    texto = agenda_csv(repo.vista(), "2026-1").decode("utf-8").lstrip("\ufeff")
    head, *rows = list(csv.reader(io.StringIO(texto)))
    assert head[:7] == ["Límite", "Obligación", "Responsable", "Estado", "Cumplida en",
                        "Contratistas", "Pendientes"]
    assert rows[0][:7] == ["26-01-2026 10:00", "Padrón del ciclo", "STPS", "cumplida",
                           "26-01-2026 09:00", "5", "0"]
    diarias = [r[:7] for r in rows if r[1] == "Actualización diaria"]
    assert diarias == [
        ["12-03-2026 12:00", "Actualización diaria", "IMSS", "cumplida", "12-03-2026 11:00",
         "1", "0"],
        ["13-03-2026 12:00", "Actualización diaria", "IMSS", "pendiente", "", "1", "0"]]


def test_the_statistics_split_every_round_by_opinion_and_name_the_states(repo):  # noqa: F811
    texto = estadisticas_md(repo.vista(), "2026-1")
    assert "Al 12-03-2026 11:00 (reloj del almacén)." in texto
    for fila in ("| Listados en la ronda 1: Negativa | 2 |",
                 "| Listados en la ronda 1: Sin opinión | 2 |",
                 "| Listados en la segunda consulta: Negativa | 2 |",
                 "| Listados en la segunda consulta: Sin opinión | 1 |",
                 "| Listados en la tercera consulta: Negativa | 1 |",
                 "| Listados en la tercera consulta: Sin opinión | 1 |",
                 "| Cancelación suspendida | 1 |", "| Al corriente | 1 |"):
        assert fila in texto
    assert "_" not in texto.split("## Expedientes por estado")[1].split("---")[0]
