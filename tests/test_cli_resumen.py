"""What ``repse importar`` and ``repse registrar`` say about an input: rows of the file, and
never a negative count of transitions (issue 10, point 14)."""

from __future__ import annotations

import re

import pytest

from repse.core import inputs as inp
from repse.core.api import Repositorio
from repse.tui import cli

from .test_engine import at, opiniones, padron
from .test_exports import RFCS


@pytest.fixture
def db(tmp_path):
    empty = tmp_path / "vacio.toml"
    empty.write_text("")
    repo = Repositorio.crear(tmp_path / "r.db", calendario=empty, simulacion=True)
    repo.registrar(padron("2026-01-26T09:00:00", "2026-1", *RFCS))
    repo.cerrar()
    return tmp_path / "r.db"


def importar(db, tmp_path, capsys, *rows: str, completo: bool = True) -> str:
    archivo = tmp_path / "ronda1.csv"
    archivo.write_text("RFC,Opinión\n" + "".join(f"{r}\n" for r in rows), encoding="utf-8")
    cli.main(["importar", "opiniones", str(db), str(archivo), "--ciclo", "2026-1", "--ronda",
              "1", *(["--completo"] if completo else []), "--at", "2026-01-26T17:00",
              "--actor", "imss"])
    return capsys.readouterr().out


def test_the_opinions_summary_counts_the_rows_of_the_file(db, tmp_path, capsys):
    # Two listed, three absent from a complete list (they become positiva): two rows.
    out = importar(db, tmp_path, capsys, f"{RFCS[1]},Negativa", f"{RFCS[2]},Sin opinión")
    assert "Resumen: 2 filas aceptadas, 0 rechazadas" in out


def test_a_refused_row_is_not_counted_as_accepted(db, tmp_path, capsys):
    # A partial list: a complete one with a refused row is refused whole (point 4).
    out = importar(db, tmp_path, capsys, f"{RFCS[1]},Negativa", f"{RFCS[2]},Sin opinión",
                   "XAXX0101019A1,Negativa", completo=False)
    assert "Resumen: 2 filas aceptadas, 1 rechazada" in out


def test_an_annulment_prints_what_it_restored_never_a_negative_count(db, tmp_path, capsys):
    repo = Repositorio.abrir(db)
    r = repo.registrar(opiniones("2026-01-26T17:00:00", "2026-1", 1, True,
                                 **{RFCS[1]: "negativa"}))
    repo.cerrar()
    lineas = tmp_path / "anular.jsonl"
    lineas.write_bytes(inp.encode(inp.Anulacion(at=at("2026-01-27T09:00:00"), actor="imss",
                                                entrada=r.numero, motivo="lista equivocada")))
    capsys.readouterr()
    cli.main(["registrar", str(db), str(lineas)])
    out = capsys.readouterr().out
    # The opinions had moved 5 contractors (1 negativa, 4 positiva by the complete list): the
    # annulment fires nothing itself and names the 5 it put back in consulta.
    assert "0 transiciones" in out and "Cambios por recálculo: 5 contratistas" in out
    assert not re.search(r"-\d+ transiciones", out)


def test_a_list_sent_as_json_lines_counts_its_rows_too(db, tmp_path, capsys):
    # One row listed, the rest of the padrón absent from a complete list: 1 accepted row, and
    # the absent ones still become positiva (al_corriente).
    lineas = tmp_path / "r1.jsonl"
    lineas.write_bytes(inp.encode(opiniones("2026-01-26T17:00:00", "2026-1", 1, True,
                                            **{RFCS[1]: "negativa"})))
    capsys.readouterr()
    cli.main(["registrar", str(db), str(lineas)])
    assert "aceptada — 1 fila aceptada, 0 filas rechazadas" in capsys.readouterr().out
    estados = Repositorio.abrir(db).vista().contratistas()
    assert estados[RFCS[1]].estado == "senalado"
    assert {estados[r].estado for r in RFCS if r != RFCS[1]} == {"al_corriente"}
