"""The operators' terminal UI (Textual): where the cycle stands, what is due, stepping the clock,
loading what the institutions deliver and producing what they must send.

The app shows a read model (a :class:`Vista`, never the engine) and calls ``repse.core``'s public
API in thread workers, one at a time (the repository's connection is shared). Each worker posts a
message (:mod:`.mensajes`) with its answer and the new Vista; the Vista shown changes only when
that message is handled, on the UI thread, so a screen never reads a state being changed.

Another office may append to the same store at any moment: a follower thread is woken by the
server (LISTEN/NOTIFY) or, on a SQLite file, polls the log's head every second, catches up on the
repository under the same lock, and tells who recorded what. A lost connection is said in the top
line and retried with backoff; a store call that failed offers to run again, with what the
operator typed.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import getpass
import threading
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import ClassVar, TypeVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from ..core import inputs as inp
from ..core import previa
from ..core.api import (
    EntradaRegistrada,
    Repositorio,
    Respuesta,
    es_servidor,
    escuchar,
    nombre_almacen,
)
from ..core.cycle import fecha_corta
from ..core.errors import RepseError
from ..core.etiquetas import (
    ENTRADA,
    EVENTO,
    cuantos,
    mayuscula,
    momento,
    nombre_estado,
    numero,
)
from ..core.exports import avisos_exportar, exportar, notificacion_cartas, resumen
from ..core.files import importar as importar_archivo
from ..core.vista import Vista
from . import mensajes as m
from .screens.agenda import AgendaScreen
from .screens.ayuda import AyudaScreen, tecla, texto_ayuda
from .screens.base import Destinatarios, Pantalla
from .screens.ciclo import ElegirCiclo
from .screens.contratistas import ContratistasScreen
from .screens.declaraciones import DeclaracionesScreen
from .screens.detalle import DetalleScreen
from .screens.dialogos.acto import Acto
from .screens.dialogos.anular import Anular
from .screens.dialogos.confirmar import Confirmar
from .screens.dialogos.exportar import Exportar
from .screens.dialogos.importar import Importar
from .screens.dialogos.momento import PedirMomento
from .screens.dialogos.resultado import Resultado
from .screens.entradas import EntradasScreen, RechazosScreen, cambios_por_estado, describir
from .screens.tablero import TableroScreen
from .texto import now
from .widgets.tabla_padron import TablaPadron

# Actions that write to the store: unavailable while looking at a past instant.
ESCRITURA = {"proximo", "dia_habil", "ir_a_fecha", "importar", "acto", "simulacion"}
TEMAS = ("textual-dark", "textual-light")
SONDEO = 1.0  # seconds between looks at the log for other offices' inputs
ESPERA_MAXIMA = 30.0  # the longest wait between two attempts to reach a lost server
T = TypeVar("T")


class RepseApp(App):
    """``repse tui DB``."""

    TITLE = "repse"
    SUB_TITLE = "Ciclo REPSE · grupo de trabajo IMSS–STPS"
    CSS_PATH = "app.tcss"
    MODES: ClassVar[dict] = {"tablero": TableroScreen, "contratistas": ContratistasScreen,
             "agenda": AgendaScreen, "declaraciones": DeclaracionesScreen,
             "entradas": EntradasScreen, "rechazos": RechazosScreen}
    DEFAULT_MODE = "tablero"
    # The footer shows the screen's own keys, then these in this order, as far as the width
    # goes: at 80 columns the actions and «Más teclas» (F1 lists every key) always fit.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("i", "importar", "Importar"),
        Binding("x", "acto", "Acto"),
        Binding("e", "exportar", "Exportar"),
        Binding("f1", "ayuda", "Más teclas"),
        Binding("t", "modo('tablero')", "Tablero"),
        Binding("c", "modo('contratistas')", "Padrón"),
        Binding("a", "modo('agenda')", "Agenda"),
        Binding("k", "modo('declaraciones')", "Declaraciones", show=False),
        Binding("l", "entradas", "Entradas"),
        Binding("n", "proximo", "Vencimiento"),
        Binding("d", "dia_habil", "Día hábil"),
        Binding("m", "momento", "Pasado"),
        Binding("y", "ciclo", "Ciclo"),
        Binding("g", "ir_a_fecha", "Fecha", show=False),
        Binding("r", "rechazos", "Rechazos", show=False),
        Binding("s", "simulacion", "Ensayo", show=False),
        Binding("f2", "tema", "Tema", show=False),
        Binding("q", "salir", "Salir", show=False),
        # Textual's own, in Spanish (the keys panel and the palette read these).
        Binding("ctrl+q", "quit", "Salir sin preguntar", show=False, priority=True),
        Binding("ctrl+p", "command_palette", "Paleta", show=False, priority=True,
                tooltip="Abrir la paleta de comandos: todas las acciones"),
    ]

    resumen: reactive[tuple[str, str]] = reactive(("Abriendo…", "operacion"))
    actividad: reactive[tuple[str, int, int | None] | None] = reactive(None)

    def __init__(self, db: str | Path, *, ahora: Callable[[], datetime] = now,
                 datos: Path | None = None, usuario: str | None = None,
                 importar: Callable[..., Respuesta] = importar_archivo) -> None:
        super().__init__()
        self.db = str(db)  # a SQLite path, or a server's URL or keywords (may hold a password)
        self.nombre = nombre_almacen(db)  # what the screen calls it: never the password
        carpeta = Path.cwd() if es_servidor(db) else Path(db).parent
        self.datos = datos or carpeta  # where the import dialog looks for files
        self.salidas = carpeta / "salidas"  # where exports go by default
        self.ahora = ahora
        self.usuario = usuario or _usuario()
        self._importar = importar  # injectable (tests)
        self._almacen = threading.Lock()  # held by the one worker using the repository
        self.real: Repositorio | None = None  # the store on disk
        self.repo: Repositorio | None = None  # where inputs go: the store, or its copy
        self.presente: Vista | None = None  # the state of ``repo``, as of its last input
        self.pasado: tuple[datetime, Vista] | None = None  # a past instant (read-only)
        self.simulacion = False  # the store on disk is a simulation store
        self.ocupado = False  # a store worker is running
        self.ultimo: tuple[str, list[str]] | None = None  # the last step: title, what fired
        self.ciclo: str | None = None  # the cycle chosen to be shown; None: the latest
        self.conexion: str | None = None  # why the store cannot be reached, while it cannot
        self._reabrir = False  # a store call failed: reopen the store before the next one
        self._parar = threading.Event()  # the app is closing: the follower stops
        self._espera = SONDEO  # before the follower's next attempt to reach a lost store
        self._perdida = False  # the follower lost the store and has not reached it since
        self.listo = asyncio.Event()

    # --- the state shown ------------------------------------------------------------------
    @property
    def vista(self) -> Vista | None:
        return self.pasado[1] if self.pasado is not None else self.presente

    def _repo(self) -> Repositorio:
        """Where inputs go, read when a store call runs (under the lock): after a lost
        connection, the store reopened."""
        assert self.repo is not None
        return self.repo

    @property
    def es_copia(self) -> bool:
        return self.repo is not None and self.repo is not self.real

    @property
    def ciclo_mostrado(self) -> str | None:
        """The cycle the screens show: the one chosen with ``y`` while the state shown has it,
        else the latest."""
        vista = self.vista
        if vista is None:
            return None
        return self.ciclo if self.ciclo in vista.ciclos else vista.ciclo_actual

    def _mostrar(self) -> None:
        """The state shown changed: the status line and the screen in view follow it."""
        self.resumen = self._resumen()
        if isinstance(self.screen, Pantalla):
            self.screen.mostrar(self.vista)

    def _resumen(self) -> tuple[str, str]:
        vista = self.vista
        reloj = vista.reloj if vista else None
        ciclo = self.ciclo_mostrado
        otros = len(vista.ciclos) - 1 if vista else 0
        parts = [f"Reloj {momento(reloj)}" if reloj else "Reloj sin iniciar",
                 (f"Ciclo {ciclo}" + (f" (y: {otros} más)" if otros else "")) if ciclo
                 else "Sin ciclo abierto"]
        if self.conexion is not None:
            return (f"SIN CONEXIÓN con el almacén, reintentando · {' · '.join(parts)} · "
                    f"{self.conexion}", "sinconexion")
        if self.pasado is not None:
            return (f"PASADO (solo lectura) · {' · '.join(parts)} · m: volver al presente",
                    "pasado")
        if self.es_copia:
            return (f"COPIA DE SIMULACIÓN — nada se guarda en {self.nombre} · "
                    f"{' · '.join(parts)} · s: salir", "copia")
        kind = "simulación" if self.simulacion else "operación"
        return f"{' · '.join(parts)} · almacén de {kind}: {self.nombre}", (
            "simulacion" if self.simulacion else "operacion")

    # --- the store workers ----------------------------------------------------------------
    def llamar_almacen(self, texto: str, hacer: Callable[[], Message],
                   fallo: str = "No se pudo completar") -> None:
        """Run ``hacer`` (store calls that return the message with their answer) in a worker,
        with the activity bar showing ``texto`` until it ends. ``hacer`` reads ``self.repo``
        when it runs: a retry after a lost connection runs on the store reopened."""
        self.ocupado = True
        self.actividad = (texto, 0, None)
        self._llamada(texto, hacer, fallo)

    @work(thread=True, exclusive=True, group="almacen")
    def _llamada(self, texto: str, hacer: Callable[[], Message], fallo: str) -> None:
        # The lock, not ``exclusive``, keeps the repository to one thread: cancelling a thread
        # worker does not stop it. The message is posted under it, so that the follower's
        # newer state is never overtaken by an older one.
        with self._almacen:
            try:
                self._reabierto()
                mensaje = hacer()
            except (RepseError, OSError) as exc:
                # Whatever the call left in memory (an input applied, then not stored) must
                # not stay: the store is read again before the next call.
                self._reabrir = self.repo is self.real
                mensaje = m.Fallo(fallo, str(exc), (texto, hacer, fallo))
            self.post_message(mensaje)

    def _reabierto(self) -> None:
        """(Under the lock.) After a failed store call, the store read again from where it
        lives; the new state is posted."""
        viejo = self.real
        if not self._reabrir or viejo is None:
            return
        nuevo = Repositorio.abrir(self.db, ahora=self.ahora)
        with contextlib.suppress(RepseError):  # its connection may be gone; no snapshot of it
            viejo.store.close()
        self.real, self._reabrir = nuevo, False
        if self.repo is viejo:
            self.repo = nuevo
        self.post_message(m.Reabierto(_preparada(nuevo.vista())))

    @on(m.Reabierto)
    def _reabierto_mostrar(self, msg: m.Reabierto) -> None:
        if not self.es_copia:
            self.presente = msg.vista
            self._mostrar()

    # --- other offices: following the store -----------------------------------------------
    @work(thread=True, group="seguimiento")
    def _seguir(self) -> None:
        """Follow the inputs other offices append; a lost connection is said and retried,
        waiting 1, 2, 4 … 30 s (back to 1 s once it answers)."""
        while not self._parar.is_set():
            try:
                self._escuchar()
            except RepseError as exc:
                self._perdida = True
                self.post_message(m.Conexion(str(exc)))
                self._parar.wait(self._espera)
                self._espera = min(2 * self._espera, ESPERA_MAXIMA)

    def _escuchar(self) -> None:
        """Until the app closes: woken by the server, or polling a file's head every second."""
        escucha = escuchar(self.db)
        try:
            self._al_dia()  # whatever was appended while nobody listened
            self._espera = SONDEO
            if self._perdida:
                self._perdida = False
                self.post_message(m.Conexion(None))
            while not self._parar.is_set():
                if escucha is None:
                    self._parar.wait(SONDEO)
                elif not escucha.esperar(SONDEO) and not self._reabrir:
                    continue
                self._al_dia()
        finally:
            if escucha is not None:
                escucha.cerrar()

    def _al_dia(self) -> None:
        with self._almacen:
            if self._parar.is_set():  # the app is closing the store
                return
            try:
                self._reabierto()
                real = self.real
                assert real is not None  # followed only once open
                nuevas = real.al_dia()
                if nuevas:
                    self.post_message(m.Novedades(nuevas, _preparada(real.vista())))
            except RepseError:
                self._reabrir = True  # its connection is gone: a new one when it answers
                raise

    @on(m.Conexion)
    def _conexion(self, msg: m.Conexion) -> None:
        if msg.motivo is None and self.conexion is not None:
            self.notify("Conexión con el almacén restablecida.", title="Conexión")
        self.conexion = msg.motivo
        self.resumen = self._resumen()

    @on(m.Novedades)
    def _novedades(self, msg: m.Novedades) -> None:
        if not self.es_copia:
            self.presente = msg.vista
            self._mostrar()
        lineas = [f"Entrada {n.numero}: {ENTRADA.get(n.tipo, n.tipo)}"
                  f"{'' if n.aceptada else ' (RECHAZADA)'}, registrada por "
                  f"{n.usuario or 'alguien sin nombre'}" for n in msg.nuevas[-5:]]
        if len(msg.nuevas) > 5:
            lineas.insert(0, f"… y {len(msg.nuevas) - 5} entradas antes")
        self.notify("\n".join(lineas), title="Registrado en otra oficina",
                    timeout=10 if len(lineas) == 1 else 15)

    @on(Worker.StateChanged)
    def _llamada_terminada(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "almacen" and event.state in (
                WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            self.ocupado = False
            self.actividad = None

    def progreso(self, texto: str) -> Callable[[int, int | None], None]:
        """A ``progreso(done, total)`` callback for a store worker."""
        def report(hecho: int, total: int | None) -> None:
            self.post_message(m.Avance(texto, hecho, total))
        return report

    @on(m.Avance)
    def _avance(self, msg: m.Avance) -> None:
        if self.ocupado:
            self.actividad = (msg.texto, msg.hecho, msg.total)

    @on(m.Fallo)
    def _fallo(self, msg: m.Fallo) -> None:
        # Not through ``lanzar``: the failed call's worker is still ending.
        self.run_worker(self._reintentar(msg), group="acciones")

    async def _reintentar(self, msg: m.Fallo) -> None:
        """A failed store call is said, never dropped: what the operator typed is kept in it,
        to run again now or once the store answers."""
        if await self.push_screen_wait(Confirmar(
                msg.titulo, f"{msg.motivo}\n\nNo se completó: nada de esta operación quedó "
                "registrado. Lo que escribió se conserva; puede reintentarla ahora o cuando "
                "vuelva la conexión (la línea de arriba lo dice).", "Reintentar")):
            while self.ocupado:  # another call started meanwhile: after it
                await asyncio.sleep(0.1)
            self.llamar_almacen(*msg.reintento)

    def on_mount(self) -> None:
        self.theme = TEMAS[0]
        db, ahora = self.db, self.ahora

        def abrir() -> Message:
            try:
                repo = Repositorio.abrir(db, ahora=ahora)
            except RepseError as exc:
                return m.NoSeAbrio(str(exc))
            self.real = self.repo = repo  # under the lock: the follower's next look sees it
            return m.AlmacenAbierto(repo.simulacion, _preparada(repo.vista()))

        self.llamar_almacen(f"Abriendo {self.nombre}…", abrir)

    @on(m.NoSeAbrio)
    def _no_se_abrio(self, msg: m.NoSeAbrio) -> None:
        self.exit(return_code=2, message=f"repse: error: {msg.motivo}")

    @on(m.AlmacenAbierto)
    def _abierto(self, msg: m.AlmacenAbierto) -> None:
        self.simulacion = msg.simulacion
        self.presente = msg.vista
        self._mostrar()
        self.listo.set()
        self._seguir()

    async def on_unmount(self) -> None:
        self._parar.set()
        await asyncio.to_thread(self._cerrar)

    def _cerrar(self) -> None:
        with self._almacen:  # after the worker still running, if any
            for repo in {r for r in (self.real, self.repo) if r is not None}:
                with contextlib.suppress(RepseError):  # a server gone: nothing to save
                    if self._reabrir and repo is self.real:
                        # Its memory may hold an input the store did not record: no snapshot.
                        repo.store.close()
                    else:
                        repo.cerrar()

    # --- actions --------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Under a dialog, the app's own keys (t, n, i, …) are off; Textual's own actions
        # (Tab and Shift+Tab moving the focus) must keep working.
        if isinstance(self.screen, ModalScreen) and action in ACCIONES_PROPIAS \
                and action not in ("quit", "ayuda", "tema", "command_palette"):
            return False
        if action in ESCRITURA and self.pasado is not None:
            return None  # shown disabled: a past instant is read-only
        return True

    def lanzar(self, coro) -> None:
        """Run an action's dialog flow as a worker (dialogs are awaited)."""
        if self.ocupado or self.repo is None:
            coro.close()
            self.notify("Espere: hay una operación en curso.", severity="warning")
            return
        self.run_worker(coro, group="acciones")

    def action_modo(self, modo: str) -> None:
        self.switch_mode(modo)

    def action_ayuda(self) -> None:
        if not isinstance(self.screen, AyudaScreen):
            self.push_screen(AyudaScreen(texto_ayuda(self.screen, COMANDOS)))

    def action_ciclo(self) -> None:
        self.run_worker(self._elegir_ciclo(), group="acciones")

    async def _elegir_ciclo(self) -> None:
        vista = self.vista
        if vista is None or len(vista.ciclos) < 2:
            self.notify(f"Solo hay un ciclo: {vista.ciclo_actual}." if vista and vista.ciclos
                        else "Aún no hay ningún ciclo abierto.")
            return
        elegido = await self.push_screen_wait(ElegirCiclo(vista.ciclos, self.ciclo_mostrado))
        if elegido is not None:
            self.ciclo = None if elegido == vista.ciclo_actual else elegido
            self._mostrar()

    def action_salir(self) -> None:
        self.run_worker(self._salir(), group="acciones")

    async def _salir(self) -> None:
        guardado = ("Lo ensayado en la copia de simulación se pierde; el almacén queda como "
                    "estaba." if self.es_copia else
                    f"Todo lo registrado ya está guardado en {self.nombre}.")
        if await self.push_screen_wait(Confirmar(
                "Salir de repse", f"{guardado}\n\n(Ctrl+Q sale sin preguntar.)", "Salir")):
            self.exit()

    def action_help_quit(self) -> None:
        # Ctrl+C: Textual's own hint, in Spanish (in a text field Ctrl+C copies).
        self.notify("Pulse q para salir (se pide confirmación) o Ctrl+Q para salir sin "
                    "preguntar.", title="¿Salir de repse?")

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette",
                                            placeholder="Buscar un comando…"))

    def action_tema(self) -> None:
        self.theme = TEMAS[1] if self.theme == TEMAS[0] else TEMAS[0]

    @on(TablaPadron.Seleccionado)
    def _seleccionado(self, event: TablaPadron.Seleccionado) -> None:
        self.abrir_detalle(event.rfc)

    def abrir_detalle(self, rfc: str) -> None:
        self.push_screen(DetalleScreen(rfc))

    # --- stepping the clock ---------------------------------------------------------------
    def action_proximo(self) -> None:
        self.lanzar(self._proximo())

    async def _proximo(self) -> None:
        assert self.presente is not None
        t = self.presente.proximo_vencimiento()
        if t is None:
            self.notify("No hay plazos ni cortes pendientes.")
            return
        await self._avanzar(t, "al próximo vencimiento")

    def action_dia_habil(self) -> None:
        self.lanzar(self._dia_habil())

    async def _dia_habil(self) -> None:
        assert self.presente is not None
        await self._avanzar(self.presente.dia_habil_siguiente(), "al día hábil siguiente")

    def action_ir_a_fecha(self) -> None:
        self.lanzar(self._ir_a_fecha())

    async def _ir_a_fecha(self) -> None:
        reloj = self.presente.reloj if self.presente else None
        t = await self.push_screen_wait(PedirMomento(
            "Avanzar el reloj", "El reloj avanza hasta esa fecha y hora; vencen los plazos "
            "que terminaron antes.", f"{reloj:%Y-%m-%d %H:%M}" if reloj else ""))
        if t is not None:
            await self._avanzar(t, f"al {momento(t)}")

    async def _avanzar(self, t: datetime, que: str) -> None:
        """Step the clock to ``t``; on an operation store, past the real present only in a
        simulation copy (offered first)."""
        usuario = self.usuario
        en_copia = not (self.simulacion or self.es_copia or t <= self.ahora())
        if en_copia and not await self.push_screen_wait(Confirmar(
                "El reloj no puede pasar del presente",
                f"Este es un almacén de operación: el reloj no puede llegar al {momento(t)}, "
                f"posterior al presente ({momento(self.ahora())}).\n\n¿Ensayar «qué pasaría» "
                "en una copia de simulación? Nada de lo que haga en ella se guarda en el "
                "almacén.", "Ensayar en una copia")):
            return

        def avanzar() -> Message:
            destino = self._repo()
            if en_copia:  # ``destino`` is the store itself: a copy of it takes the step
                destino = destino.copia_simulacion()
                self.post_message(m.CopiaAbierta(destino, _preparada(destino.vista())))
            r = destino.avanzar(t, usuario=usuario)
            return m.RelojAvanzado(t, r, _preparada(destino.vista()))

        self.llamar_almacen(f"Avanzando el reloj {que}…", avanzar)

    @on(m.RelojAvanzado)
    def _reloj_avanzado(self, msg: m.RelojAvanzado) -> None:
        r = msg.respuesta
        if r.aceptada:
            titulo = f"Reloj → {momento(msg.hasta)}"
            self.ultimo = (titulo, _disparos(r) or ["Ningún plazo venció."])
            self.notify("\n".join(self.ultimo[1][:6]), title=titulo)
        self.presente = msg.vista
        self._mostrar()
        if not r.aceptada:
            self.push_screen(Resultado("El reloj no avanzó", [r.motivo or ""], correcto=False))

    # --- a simulation copy ----------------------------------------------------------------
    def action_simulacion(self) -> None:
        self.lanzar(self._simulacion())

    async def _simulacion(self) -> None:
        if self.es_copia:
            if await self.push_screen_wait(Confirmar(
                    "Salir de la copia de simulación",
                    "Se descarta la copia y todo lo ensayado en ella; se vuelve al almacén.",
                    "Descartar la copia")):
                def descartar() -> Message:
                    self._repo().cerrar()
                    assert self.real is not None
                    return m.CopiaDescartada(_preparada(self.real.vista()))

                self.llamar_almacen("Descartando la copia…", descartar)
            return
        if self.simulacion:
            self.notify("Este almacén ya es de simulación: el reloj puede avanzar libremente.")
            return

        def copiar() -> Message:
            c = self._repo().copia_simulacion()
            return m.CopiaAbierta(c, _preparada(c.vista()))

        self.llamar_almacen("Copiando el almacén para ensayar…", copiar)

    @on(m.CopiaAbierta)
    def _copia_abierta(self, msg: m.CopiaAbierta) -> None:
        self.repo, self.presente = msg.copia, msg.vista
        self._mostrar()
        self.notify("Copia de simulación: lo que registre aquí no se guarda.",
                    title="Ensayo", severity="warning")

    @on(m.CopiaDescartada)
    def _copia_descartada(self, msg: m.CopiaDescartada) -> None:
        self.repo, self.presente = self.real, msg.vista
        self.ultimo = None  # that step was the copy's
        self._mostrar()

    # --- looking back ---------------------------------------------------------------------
    def action_momento(self) -> None:
        if self.pasado is not None:
            self.pasado = None
            self._mostrar()
            self.notify("De vuelta al presente.")
            return
        self.lanzar(self._momento())

    async def _momento(self) -> None:
        assert self.presente is not None
        reloj = self.presente.reloj
        t = await self.push_screen_wait(PedirMomento(
            "Ver un momento pasado", "El estado tal como era en ese instante (solo lectura).",
            f"{reloj:%Y-%m-%d %H:%M}" if reloj else ""))
        if t is None:
            return
        # The replayed engine is this worker's alone: the Vista can own it without a copy.
        self.llamar_almacen(f"Reconstruyendo el {momento(t)}…", lambda: m.InstantePasado(
            t, _preparada(Vista(self._repo().en_instante(t), 0, congelado=True))))

    @on(m.InstantePasado)
    def _instante_pasado(self, msg: m.InstantePasado) -> None:
        self.pasado = (msg.momento, msg.vista)
        self._mostrar()

    # --- inputs ---------------------------------------------------------------------------
    def _momento_por_omision(self) -> str:
        """Inputs default to the clock on a simulation (its minute, or the next one when it
        has seconds: a default never falls before the clock), to the present on operation."""
        if not (self.simulacion or self.es_copia):
            return f"{self.ahora():%Y-%m-%d %H:%M}"
        t = self._reloj()
        if t is None:
            return ""
        minuto = t.replace(second=0, microsecond=0)
        return f"{minuto if minuto == t else minuto + timedelta(minutes=1):%Y-%m-%d %H:%M}"

    def _ciclo_actual(self) -> str:
        return (self.presente.ciclo_actual if self.presente else None) or ""

    def _reloj(self) -> datetime | None:
        return self.presente.reloj if self.presente else None

    async def _ensayar(self, texto: str, ensayar: Callable[[Repositorio], T]) -> T | None:
        """What an input would do, tried on the store without recording it; None, said, when
        the store cannot answer."""
        return await self.consultar(texto, ensayar, "No se pudo ensayar")

    async def consultar(self, texto: str, leer: Callable[[Repositorio], T],
                        fallo: str = "No se pudo leer el almacén") -> T | None:
        """``leer(repo)`` on a thread, under the store's lock like every store call (what a
        screen shows of the log, what a correction would do); None, said, when the store
        cannot answer."""
        self.ocupado, self.actividad = True, (texto, 0, None)

        def leido() -> T:
            with self._almacen:
                self._reabierto()
                return leer(self._repo())
        try:
            return await asyncio.to_thread(leido)
        except (RepseError, OSError) as exc:
            self.push_screen(Resultado(fallo, [str(exc)], correcto=False))
            return None
        finally:
            self.ocupado, self.actividad = False, None

    def action_importar(self) -> None:
        self.lanzar(self._importar_archivo())

    async def _importar_archivo(self) -> None:
        """The dialog proposes the file and the round the state awaits; the confirmation shows
        the input in words, the warnings and the engine's trial of it."""
        vista, ciclo = self.presente, self._ciclo_actual()
        pedido = await self.push_screen_wait(
            Importar(ciclo, self._momento_por_omision(), self.datos, self._reloj(),
                     tipo=previa.tipo_esperado(vista, ciclo),
                     ronda=previa.ronda_esperada(vista, ciclo)))
        if pedido is None:
            return
        importar, usuario = self._importar, self.usuario

        def registrar(repo: Repositorio, **kw) -> Respuesta:
            return importar(repo, pedido.tipo, pedido.archivo, ciclo=pedido.ciclo, at=pedido.at,
                            actor=inp.emisor(pedido.tipo), ronda=pedido.ronda,
                            completo=pedido.completo, motivo=pedido.motivo, usuario=usuario,
                            hoja=pedido.hoja, retroactivo=pedido.retroactivo, **kw)

        ensayo = await self._ensayar(f"Ensayando {pedido.archivo.name}…", lambda repo: (
            registrar(repo, ensayo=True),
            previa.ya_registrada(repo.store, pedido.tipo, pedido.archivo, pedido.hoja)))
        if ensayo is None:
            return
        respuesta, repetida = ensayo
        texto = _confirmacion(
            previa.cabecera(pedido.tipo, ciclo=pedido.ciclo, at=pedido.at,
                            archivo=pedido.archivo, ronda=pedido.ronda,
                            completo=pedido.completo, motivo=pedido.motivo, hoja=pedido.hoja,
                            retroactivo=pedido.retroactivo, usuario=usuario),
            previa.avisos(self.presente, pedido.tipo, ciclo=pedido.ciclo, at=pedido.at,
                          ronda=pedido.ronda, retroactivo=pedido.retroactivo,
                          repetida=repetida, leido=[pedido.archivo.name, *respuesta.notas]),
            respuesta)
        if not await self.push_screen_wait(Confirmar(
                f"Importar: {ENTRADA[pedido.tipo]}", texto, "Importar")):
            return
        texto = f"Importando {pedido.archivo.name}…"
        progreso = self.progreso(texto)

        def importar_archivo() -> Message:
            repo = self._repo()
            return m.EntradaRegistrada(
                f"{mayuscula(ENTRADA[pedido.tipo])} — {pedido.archivo.name}",
                registrar(repo, progreso=progreso), _preparada(repo.vista()))

        self.llamar_almacen(texto, importar_archivo, "No se pudo importar")

    def action_acto(self) -> None:
        self.lanzar(self._acto())

    async def _acto(self, tipo: str | None = None) -> None:
        """The act proposed is the one the contractors chosen can receive (a filter «Por
        iniciar cancelación» proposes «inicio de la cancelación»); the confirmation shows the
        warnings and the engine's trial."""
        dest = getattr(self.screen, "destinatarios", lambda: None)()
        if tipo is None:  # the selected contractor's act, else the filtered's, the cycle's
            vista, d = self.presente, dest or Destinatarios()
            tipo = (previa.acto_sugerido(vista, (d.seleccionado,) if d.seleccionado else ())
                    or previa.acto_sugerido(vista, d.filtrados)
                    or previa.acto_del_ciclo(vista, self._ciclo_actual()) or "exhorto")
        pedido = await self.push_screen_wait(
            Acto(dest, self._ciclo_actual(), self._momento_por_omision(), tipo, self._reloj()))
        if pedido is None:
            return
        try:
            entrada = inp.acto(pedido.tipo, ciclo=pedido.ciclo, rfcs=pedido.rfcs, at=pedido.at,
                               usuario=self.usuario, texto=pedido.texto,
                               entrada=pedido.entrada, retroactivo=pedido.retroactivo)
        except (ValueError, RepseError) as exc:
            self.push_screen(Resultado("Entrada no válida", [str(exc)], correcto=False))
            return
        titulo = mayuscula(ENTRADA[pedido.tipo])
        ensayo = await self._ensayar(f"Ensayando {ENTRADA[pedido.tipo]}…",
                                     lambda repo: repo.ensayar(entrada))
        if ensayo is None:
            return
        lista = ", ".join(pedido.rfcs[:5]) + (" …" if len(pedido.rfcs) > 5 else "")
        anulacion = pedido.tipo == "anulacion"
        cabecera = [f"Para: {pedido.a_quien}",
                    *([lista] if lista not in ("", pedido.a_quien) else []),
                    *previa.cabecera(pedido.tipo, ciclo=None if anulacion else pedido.ciclo,
                                     at=pedido.at, motivo=pedido.texto
                                     if pedido.tipo != "criterio" else None,
                                     retroactivo=pedido.retroactivo, usuario=self.usuario)]
        if pedido.tipo == "criterio":
            cabecera.append(f"Texto del criterio: {pedido.texto}")
        texto = _confirmacion(cabecera, previa.avisos(
            self.presente, pedido.tipo, ciclo=pedido.ciclo, at=pedido.at,
            retroactivo=pedido.retroactivo), ensayo)
        if not await self.push_screen_wait(Confirmar(f"Registrar: {ENTRADA[pedido.tipo]}",
                                                     texto, "Registrar")):
            return

        def registrar() -> Message:
            repo = self._repo()
            return m.EntradaRegistrada(titulo, repo.registrar(entrada), _preparada(repo.vista()))

        self.llamar_almacen(f"Registrando {ENTRADA[pedido.tipo]}…", registrar,
                            f"{titulo}: no se registró")

    @on(m.EntradaRegistrada)
    def _entrada_registrada(self, msg: m.EntradaRegistrada) -> None:
        r, titulo = msg.respuesta, msg.titulo
        self.presente = msg.vista
        self._mostrar()
        if not r.aceptada:
            self.push_screen(Resultado(f"{titulo}: RECHAZADA (entrada {r.numero})",
                                       [r.motivo or ""], r.rechazos, correcto=False))
            return
        head = [f"Entrada {r.numero}: {cuantos(r.aceptadas, 'fila aceptada', 'filas aceptadas')}, "
                f"{cuantos(len(r.rechazos), 'rechazada', 'rechazadas')}, "
                f"{cuantos(r.transiciones, 'transición', 'transiciones')}.",
                *(f"Leído: {n}" for n in r.notas)]
        extra = [f"Aviso: {a.descripcion()}" for a in r.avisos[:20]]
        if len(r.avisos) > 20:
            extra.append(f"… y {len(r.avisos) - 20} avisos más")
        if r.cambios:
            extra.append(f"Cambios por recálculo: {numero(len(r.cambios))} contratistas")
            extra += [f"  {c.rfc}: {nombre_estado(c.antes)} → {nombre_estado(c.despues)}"
                      for c in r.cambios[:20]]
            if len(r.cambios) > 20:
                extra.append(f"  … y {numero(len(r.cambios) - 20)} más")
        estado = ("aceptada" if r.aceptadas or not r.rechazos
                  else "ninguna fila procede")
        self.push_screen(Resultado(f"{titulo}: {estado}", head + _disparos(r) + extra,
                                   r.rechazos, correcto=bool(r.aceptadas) or not r.rechazos))

    # --- outputs --------------------------------------------------------------------------
    def action_exportar(self) -> None:
        self.lanzar(self._exportar_ronda())

    async def _exportar_ronda(self) -> None:
        vista = self.vista
        ciclo = vista.ciclo_actual if vista else None
        if vista is None or not ciclo:
            self.notify("No hay ciclo abierto que exportar.", severity="warning")
            return
        pedido = await self.push_screen_wait(Exportar(
            ciclo, self.salidas / ciclo, d0=vista.fecha_consulta(ciclo),
            notificacion=vista.exhorto_notificado(ciclo)))
        if pedido is None:
            return
        ronda, notificacion = pedido.ronda, pedido.notificacion
        try:
            if ronda is None:  # «la ronda en curso», as the state shown has it
                ronda = vista.ronda_en_curso(pedido.ciclo)
            cartas = ""
            if ronda == 1:
                notificacion = notificacion_cartas(vista, pedido.ciclo, notificacion)[0]
                cartas = (f"\n{numero(len(vista.exhortados(pedido.ciclo)))} cartas de exhorto "
                          f"notificadas el {fecha_corta(notificacion)}")
            avisos = avisos_exportar(vista, pedido.ciclo, ronda, notificacion)
            if pedido.destino == self.salidas / ciclo:  # the default: one folder per round,
                # so that exporting round 3 does not replace round 1's letters
                pedido = dataclasses.replace(pedido, destino=self.salidas / pedido.ciclo / (
                    "sin-ronda" if ronda is None else
                    f"ronda{ronda}" if isinstance(ronda, int) else str(ronda)))
        except RepseError as exc:
            self.push_screen(Resultado("No se pudo exportar", [str(exc)], correcto=False))
            return
        if not await self.push_screen_wait(Confirmar(
                "Exportar", f"Ciclo {pedido.ciclo}, "
                f"{'sin ronda todavía' if ronda is None else f'ronda {ronda}'}{cartas}\n"
                f"Carpeta: {pedido.destino}\n(una exportación anterior en esa carpeta se "
                "reemplaza entera)" + "".join(f"\nAviso: {a}" for a in avisos),
                "Exportar")):
            return
        texto = f"Exportando a {pedido.destino}…"
        progreso = self.progreso(texto)
        self.llamar_almacen(texto, lambda: m.Exportado(pedido.destino, exportar(
            vista, pedido.ciclo, pedido.destino, ronda=ronda, notificacion=notificacion,
            progreso=progreso)), "No se pudo exportar")

    @on(m.Exportado)
    def _exportado(self, msg: m.Exportado) -> None:
        self.push_screen(Resultado(f"Exportados {numero(len(msg.archivos))} archivos",
                                   resumen(msg.destino, msg.archivos)))

    # --- the input log --------------------------------------------------------------------
    def action_entradas(self) -> None:
        self.switch_mode("entradas")

    def action_rechazos(self) -> None:
        self.switch_mode("rechazos")

    def anular(self, e: EntradaRegistrada) -> None:
        if not e.aceptada:
            self.notify(f"La entrada {e.numero:,} fue rechazada: no hay nada que anular.",
                        severity="warning")
        elif e.anulada:
            self.notify(f"La entrada {e.numero:,} ya está anulada (por la {e.anulada:,}).",
                        severity="warning")
        else:
            self.lanzar(self._anular(e))

    async def _anular(self, e: EntradaRegistrada) -> None:
        """Annul input ``e``: the reason, then what annulling it changes (tried on the store
        without recording it), then the confirmation."""
        n, descripcion = e.numero, describir(e)
        pedido = await self.push_screen_wait(
            Anular(n, descripcion, self._momento_por_omision(), self._reloj()))
        if pedido is None:
            return
        try:
            entrada = inp.acto("anulacion", ciclo="", rfcs=(), at=pedido.at,
                               usuario=self.usuario, texto=pedido.motivo, entrada=n,
                               retroactivo=pedido.retroactivo)
        except (ValueError, RepseError) as exc:
            self.push_screen(Resultado("Entrada no válida", [str(exc)], correcto=False))
            return
        ensayo = await self._ensayar(f"Ensayando la anulación de la entrada {n:,}…",
                                     lambda repo: repo.ensayar(entrada))
        if ensayo is None:
            return
        if not ensayo.aceptada:
            self.push_screen(Resultado(f"La entrada {n:,} no se puede anular",
                                       [ensayo.motivo or ""], correcto=False))
            return
        cambios = cambios_por_estado(ensayo.cambios)
        texto = "\n".join([
            descripcion, f"Motivo: {pedido.motivo}", "",
            "ENSAYO (aún no se registra): el estado se recalcula sin esta entrada; "
            + (f"{numero(len(ensayo.cambios))} contratistas cambian de estado:" if cambios
               else "ningún contratista cambia de estado."),
            *(f"  {c}" for c in cambios)])
        if not await self.push_screen_wait(Confirmar(f"Anular la entrada {n:,}", texto,
                                                     "Anular")):
            return

        def registrar() -> Message:
            repo = self._repo()
            return m.EntradaRegistrada(f"Anulación de la entrada {n:,}", repo.registrar(entrada),
                                       _preparada(repo.vista()))

        self.llamar_almacen(f"Anulando la entrada {n:,}…", registrar,
                            f"Anulación de la entrada {n:,}: no se registró")

    # --- command palette ------------------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for binding in self.BINDINGS:
            assert isinstance(binding, Binding)
            action = binding.action
            if action in ("quit", "command_palette"):
                continue
            yield SystemCommand(COMANDOS.get(action, binding.description),
                                f"Tecla {tecla(binding.key)}",
                                functools.partial(self.run_action, action))
        for clase in ("inicio_cancelacion", "cancelacion", "cancelacion_impedida", "criterio"):
            yield SystemCommand(f"Registrar: {ENTRADA[clase]}", "Para el seleccionado, los "
                                "filtrados o RFC escritos",
                                functools.partial(self.lanzar_acto, clase))
        # An annulment names an input: it is chosen where the inputs are listed.
        yield SystemCommand(f"Registrar: {ENTRADA['anulacion']}", "En «Entradas» (tecla l): "
                            "elija la entrada y pulse u", self.action_entradas)
        # Textual's own commands, in Spanish; its keys panel is F1's help, which lists them.
        if screen.maximized is not None:
            yield SystemCommand("Restaurar el panel", "Vuelve a su tamaño normal",
                                screen.action_minimize)
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand("Maximizar el panel", "El panel con el foco ocupa la pantalla",
                                screen.action_maximize)
        yield SystemCommand("Captura de pantalla", "Guarda la pantalla como imagen SVG",
                            lambda: self.set_timer(0.1, self.deliver_screenshot))
        yield SystemCommand("Salir sin preguntar", "Tecla Ctrl+Q", self.exit)

    def lanzar_acto(self, tipo: str) -> None:
        self.lanzar(self._acto(tipo))


COMANDOS = {
    "ayuda": "Ayuda: el ciclo y las teclas",
    "modo('tablero')": "Ir al tablero",
    "modo('contratistas')": "Ir a los contratistas (padrón)",
    "modo('agenda')": "Ir a la agenda de obligaciones",
    "modo('declaraciones')": "Ir a las declaraciones cuatrimestrales (LSS art. 15 A)",
    "proximo": "Avanzar el reloj al próximo vencimiento",
    "dia_habil": "Avanzar el reloj al día hábil siguiente",
    "ir_a_fecha": "Avanzar el reloj a una fecha…",
    "momento": "Ver un momento pasado / volver al presente",
    "importar": "Importar un archivo (padrón, opiniones, listas)…",
    "acto": "Registrar un acto (exhorto, cancelación, criterio, anulación)…",
    "exportar": "Exportar listados, cartas y oficio…",
    "entradas": "Ver las entradas del registro (anular una, exportarla)",
    "rechazos": "Ver los rechazos del almacén (filtrar, exportar)",
    "simulacion": "Ensayar en una copia de simulación / salir de ella",
    "tema": "Cambiar entre tema claro y oscuro",
    "ciclo": "Elegir el ciclo que se muestra (tablero, agenda, padrón)…",
    "salir": "Salir de repse (pide confirmación)",
    "quit": "Salir sin preguntar",
    "command_palette": "Paleta de comandos: todas las acciones",
}


def _preparada(vista: Vista) -> Vista:
    """``vista`` with the padrón's columns, the agenda and the search index computed, on the
    worker's thread rather than the UI's."""
    vista.conteos()
    vista.agenda()
    vista.preparar_busqueda()
    return vista


def _confirmacion(cabecera: list[str], avisos: list[str], ensayo: Respuesta) -> str:
    """An input's confirmation: the input in words, the warnings, the engine's trial."""
    partes = ["\n".join(cabecera)]
    if avisos:
        partes.append("\n".join(["AVISOS:", *(f"• {a}" for a in avisos)]))
    partes.append("\n".join(previa.previa(ensayo).lineas()))
    return "\n\n".join(partes)


def _disparos(r: Respuesta) -> list[str]:
    """What an input fired, one line per event and cycle."""
    return [f"{EVENTO.get(d.evento, d.evento)} ({d.ciclo or 'registro'}): "
            f"{numero(d.contratistas)}" for d in r.disparos]


def _usuario() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "operador"


ACCIONES_PROPIAS = frozenset(str(b.action).split("(")[0] for b in RepseApp.BINDINGS)
