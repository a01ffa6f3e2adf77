"""``repse tui`` and ``repse demo`` from the command line (the TUI itself is not started)."""

from __future__ import annotations

import pytest

from repse.tui import cli, cmd_tui


def test_tui_sobre_un_almacen_que_no_existe_dice_que_hacer(tmp_path, capsys):
    assert cli.main(["tui", str(tmp_path / "no.db")]) == 2
    err = capsys.readouterr().err
    assert "no existe" in err and "repse demo" in err


def test_demo_genera_importa_el_padron_y_abre_la_interfaz(tmp_path, monkeypatch, capsys):
    try:
        import repse.core.demo
        import repse.core.files  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"la capa de archivos (repse.core.files, repse.core.demo) aún no está: {exc}")
    opened = []
    monkeypatch.setattr(cmd_tui, "_run", lambda db, datos=None: opened.append((db, datos)) or 0)
    db = tmp_path / "demo" / "demo.db"
    assert cli.main(["demo", "--contratistas", "200", "--db", str(db)]) == 0
    assert opened == [(db, db.parent)] and (db.parent / "padron.csv").exists()
    from repse.core.api import Repositorio

    repo = Repositorio.abrir(db)
    assert repo.simulacion and "2026-1" in repo.engine.ciclos
    repo.cerrar()
    out = capsys.readouterr().out
    assert "contratistas en consulta" in out
    # A second run reopens the store instead of overwriting it.
    assert cli.main(["demo", "--db", str(db)]) == 0
    assert "Reabriendo" in capsys.readouterr().out
