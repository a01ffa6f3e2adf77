"""``repse importar --ensayo`` prints what the input would do, the same preview as the TUI's
confirmation, and records nothing (issue 13, point 1)."""

from __future__ import annotations

import re

from repse.core.api import Repositorio
from repse.tui import cli

from . import test_cli_resumen
from .test_exports import RFCS

db = test_cli_resumen.db  # the fixture: a padrón of five contractors, on D0


def importar(db, tmp_path, capsys, *rows: str, completo: bool = True, ensayo: bool = True,
             ronda: str = "1", cuando: str = "2026-01-26T17:00") -> tuple[int, str]:
    archivo = tmp_path / "ronda1.csv"
    archivo.write_text("RFC,Opinión\n" + "".join(f"{r}\n" for r in rows), encoding="utf-8")
    capsys.readouterr()
    estado = cli.main(["importar", "opiniones", str(db), str(archivo), "--ciclo", "2026-1",
                       "--ronda", ronda, *(["--completo"] if completo else []), "--at", cuando,
                       "--actor", "imss", *(["--ensayo"] if ensayo else [])])
    return estado, capsys.readouterr().out


def entradas(db) -> int:
    repo = Repositorio.abrir(db)
    try:
        return repo.store.last()[0]
    finally:
        repo.cerrar()


def test_the_trial_prints_the_preview_and_records_nothing(db, tmp_path, capsys):
    antes = entradas(db)
    filas = (f"{RFCS[1]},Negativa", f"{RFCS[2]},Sin opinión")
    estado, out = importar(db, tmp_path, capsys, *filas)
    assert estado == 0 and entradas(db) == antes
    assert "Tipo: opiniones del IMSS, ronda 1" in out
    assert "Lista completa: quien no figura queda positiva" in out
    # Two listed; the three absent from a complete list become positiva.
    assert "Se registraría ACEPTADA: 2 filas aceptadas, 0 filas rechazadas." in out
    assert "Opiniones: 1 negativa, 1 sin opinión; pasan a positiva: 3." in out
    assert "  Opinión positiva (2026-1): 3" in out
    assert "Nada se registró (--ensayo)." in out

    # Recorded, it does what the trial said.
    estado, hecho = importar(db, tmp_path, capsys, *filas, ensayo=False)
    assert estado == 0 and entradas(db) == antes + 1
    assert "Resumen: 2 filas aceptadas, 0 rechazadas" in hecho
    assert re.search(r"Opinión positiva \(2026-1\): 3\b", hecho)


def test_a_trial_that_would_be_refused_exits_1_and_says_why(db, tmp_path, capsys):
    antes = entradas(db)
    estado, out = importar(db, tmp_path, capsys, f"{RFCS[1]},Negativa",
                           "XAXX0101019A1,Negativa")
    assert estado == 1 and entradas(db) == antes
    assert "Se registraría RECHAZADA — lista completa con 1 filas rechazadas" in out
    assert "Primeros rechazos:" in out and "XAXX0101019A1" in out


def test_the_trial_warns_of_a_file_already_recorded_and_a_date_far_from_the_plan(
        db, tmp_path, capsys):
    filas = (f"{RFCS[1]},Negativa",)
    importar(db, tmp_path, capsys, *filas, completo=False, ensayo=False)
    estado, out = importar(db, tmp_path, capsys, *filas, completo=False, ronda="3",
                           cuando="2026-06-01T11:00")
    assert estado == 1  # every row refused: round 3 is awaited by nobody yet
    assert "Archivo ya registrado: las mismas filas son la entrada 3" in out
    # No exhorto recorded: the plan assumes it on Thu 29-01 (the last day of its window); 30
    # natural days end Sat 28-02, moved to Mon 02-03; D2 is Tue 03-03, the 5 hábil days to
    # manifest run Wed 04-03 to Tue 10-03, and D3 is Wed 11-03-2026.
    assert "la tercera consulta (D3) es el mié 11-03-2026; esta entrada se fecha el lun " \
           "01-06-2026" in out
    assert "Lista parcial: solo cambian quienes figuran" in out


def test_the_trial_of_a_report_list_names_its_period_not_a_cycle(tmp_path, capsys):
    """A four-monthly report list belongs to a period (LSS art. 15 A): the trial says which,
    and the cycle plan's warnings (which need a cycle) are not asked of it."""
    db = tmp_path / "c.db"
    assert cli.main(["init", str(db), "--simulacion"]) == 0
    f = tmp_path / "padron.csv"
    f.write_text("RFC,Razón social,Folio,Fecha de registro\n"
                 "MAB9307148T4,Uno SA,F1,2025-06-01\n", encoding="utf-8")
    assert cli.main(["importar", "padron", str(db), str(f), "--ciclo", "2026-1",
                 "--at", "2026-01-26T09:00", "--actor", "stps"]) == 0
    d = tmp_path / "icsoe.csv"
    # 2026-C1 (January–April) is due on 17 May 2026, a Sunday: Monday 18 May (CFF art. 12).
    d.write_text("RFC,Fecha de presentación\nMAB9307148T4,2026-05-15\n", encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["importar", "declaraciones", str(db), str(d), "--periodo", "2026-C1",
                 "--at", "2026-05-18T20:00", "--actor", "imss", "--ensayo"]) == 0
    out = capsys.readouterr().out
    assert "Periodo: 2026-C1" in out and "Nada se registró (--ensayo)." in out


def test_a_round_2_file_imported_as_round_1_is_warned_of(tmp_path, capsys):
    """The file says «ronda 2» and the operator chose round 1: a complete round-1 list would
    make everyone absent from it positiva, so the trial and the import both say so."""
    db = tmp_path / "c.db"
    assert cli.main(["init", str(db), "--simulacion"]) == 0
    f = tmp_path / "padron.csv"
    f.write_text("RFC,Razón social,Folio,Fecha de registro\n"
                 "MAB9307148T4,Uno SA,F1,2025-06-01\nAAA001022CLA,Dos SA,F2,2025-06-01\n",
                 encoding="utf-8")
    assert cli.main(["importar", "padron", str(db), str(f), "--ciclo", "2026-1",
                     "--at", "2026-01-26T09:00", "--actor", "stps"]) == 0
    lista = tmp_path / "opiniones_ronda2.csv"
    lista.write_text("RFC,Opinión\nMAB9307148T4,Negativa\n", encoding="utf-8")
    args = ["importar", "opiniones", str(db), str(lista), "--ciclo", "2026-1", "--ronda", "1",
            "--completo", "--at", "2026-01-26T17:00", "--actor", "imss"]
    capsys.readouterr()
    assert cli.main([*args, "--ensayo"]) == 0
    aviso = ("Otra ronda: «opiniones_ronda2.csv» dice ronda 2 y se importa como ronda 1; "
             "compruebe la ronda antes de registrar")
    assert aviso in capsys.readouterr().out
    assert cli.main(args) == 0
    assert f"repse: aviso: {aviso}" in capsys.readouterr().err
