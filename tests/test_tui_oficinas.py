"""Two offices at once in the TUI (issue 12, point 3): each sees the other's inputs without
reloading, told who recorded what; a lost connection is said in the top line and retried, and an
input that could not be recorded is offered again, never dropped.

On PostgreSQL the server wakes each app (NOTIFY when an input commits); on a SQLite file each app
polls the log's head every second. The waits are bounded polls: a second for the server, two
for a file (up to one polling period, then the catch-up).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from repse.core import inputs as inp
from repse.core.api import Repositorio
from repse.core.store import abrir_almacen
from repse.tui.app import RepseApp
from repse.tui.screens.dialogos.confirmar import Confirmar
from tests.test_servidor import PADRON, Almacen, preparado, servidor  # noqa: F401 (the fixture)

from .tui_apoyo import at, crear, esperar, pantalla, sincrono

AHORA = at("2026-11-21T12:00:00")
# Both stores hold the padrón of 2026-1, received on Monday 26 January 2026 at 09:00; «d» steps
# to the next hábil day: Tuesday 27, then Wednesday 28.
MARTES, MIERCOLES = "mar 27-01-2026 00:00", "mié 28-01-2026 00:00"


def con_padron(a: Almacen) -> Almacen:
    """The STPS (beto) delivers the padrón."""
    repo = Repositorio.abrir(a.como("beto"))
    try:
        assert repo.registrar_linea(json.dumps(PADRON)).aceptada
    finally:
        repo.cerrar()
    return a


def version(app: RepseApp) -> int:
    return app.presente.version if app.presente else -1


async def abiertas(*pilotos) -> None:
    for p in pilotos:
        await p.app.listo.wait()
        await p.pause()


async def ver_entrada_de_la_otra(pilot_1, pilot_2, quien: str, reloj: str,
                                 segundos: float) -> None:
    """The first office steps the clock; the second shows it, and who did it."""
    antes = version(pilot_2.app)
    await pilot_1.press("d")
    await esperar(pilot_1, lambda: version(pilot_1.app) == antes + 1)
    await esperar(pilot_2, lambda: version(pilot_2.app) == antes + 1, segundos)
    await esperar(pilot_2, lambda: f"registrada por {quien}" in pantalla(pilot_2.app))
    texto = pantalla(pilot_2.app)
    assert f"Entrada {antes + 1}: reloj (vence un plazo), registrada por {quien}" in texto
    assert f"Reloj {reloj}" in texto.splitlines()[0]  # the top line follows the other office


def url_con_contrasena(a: Almacen, login: str) -> str:
    """The store as a URL that carries a password (the test server trusts its socket)."""
    assert a.pg is not None
    return f"postgresql://{login}:secreto123@/{a.base}?host={a.pg.dir}&port={a.pg.puerto}"


@sincrono
async def test_la_segunda_oficina_ve_al_instante_lo_que_registra_la_primera(servidor):  # noqa: F811
    a = con_padron(preparado(servidor))
    ana = RepseApp(url_con_contrasena(a, "ana"), ahora=lambda: AHORA)  # IMSS and GT
    beto = RepseApp(a.como("beto"), ahora=lambda: AHORA)  # STPS and GT
    async with ana.run_test(size=(120, 40), notifications=True) as p_ana, \
            beto.run_test(size=(120, 40), notifications=True) as p_beto:
        await abiertas(p_ana, p_beto)
        arriba = pantalla(ana).splitlines()[0]
        assert "almacén de simulación" in arriba and "user=ana" in arriba
        assert "secreto123" not in pantalla(ana)
        await ver_entrada_de_la_otra(p_ana, p_beto, "ana", MARTES, segundos=1.0)
        await ver_entrada_de_la_otra(p_beto, p_ana, "beto", MIERCOLES, segundos=1.0)
    assert [(n, usuario) for n, _, _, usuario in a.filas()[2:]] == [(3, "ana"), (4, "beto")]


@sincrono
async def test_dos_oficinas_sobre_un_archivo_se_ven_por_sondeo(tmp_path):
    db = crear(tmp_path, [inp.decode(json.dumps(PADRON))])
    ana = RepseApp(db, ahora=lambda: AHORA, usuario="ana")
    beto = RepseApp(str(db), ahora=lambda: AHORA, usuario="beto")
    async with ana.run_test(size=(120, 40), notifications=True) as p_ana, \
            beto.run_test(size=(120, 40), notifications=True) as p_beto:
        await abiertas(p_ana, p_beto)
        await ver_entrada_de_la_otra(p_ana, p_beto, "ana", MARTES, segundos=2.0)
        await ver_entrada_de_la_otra(p_beto, p_ana, "beto", MIERCOLES, segundos=2.0)


def cortar(a: Almacen, login: str, *, volver: bool) -> None:
    """The server stops taking ``login`` (its connections closed), or takes it again."""
    assert a.pg is not None
    orden = (f"ALTER ROLE {login} LOGIN" if volver else
             f"ALTER ROLE {login} NOLOGIN; SELECT pg_terminate_backend(pid) "
             f"FROM pg_stat_activity WHERE usename = '{login}'")
    proc = a.pg.psql(a.destino, orden)
    assert proc.returncode == 0, proc.stderr


def relojes(a: Almacen) -> list[int]:
    store = abrir_almacen(a.destino)
    try:
        return [n for n, cuerpo in store.aceptadas() if b'"tipo":"reloj"' in cuerpo]
    finally:
        store.close()


@sincrono
async def test_una_conexion_perdida_se_dice_y_lo_que_no_se_registro_se_reintenta(servidor):  # noqa: F811
    a = con_padron(preparado(servidor))
    app = RepseApp(a.como("ana"), ahora=lambda: AHORA)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await abiertas(pilot)
        arriba: Callable[[], str] = lambda: pantalla(app).splitlines()[0]  # noqa: E731
        assert "SIN CONEXIÓN" not in arriba()
        cortar(a, "ana", volver=False)
        await esperar(pilot, lambda: "SIN CONEXIÓN con el almacén, reintentando" in arriba())

        # An input typed meanwhile is not recorded, and the operator is told so and offered it
        # again.
        await pilot.press("d")
        await esperar(pilot, lambda: isinstance(app.screen, Confirmar))
        await pilot.pause()
        texto = pantalla(app)
        assert "nada de esta operación quedó registrado" in texto and "Reintentar" in texto
        assert relojes(a) == []

        cortar(a, "ana", volver=True)
        await esperar(pilot, lambda: "SIN CONEXIÓN" not in arriba(), segundos=60)
        await esperar(pilot, lambda: "Conexión con el almacén restablecida" in pantalla(app))
        await pilot.press("enter")  # «Reintentar»
        await esperar(pilot, lambda: app.presente is not None and app.presente.version == 3)
        assert f"Reloj {MARTES}" in arriba()
    assert relojes(a) == [3] and a.filas()[2][3] == "ana"
