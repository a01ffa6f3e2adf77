"""Help, keys, search and cycles as an operator meets them: F1 scrolls to its last line at
80×24 and lists the keys of the screen it was opened from; the footer keeps import, act,
export and «Más teclas» in 80 columns; Textual's own commands speak Spanish and ``q`` asks
before quitting; «garcia» finds «GARCÍA» and Enter in the search opens the first match; the
cycle selector switches the tablero, the agenda and the padrón."""

from __future__ import annotations

from datetime import date

import pytest

from repse.core import inputs as inp
from repse.tui.app import RepseApp
from repse.tui.screens.ayuda import AyudaScreen
from repse.tui.screens.detalle import DetalleScreen
from repse.tui.screens.dialogos.confirmar import Confirmar
from repse.tui.widgets.tabla_padron import TablaPadron

from .test_ciclos import entradas_dos_ciclos, politica_apagada
from .test_engine import A, B, C
from .test_tui_pantallas import abierta as asentada
from .tui_apoyo import at, crear, esperar, pantalla, quieta, sincrono

NOMBRES = {A: "GARCÍA LÓPEZ Y ASOCIADOS S.A.", B: "Servicios Pérez S.C.",
           C: "García Núñez Limpieza S.A."}
FOLIOS = {A: "AR-1001", B: "AR-2002", C: "AR-3003"}


def padron_con_nombres() -> inp.Padron:
    return inp.Padron(at=at("2026-01-26T09:00:00"), actor="stps", ciclo="2026-1",
                      contratistas=tuple(inp.FilaPadron(r, NOMBRES[r], FOLIOS[r],
                                                        date(2024, 6, 1))
                                         for r in (A, B, C)))


@pytest.fixture
def nombres(tmp_path):
    return crear(tmp_path, [padron_con_nombres()])


@pytest.fixture
def dos_ciclos(tmp_path):
    return crear(tmp_path, [politica_apagada(), *entradas_dos_ciclos()])


def app_de(db) -> RepseApp:
    return RepseApp(db, ahora=lambda: at("2026-11-21T12:00:00"), usuario="prueba")


async def abierta(pilot) -> None:
    await pilot.app.listo.wait()
    await esperar(pilot, lambda: quieta(pilot.app))
    await pilot.pause()


async def pulsar(pilot, *teclas: str) -> None:
    await pilot.press(*teclas)
    await pilot.pause()


def filas(app) -> list[str]:
    return [app.vista.rfc(k) for k in app.screen.query_one(TablaPadron).filas.tolist()]


def test_the_search_ignores_accents_and_case_and_finds_folios(nombres):
    from repse.core.api import Repositorio

    repo = Repositorio.abrir(nombres)
    vista = repo.vista()
    assert [vista.rfc(k) for k in vista.filtrar(texto="garcia")] == [A, C]
    assert [vista.rfc(k) for k in vista.filtrar(texto="GARCÍA")] == [A, C]
    assert [vista.rfc(k) for k in vista.filtrar(texto="perez")] == [B]
    assert [vista.rfc(k) for k in vista.filtrar(texto="nunez limpieza")] == [C]
    assert [vista.rfc(k) for k in vista.filtrar(texto="ar-2002")] == [B]
    assert len(vista.filtrar(texto="asociados s.a. ar")) == 0  # never across name and folio
    repo.store.close()


@sincrono
async def test_garcia_finds_the_garcias_and_enter_opens_the_first(nombres):
    app = app_de(nombres)
    async with app.run_test(size=(80, 24)) as pilot:
        await abierta(pilot)
        await pulsar(pilot, "c")
        await pulsar(pilot, "slash", *"garcia")
        assert filas(app) == [A, C]
        assert "2 de 3 contratistas · búsqueda «garcia»" in pantalla(app)
        await pilot.press("enter")
        await esperar(pilot, lambda: isinstance(app.screen, DetalleScreen))
        assert app.screen.rfc == A
        await pilot.pause()
        assert "GARCÍA LÓPEZ Y ASOCIADOS S.A." in pantalla(app)
        await pulsar(pilot, "escape")
        assert filas(app) == [A, C]  # back to the search, as it was


@sincrono
async def test_f1_scrolls_to_its_last_line_at_80x24_and_lists_the_screens_keys(nombres):
    app = app_de(nombres)
    async with app.run_test(size=(80, 24)) as pilot:
        await abierta(pilot)
        await pulsar(pilot, "c")
        await pulsar(pilot, "f1")
        assert isinstance(app.screen, AyudaScreen)
        text = pantalla(app)
        assert "«Padrón de contratistas»" in text and "Teclas de esta pantalla" in text
        assert "su hora sin cumplirse." not in text
        await pulsar(pilot, "pagedown")
        text = pantalla(app)
        assert "/ — Buscar" in text or "Teclas de toda la aplicación" in text
        await pulsar(pilot, "end")
        text = pantalla(app)
        assert "su hora sin cumplirse." in text  # the help's last line
        assert "Scroll" not in text and "Focus" not in text  # Textual's English keys left out
        texto = app.screen.texto
        for linea in ("`/` — Buscar", "`Esc` — Quitar filtros", "`Enter` — Detalle",
                      "`i` — Importar", "`y` — Elegir el ciclo", "`q` — Salir de repse",
                      "`Ctrl+Q` — Salir sin preguntar", "**Por iniciar cancelación** —",
                      "**Actualización diaria** (IMSS) —"):
            assert linea in texto, linea
        await pulsar(pilot, "escape")
        assert not isinstance(app.screen, AyudaScreen)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@sincrono
async def test_the_footer_shows_the_actions_and_where_the_other_keys_are(nombres, size):
    app = app_de(nombres)
    async with app.run_test(size=size) as pilot:
        await abierta(pilot)
        for pantalla_ in ("t", "c", "a"):
            await pulsar(pilot, pantalla_)
            pie = pantalla(app).rstrip("\n").splitlines()[-1]
            for clave in ("i Importar", "x Acto", "e Exportar", "f1 Más teclas",
                          "^p Paleta"):
                assert clave in pie, (pantalla_, pie)


@sincrono
async def test_textuals_own_commands_and_messages_speak_spanish(nombres):
    app = app_de(nombres)
    async with app.run_test(size=(100, 30)) as pilot:
        await abierta(pilot)
        titulos = [c.title for c in app.get_system_commands(app.screen)]
        assert "Captura de pantalla" in titulos and "Salir sin preguntar" in titulos
        assert not {"Quit", "Keys", "Theme", "Screenshot"} & set(titulos)
        await pulsar(pilot, "ctrl+p")
        assert "Buscar un comando…" in pantalla(app)
        await pulsar(pilot, "escape")
        await pulsar(pilot, "ctrl+c")
        assert [n.title for n in app._notifications] == ["¿Salir de repse?"]
        await pilot.press("q")  # asks first; Esc keeps the app open
        await esperar(pilot, lambda: isinstance(app.screen, Confirmar))
        assert "Salir de repse" in pantalla(app)
        await pulsar(pilot, "escape")
        assert app.is_running and not isinstance(app.screen, Confirmar)
        await pilot.press("q")
        await esperar(pilot, lambda: isinstance(app.screen, Confirmar))
        await pilot.press("ctrl+s")
        await esperar(pilot, lambda: not app.is_running)


@sincrono
async def test_the_cycle_selector_switches_the_tablero_agenda_and_padron(dos_ciclos):
    app = app_de(dos_ciclos)
    async with app.run_test(size=(120, 40)) as pilot:
        await abierta(pilot)
        text = pantalla(app)
        assert "Ciclo 2026-2 (y: 1 más)" in text
        assert "Expedientes por estado · 2026-2" in text and "Agenda · 2026-2" in text
        await pulsar(pilot, "y")
        assert "2026-2 (el más reciente)" in pantalla(app)
        await pilot.press("down", "enter")  # the list: latest first
        await pilot.pause()
        text = pantalla(app)
        assert "Ciclo 2026-1 (y: 1 más)" in text
        assert "Expedientes por estado · 2026-1" in text and "Agenda · 2026-1" in text
        assert "Cancelación suspendida" in text  # B and C, impeded in 2026-1
        await pulsar(pilot, "a")
        assert "Agenda del ciclo 2026-1" in pantalla(app)
        await pulsar(pilot, "c")
        text = pantalla(app)
        assert "3 de 3 contratistas · padrón del ciclo 2026-1" in text
        [fila_b] = [line for line in text.splitlines() if B in line]
        assert " Cancelación suspendi" in fila_b  # its 2026-1 procedure, not 2026-2's
        app.screen.query_one("#f-estado").value = "cancelacion_suspendida"
        await pilot.pause()
        assert filas(app) == [B, C]
        # Back to the latest: each contractor with its latest procedure, C's mark kept.
        await pulsar(pilot, "y")
        await pulsar(pilot, "home", "enter")
        app.screen.query_one("#f-estado").value = "anterior_abierto"
        await pilot.pause()
        assert filas(app) == [B]
        assert "Ciclo 2026-2 (y: 1 más)" in pantalla(app)


# --- a screen pinned at 120×40 --------------------------------------------------------------
@sincrono
async def test_tablero_de_un_ciclo_anterior(dos_ciclos, snapshot):
    app = app_de(dos_ciclos)
    async with app.run_test(size=(120, 40)) as pilot:
        await asentada(pilot)
        app.ciclo = "2026-1"
        app._mostrar()
        await asentada(pilot)
        assert pantalla(app) == snapshot
