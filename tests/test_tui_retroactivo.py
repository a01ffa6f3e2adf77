"""The TUI's import and act dialogs offer «Retroactivo» only for a date before the clock, and
the confirmation shows what the correction will change before it is recorded (issue 11,
point 6). Driven from the keyboard with Pilot."""

from __future__ import annotations

from repse.core import inputs as inp
from repse.core.api import Repositorio
from repse.tui.app import RepseApp
from repse.tui.screens.dialogos.acto import Acto
from repse.tui.screens.dialogos.confirmar import Confirmar
from repse.tui.screens.dialogos.importar import Importar
from repse.tui.screens.dialogos.resultado import Resultado

from .test_entradas_seguras import RFCS, RONDA1, padron
from .test_tui_ciclo import AHORA, abrir, dialogo, texto
from .tui_apoyo import at, crear, esperar, quieta, sincrono


def almacen(tmp_path):
    """The padrón of 2026-1 at D0 (Mon 26-01-2026 09:00), then the clock two days on."""
    return crear(tmp_path, [padron("2026-1", "2026-01-26T09:00"),
                            inp.Reloj(at=at("2026-01-28T09:00"), actor="gt")])


async def abrir_dialogo(pilot, tecla: str, cls, por_omision: str):
    """Open a dialog whose date defaults to ``por_omision``, not before the clock: then
    «Retroactivo» is not offered."""
    await abrir(pilot)
    await pilot.press(tecla)
    d = await dialogo(pilot, cls)
    assert d.query_one("#at").value == por_omision
    assert not d.query_one("#retroactivo").display
    return d


@sincrono
async def test_a_file_dated_before_the_clock_is_imported_retroactively_after_a_trial(tmp_path):
    db = almacen(tmp_path)
    (tmp_path / "r1.csv").write_text(RONDA1, encoding="utf-8")
    app = RepseApp(db, ahora=lambda: AHORA, usuario="prueba", datos=tmp_path)
    async with app.run_test(size=(110, 40)) as pilot:
        d = await abrir_dialogo(pilot, "i", Importar, "2026-01-28 09:00")  # the clock
        # The type proposed: the round-1 lists are owed (their cut-off passed).
        assert d.query_one("#tipo").value == "opiniones"
        await pilot.press("tab", *str(tmp_path / "r1.csv"), "tab", *"2026-1")
        await pilot.press("tab", *"2026-01-26 18:00")  # round 1, on D0 at 18:00
        assert d.query_one("#retroactivo").display
        await pilot.press("ctrl+s")  # not marked: said, nothing recorded
        assert "márquela «Retroactivo»" in str(d.query_one("#error").render())
        await pilot.press("tab", "space")
        # Past the round (1, proposed) and «completa» (proposed) to declare the list partial.
        await pilot.press("tab", "tab", "tab", "space", "ctrl+s")
        c = await dialogo(pilot, Confirmar)
        # Tried, not recorded: the two listed contractors would become señalados.
        assert "Se registraría ACEPTADA: 2 filas aceptadas, 0 filas rechazadas." in c.texto
        assert "El recálculo cambia 2 contratistas:" in c.texto
        assert f"{RFCS[0]}: En consulta → Señalado" in c.texto
        assert "Retroactiva: fechada el lun 26-01-2026 18:00, antes del reloj (mié " \
               "28-01-2026 09:00)" in c.texto
        assert app.presente.ancla.numero == 3
        await pilot.press("enter")
        r = await dialogo(pilot, Resultado)
        assert "Cambios por recálculo: 2 contratistas" in texto(r)
        await pilot.press("escape")
        await esperar(pilot, lambda: quieta(app))
    repo = Repositorio.abrir(db)
    assert repo.store.last()[0] == 4 and repo.vista().reloj == at("2026-01-28T09:00")
    repo.cerrar()


@sincrono
async def test_an_act_dated_before_the_clock_shows_its_trial_and_can_be_left(tmp_path):
    db = almacen(tmp_path)
    app = RepseApp(db, ahora=lambda: AHORA, usuario="prueba", datos=tmp_path)
    async with app.run_test(size=(110, 40)) as pilot:
        d = await abrir_dialogo(pilot, "x", Acto, "2026-01-28 09:00")
        d.query_one("#escritos").value = True
        d.query_one("#rfcs").value = RFCS[0]
        d.query_one("#at").value = "2026-01-27 10:00"
        await pilot.pause()
        assert d.query_one("#retroactivo").display
        d.query_one("#retroactivo").focus()
        await pilot.press("space")
        assert d.query_one("#retroactivo").value
        await pilot.press("ctrl+s")
        c = await dialogo(pilot, Confirmar)
        # No round-1 opinion yet: the exhorto would be refused, and nothing is recorded.
        assert "Se registraría RECHAZADA — su única fila no procede" in c.texto
        await pilot.press("escape")
        await esperar(pilot, lambda: quieta(app) and not isinstance(app.screen, Confirmar))
    repo = Repositorio.abrir(db)
    assert repo.store.last()[0] == 3
    repo.cerrar()


@sincrono
async def test_the_default_date_never_falls_before_a_clock_with_seconds(tmp_path):
    """After a step to a cut-off the clock may sit one second past a minute (walkthrough
    finding 7): the default is the next minute, so no «Retroactivo» is asked for it."""
    db = crear(tmp_path, [padron("2026-1", "2026-01-26T09:00"),
                          inp.Reloj(at=at("2026-01-28T12:00:01"), actor="gt")])
    app = RepseApp(db, ahora=lambda: AHORA, usuario="prueba", datos=tmp_path)
    async with app.run_test(size=(110, 40)) as pilot:
        await abrir_dialogo(pilot, "x", Acto, "2026-01-28 12:01")
        await pilot.press("escape")
