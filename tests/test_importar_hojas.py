"""Importing one sheet of a workbook through ``repse importar`` (issue 10, points 3 and 6): the
sheet is named by the operator and in the answer; a complete list cannot leave out the other
sheets' contractors; the same file is not recorded twice by accident."""

from __future__ import annotations

import json

from openpyxl import Workbook

from repse.tui.cli import main

RFCS = ("MAB9307148T4", "GODE561231GR8", "EES070422UV1")


def libro(path, **hojas) -> str:
    """A workbook with one sheet per keyword (name → (RFC, opinion) rows)."""
    wb = Workbook()
    wb.remove(wb.active)
    for nombre, filas in hojas.items():
        ws = wb.create_sheet(nombre.replace("_", " "))
        ws.append(["RFC", "Opinión"])
        for fila in filas:
            ws.append(list(fila))
    wb.save(path)
    return str(path)


def store(tmp_path) -> str:
    db = tmp_path / "s.db"
    padron = {"tipo": "padron", "at": "2026-01-26T09:00:00", "actor": "stps",
              "ciclo": "2026-1", "contratistas": [
                  {"rfc": r, "razon_social": f"EMPRESA {k}", "folio": str(k),
                   "fecha_registro": "2025-01-01"} for k, r in enumerate(RFCS)]}
    (tmp_path / "p.jsonl").write_text(json.dumps(padron) + "\n")
    assert main(["init", str(db), "--simulacion"]) == 0
    assert main(["registrar", str(db), str(tmp_path / "p.jsonl")]) == 0
    return str(db)


def importar(db, archivo, *extra) -> list[str]:
    return ["importar", "opiniones", db, archivo, "--ciclo", "2026-1", "--ronda", "1",
            "--at", "2026-01-26T17:00", "--actor", "imss", *extra]


def test_the_sheet_read_is_named_by_the_operator_and_in_the_answer(tmp_path, capsys):
    db = store(tmp_path)
    f = libro(tmp_path / "l.xlsx", Negativa=[(RFCS[0], "Negativa")],
              Sin_opinion=[(RFCS[1], "Sin opinión")])
    capsys.readouterr()
    assert main(importar(db, f)) == 1  # two sheets with data: which one?
    assert "indique qué hoja" in capsys.readouterr().out
    assert main(importar(db, f, "--hoja", "Negativa")) == 0
    out = capsys.readouterr().out
    assert "leído: libro XLSX, hoja «Negativa»" in out
    assert "Resumen: 1 fila aceptada" in out


def test_a_complete_list_from_one_sheet_of_several_is_refused(tmp_path, capsys):
    # An adversarial run's case: Negativa on one sheet, Sin opinión on the other, imported complete.
    db = store(tmp_path)
    f = libro(tmp_path / "l.xlsx", Negativa=[(RFCS[0], "Negativa")],
              Sin_opinion=[(RFCS[1], "Sin opinión")])
    capsys.readouterr()
    assert main(importar(db, f, "--hoja", "Negativa", "--completo")) == 1
    out = capsys.readouterr().out
    assert "RECHAZADA" in out and "«Sin opinion»" in out
    assert main(["estado", db, "--json"]) == 0
    estados = json.loads(capsys.readouterr().out)["contratistas"]
    assert {e["estado"] for e in estados.values()} == {"en_consulta"}  # nobody moved


def test_the_same_file_imported_twice_is_refused_unless_repeated_on_purpose(tmp_path, capsys):
    db = store(tmp_path)
    f = libro(tmp_path / "l.xlsx", Negativa=[(RFCS[0], "Negativa")])
    assert main(importar(db, f)) == 0
    capsys.readouterr()
    assert main(importar(db, f)) == 1
    assert "ya está registrada como la entrada 3" in capsys.readouterr().out
    # Recorded, not as a repetition; its only row now finds «señalado», so it is refused whole.
    assert main(importar(db, f, "--repetida")) == 1
    out = capsys.readouterr().out
    assert "Entrada 5 (opiniones del IMSS): RECHAZADA — su única fila no procede" in out
    assert "ya está registrada" not in out
