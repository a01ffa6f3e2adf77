"""The screen «Declaraciones» (key k): counts per period and state, the breaches of a period
with the fine range, the clock firing the omissions; pinned at 80×24 and 120×40."""

from __future__ import annotations

from datetime import date

import pytest

from repse.core import inputs as inp
from repse.tui.app import RepseApp

from .test_engine import A, B, C, D, padron
from .tui_apoyo import at, crear, esperar, pantalla, quieta, sincrono


def _store(tmp_path):
    # 2026-C1 is due Mon 18 May 2026 (17 May is a Sunday): A and B filed on time.
    filings = inp.Declaraciones(at=at("2026-05-15T10:00:00"), actor="imss", periodo="2026-C1",
                                declaraciones=(inp.FilaDeclaracion(A, date(2026, 5, 14)),
                                               inp.FilaDeclaracion(B, date(2026, 5, 15))))
    return crear(tmp_path, [padron("2026-01-26T09:00:00", "2026-1", A, B, C, D), filings,
                            inp.Reloj(at=at("2026-05-18T12:00:00"), actor="imss")])


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@sincrono
async def test_declaraciones(tmp_path, snapshot, size):
    app = RepseApp(_store(tmp_path), ahora=lambda: at("2026-11-21T12:00:00"), usuario="prueba")
    async with app.run_test(size=size) as pilot:
        await app.listo.wait()
        await pilot.press("k")
        await esperar(pilot, lambda: "2026-C1" in pantalla(app))
        assert "2026-C1: 0 incumplidos" in pantalla(app)
        await pilot.press("n")  # the next deadline: the end of Mon 18 May
        await esperar(pilot, lambda: app.vista.reloj == at("2026-05-19T00:00:00"))
        await esperar(pilot, lambda: quieta(app) and "2026-C1: 2 incumplidos" in pantalla(app))
        text = pantalla(app)
        assert "multa $58,655.00 a $234,620.00 (500–2,000 UMA)" in text
        assert text == snapshot
