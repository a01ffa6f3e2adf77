"""The operators' terminal UI (Textual): where the cycle stands, what is due, stepping the clock,
loading what the institutions deliver and producing what they must send.

The app owns no logic of the domain: it calls ``repse.core``'s public API. The repository (its
SQLite connection is bound to the thread that opened it) lives on one dedicated thread; every
call that reads or writes the store runs there, so the interface never blocks, and the screens
read the engine's columns.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import getpass
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, time
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen

from ..core import consultas
from ..core import inputs as inp
from ..core.api import Repositorio, Respuesta
from ..core.errors import RepseError
from ..core.motor import Engine, instant
from ..core.plazos import MX, next_habil_day
from .screens.agenda import AgendaScreen
from .screens.ayuda import AyudaScreen, tecla, texto_ayuda
from .screens.contratistas import ContratistasScreen
from .screens.detalle import DetalleScreen
from .screens.dialogs import (
    Acto,
    Confirmar,
    Exportar,
    Importar,
    PedidoActo,
    PedidoExportar,
    PedidoImportar,
    PedirMomento,
    Resultado,
)
from .screens.tablero import TableroScreen
from .widgets.etiquetas import ENTRADA, EVENTO, mayuscula, momento, numero

# Actions that write to the store: unavailable while looking at a past instant.
ESCRITURA = {"proximo", "dia_habil", "ir_a_fecha", "importar", "acto", "simulacion"}
TEMAS = ("textual-dark", "textual-light")


def _ahora() -> datetime:
    """The real present, for operation stores (the core never reads the clock)."""
    return datetime.now(MX)


class RepseApp(App):
    """``repse tui DB``."""

    TITLE = "repse"
    SUB_TITLE = "Ciclo REPSE · grupo de trabajo IMSS–STPS"
    CSS_PATH = "app.tcss"
    MODES: ClassVar[dict] = {"tablero": TableroScreen, "contratistas": ContratistasScreen,
             "agenda": AgendaScreen}
    DEFAULT_MODE = "tablero"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "ayuda", "Ayuda"),
        Binding("t", "modo('tablero')", "Tablero"),
        Binding("c", "modo('contratistas')", "Padrón"),
        Binding("a", "modo('agenda')", "Agenda"),
        Binding("n", "proximo", "Vencimiento"),
        Binding("d", "dia_habil", "Día hábil"),
        Binding("g", "ir_a_fecha", "Fecha", show=False),
        Binding("m", "momento", "Pasado"),
        Binding("i", "importar", "Importar"),
        Binding("x", "acto", "Acto"),
        Binding("e", "exportar", "Exportar"),
        Binding("r", "rechazos", "Rechazos", show=False),
        Binding("s", "simulacion", "Ensayo", show=False),
        Binding("f2", "tema", "Tema", show=False),
        Binding("q", "quit", "Salir", show=False),
    ]

    version: reactive[int] = reactive(0)
    """Bumped whenever the state shown changes; screens redraw when they are current."""
    resumen: reactive[tuple[str, str]] = reactive(("Abriendo…", "operacion"))
    actividad: reactive[tuple[str, int, int | None] | None] = reactive(None)

    def __init__(self, db: str | Path, *, ahora: Callable[[], datetime] = _ahora,
                 datos: Path | None = None, usuario: str | None = None,
                 importar: Callable[..., Respuesta] | None = None,
                 exportar: Callable[..., list[Path]] | None = None) -> None:
        super().__init__()
        self.db = Path(db)
        self.ahora = ahora
        self.datos = datos or self.db.parent  # where the import dialog looks for files
        self.usuario = usuario or _usuario()
        self._importar, self._exportar = importar, exportar  # injectable (tests)
        self._hilo = ThreadPoolExecutor(max_workers=1, thread_name_prefix="repse-almacen")
        self.real: Repositorio | None = None  # the store on disk
        self.repo: Repositorio | None = None  # where inputs go: the store, or its copy
        self.pasado: tuple[datetime, Engine] | None = None  # a past instant (read-only)
        self.simulacion = False  # the store on disk is a simulation store
        self.ocupado = False
        self.ultimo: tuple[str, list[str]] | None = None  # the last step: title, what fired
        self._padron: tuple[int, consultas.Padron] | None = None
        self._busqueda: tuple[tuple[int, int, int], consultas.Busqueda] | None = None
        self.listo = asyncio.Event()

    # --- the state shown ------------------------------------------------------------------
    @property
    def engine(self) -> Engine:
        if self.pasado is not None:
            return self.pasado[1]
        return self.repo.engine if self.repo is not None else Engine()

    @property
    def es_copia(self) -> bool:
        return self.repo is not None and self.repo is not self.real

    def padron(self) -> consultas.Padron:
        """The padrón's columns for the state shown (computed once per version)."""
        if self._padron is None or self._padron[0] != self.version:
            self._padron = (self.version, consultas.padron(self.engine))
        return self._padron[1]

    def busqueda(self) -> consultas.Busqueda:
        """The search index of the names shown (rebuilt only when names may have changed)."""
        clave = consultas.clave_busqueda(self.engine)
        if self._busqueda is None or self._busqueda[0] != clave:
            self._busqueda = (clave, consultas.Busqueda(self.engine))
        return self._busqueda[1]

    def ciclo_actual(self) -> str:
        c = consultas.ciclo_actual(self.engine)
        return c.nombre if c else ""

    def reloj(self) -> datetime | None:
        return instant(self.engine.reloj) if self.engine.reloj else None

    def _cambio(self) -> None:
        self._padron = None
        self.version += 1
        self.resumen = self._resumen()

    def _resumen(self) -> tuple[str, str]:
        reloj = self.reloj()
        ciclo = self.ciclo_actual()
        parts = [f"Reloj {momento(reloj)}" if reloj else "Reloj sin iniciar",
                 f"Ciclo {ciclo}" if ciclo else "Sin ciclo abierto"]
        if self.pasado is not None:
            return (f"PASADO (solo lectura) · {' · '.join(parts)} · m: volver al presente",
                    "pasado")
        if self.es_copia:
            return (f"COPIA DE SIMULACIÓN — nada se guarda en {self.db.name} · "
                    f"{' · '.join(parts)} · s: salir", "copia")
        kind = "simulación" if self.simulacion else "operación"
        return f"{' · '.join(parts)} · almacén de {kind}: {self.db.name}", (
            "simulacion" if self.simulacion else "operacion")

    # --- the repository thread ------------------------------------------------------------
    async def almacen(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run ``fn`` on the repository's thread and wait for it without blocking the UI."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._hilo, functools.partial(fn, *args, **kwargs))

    def progreso(self, texto: str) -> Callable[[int, int | None], None]:
        """A ``progreso(done, total)`` callback for the repository thread."""
        def report(hecho: int, total: int | None) -> None:
            self.call_from_thread(setattr, self, "actividad", (texto, hecho, total))
        return report

    async def tarea(self, texto: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """A long call on the repository thread, with the activity bar showing."""
        self.ocupado = True
        self.actividad = (texto, 0, None)
        try:
            return await self.almacen(fn, *args, **kwargs)
        finally:
            self.ocupado = False
            self.actividad = None

    def on_mount(self) -> None:
        self.theme = TEMAS[0]
        self.run_worker(self._abrir(), group="almacen")

    async def _abrir(self) -> None:
        try:
            repo = await self.tarea(f"Abriendo {self.db}…", Repositorio.abrir, self.db,
                                    ahora=self.ahora)
        except RepseError as exc:
            self.exit(return_code=2, message=f"repse: error: {exc}")
            return
        self.real = self.repo = repo
        self.simulacion = await self.almacen(lambda: repo.simulacion)
        self._cambio()
        self.listo.set()

    async def on_unmount(self) -> None:
        repos = {r for r in (self.real, self.repo) if r is not None}
        for repo in repos:
            await self.almacen(repo.cerrar if repo is self.real else repo.store.close)
        self._hilo.shutdown(wait=True)

    # --- actions --------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Under a dialog, the app's own keys (t, n, i, …) are off; Textual's own actions
        # (Tab and Shift+Tab moving the focus) must keep working.
        if isinstance(self.screen, ModalScreen) and action in ACCIONES_PROPIAS \
                and action not in ("quit", "ayuda", "tema"):
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
            self.push_screen(AyudaScreen(texto_ayuda(self.BINDINGS, COMANDOS)))

    def action_tema(self) -> None:
        self.theme = TEMAS[1] if self.theme == TEMAS[0] else TEMAS[0]

    def abrir_detalle(self, contratista: int) -> None:
        self.push_screen(DetalleScreen(contratista))

    # --- stepping the clock ---------------------------------------------------------------
    def action_proximo(self) -> None:
        self.lanzar(self._proximo())

    async def _proximo(self) -> None:
        assert self.repo is not None
        t = await self.almacen(self.repo.proximo_vencimiento)
        if t is None:
            self.notify("No hay plazos ni cortes pendientes.")
            return
        await self._avanzar(t, "al próximo vencimiento")

    def action_dia_habil(self) -> None:
        self.lanzar(self._dia_habil())

    async def _dia_habil(self) -> None:
        today = instant(self.engine.reloj).date()
        nxt = next_habil_day(today, self.engine.cal.conjunto())
        await self._avanzar(datetime.combine(nxt, time(0), tzinfo=MX), "al día hábil siguiente")

    def action_ir_a_fecha(self) -> None:
        self.lanzar(self._ir_a_fecha())

    async def _ir_a_fecha(self) -> None:
        reloj = self.reloj()
        t = await self.push_screen_wait(PedirMomento(
            "Avanzar el reloj", "El reloj avanza hasta esa fecha y hora; vencen los plazos "
            "que terminaron antes.", f"{reloj:%Y-%m-%d %H:%M}" if reloj else ""))
        if t is not None:
            await self._avanzar(t, f"al {momento(t)}")

    async def _avanzar(self, t: datetime, que: str) -> None:
        if not await self._cabe_en_el_presente(t):
            return
        assert self.repo is not None
        r: Respuesta = await self.tarea(f"Avanzando el reloj {que}…", self.repo.avanzar, t,
                                        usuario=self.usuario)
        lineas = await self._disparos(r)
        self._cambio()
        if not r.aceptada:
            await self.push_screen_wait(Resultado("El reloj no avanzó", [r.motivo or ""],
                                                  correcto=False))
            return
        titulo = f"Reloj → {momento(t)}"
        self.ultimo = (titulo, lineas or ["Ningún plazo venció."])
        self.notify("\n".join(self.ultimo[1][:6]), title=titulo)
        self._cambio()

    async def _disparos(self, r: Respuesta) -> list[str]:
        return [f"{EVENTO.get(d.evento, d.evento)} ({d.ciclo or 'registro'}): "
                f"{numero(d.contratistas)}" for d in r.disparos]

    async def _cabe_en_el_presente(self, t: datetime) -> bool:
        """On an operation store the clock cannot pass the real present: offer a copy."""
        if self.simulacion or self.es_copia or t <= self.ahora():
            return True
        ok = await self.push_screen_wait(Confirmar(
            "El reloj no puede pasar del presente",
            f"Este es un almacén de operación: el reloj no puede llegar al {momento(t)}, "
            f"posterior al presente ({momento(self.ahora())}).\n\n¿Ensayar «qué pasaría» en "
            "una copia de simulación? Nada de lo que haga en ella se guarda en el almacén.",
            "Ensayar en una copia"))
        if ok:
            await self._entrar_copia()
        return bool(ok)

    def action_simulacion(self) -> None:
        self.lanzar(self._simulacion())

    async def _simulacion(self) -> None:
        if self.es_copia:
            ok = await self.push_screen_wait(Confirmar(
                "Salir de la copia de simulación",
                "Se descarta la copia y todo lo ensayado en ella; se vuelve al almacén.",
                "Descartar la copia"))
            if ok:
                copy, self.repo = self.repo, self.real
                assert copy is not None
                await self.almacen(copy.store.close)
                self._cambio()
            return
        if self.simulacion:
            self.notify("Este almacén ya es de simulación: el reloj puede avanzar libremente.")
            return
        await self._entrar_copia()

    async def _entrar_copia(self) -> None:
        assert self.real is not None
        self.repo = await self.tarea("Copiando el almacén para ensayar…",
                                     self.real.copia_simulacion)
        self._cambio()
        self.notify("Copia de simulación: lo que registre aquí no se guarda.",
                    title="Ensayo", severity="warning")

    # --- looking back ---------------------------------------------------------------------
    def action_momento(self) -> None:
        if self.pasado is not None:
            self.pasado = None
            self._cambio()
            self.notify("De vuelta al presente.")
            return
        self.lanzar(self._momento())

    async def _momento(self) -> None:
        assert self.repo is not None
        reloj = self.reloj()
        t = await self.push_screen_wait(PedirMomento(
            "Ver un momento pasado", "El estado tal como era en ese instante (solo lectura).",
            f"{reloj:%Y-%m-%d %H:%M}" if reloj else ""))
        if t is None:
            return
        engine = await self.tarea(f"Reconstruyendo el {momento(t)}…", self.repo.en_instante, t)
        self.pasado = (t, engine)
        self._cambio()

    # --- inputs ---------------------------------------------------------------------------
    def _momento_por_omision(self) -> str:
        """Inputs default to the clock on a simulation, to the present on operation."""
        t = self.ahora() if not (self.simulacion or self.es_copia) else self.reloj()
        return f"{t:%Y-%m-%d %H:%M}" if t else ""

    def action_importar(self) -> None:
        self.lanzar(self._importar_archivo())

    async def _importar_archivo(self) -> None:
        pedido: PedidoImportar | None = await self.push_screen_wait(
            Importar(self.ciclo_actual() or "", self._momento_por_omision(), self.datos))
        if pedido is None:
            return
        detalle = f", {pedido.ronda!s}" if pedido.ronda is not None else ""
        if not await self.push_screen_wait(Confirmar(
                "Importar", f"Archivo: {pedido.archivo}\nTipo: {ENTRADA[pedido.tipo]}{detalle}"
                f"{' (completo)' if pedido.completo else ''}\nCiclo: {pedido.ciclo}\n"
                f"Fecha efectiva: {momento(pedido.at)}\n\nSe registra como una entrada del "
                "almacén; los rechazos quedan con su motivo.", "Importar")):
            return
        importar = self._importar or _importador()
        if importar is None:
            await self._sin_archivos("Importar")
            return
        assert self.repo is not None
        actor = next(iter(inp.ACTORES[pedido.tipo]))
        texto = f"Importando {pedido.archivo.name}…"
        try:
            r = await self.tarea(texto, importar, self.repo, pedido.tipo, pedido.archivo,
                                 ciclo=pedido.ciclo, at=pedido.at, actor=actor,
                                 ronda=pedido.ronda, completo=pedido.completo,
                                 motivo=pedido.motivo, usuario=self.usuario,
                                 progreso=self.progreso(texto))
        except (RepseError, OSError) as exc:
            await self.push_screen_wait(Resultado("No se pudo importar", [str(exc)],
                                                  correcto=False))
            return
        await self._resultado(r,
                              f"{mayuscula(ENTRADA[pedido.tipo])} — {pedido.archivo.name}")

    async def _sin_archivos(self, que: str) -> None:
        await self.push_screen_wait(Resultado(
            f"{que} no está disponible", ["Esta instalación no tiene el módulo de archivos "
                                          "(repse.core.files)."], correcto=False))

    def action_acto(self) -> None:
        self.lanzar(self._acto())

    async def _acto(self, tipo: str = "exhorto") -> None:
        dest = getattr(self.screen, "destinatarios", lambda: None)()
        pedido: PedidoActo | None = await self.push_screen_wait(
            Acto(dest, self.ciclo_actual(), self._momento_por_omision(), tipo))
        if pedido is None:
            return
        lista = ", ".join(pedido.rfcs[:5]) + (" …" if len(pedido.rfcs) > 5 else "")
        if not await self.push_screen_wait(Confirmar(
                f"Registrar: {ENTRADA[pedido.tipo]}",
                f"Para: {pedido.a_quien}\n{lista}\nFecha efectiva: {momento(pedido.at)}"
                + (f"\nTexto: {pedido.texto}" if pedido.texto else ""), "Registrar")):
            return
        try:
            entrada = construir_acto(pedido, self.usuario)
        except (ValueError, RepseError) as exc:
            await self.push_screen_wait(Resultado("Entrada no válida", [str(exc)],
                                                  correcto=False))
            return
        assert self.repo is not None
        r = await self.tarea(f"Registrando {ENTRADA[pedido.tipo]}…", self.repo.registrar,
                             entrada)
        await self._resultado(r, mayuscula(ENTRADA[pedido.tipo]))

    async def _resultado(self, r: Respuesta, titulo: str) -> None:
        lineas = await self._disparos(r)
        self._cambio()
        if not r.aceptada:
            await self.push_screen_wait(Resultado(f"{titulo}: RECHAZADA (entrada {r.numero})",
                                                  [r.motivo or ""], correcto=False))
            return
        head = [f"Entrada {r.numero}: {numero(r.aceptadas)} aceptadas, "
                f"{numero(len(r.rechazos))} rechazadas, {numero(r.transiciones)} transiciones."]
        extra = [f"Aviso: {a}" for a in r.avisos[:20]]
        if len(r.avisos) > 20:
            extra.append(f"… y {len(r.avisos) - 20} avisos más")
        if r.cambios:
            extra.append(f"Cambios por recálculo: {numero(len(r.cambios))} contratistas")
            extra += [f"  {c.rfc}: {c.antes or '—'} → {c.despues or '—'}"
                      for c in r.cambios[:20]]
        estado = ("aceptada" if r.aceptadas or not r.rechazos
                  else "ninguna fila procede")
        await self.push_screen_wait(Resultado(f"{titulo}: {estado}", head + lineas + extra,
                                              r.rechazos, correcto=bool(r.aceptadas)
                                              or not r.rechazos))

    def action_exportar(self) -> None:
        self.lanzar(self._exportar_ronda())

    async def _exportar_ronda(self) -> None:
        ciclo = self.ciclo_actual()
        if not ciclo:
            self.notify("No hay ciclo abierto que exportar.", severity="warning")
            return
        pedido: PedidoExportar | None = await self.push_screen_wait(
            Exportar(ciclo, self.db.parent / "salidas" / ciclo))
        if pedido is None:
            return
        if pedido.ronda is None:  # «la ronda en curso», as the engine sees it
            from ..core.exports import ronda_en_curso

            try:
                en_curso = ronda_en_curso(self.engine, pedido.ciclo)
            except RepseError as exc:
                await self.push_screen_wait(Resultado("No se pudo exportar", [str(exc)],
                                                      correcto=False))
                return
            pedido = dataclasses.replace(pedido, ronda=en_curso)
        if not await self.push_screen_wait(Confirmar(
                "Exportar", f"Ciclo {pedido.ciclo}, "
                f"{'sin ronda todavía' if pedido.ronda is None else f'ronda {pedido.ronda}'}\n"
                f"Carpeta: {pedido.destino}\n(los archivos existentes se reemplazan)",
                "Exportar")):
            return
        exportar = self._exportar or _exportador()
        if exportar is None:
            await self._sin_archivos("Exportar")
            return
        texto = f"Exportando a {pedido.destino}…"
        try:
            paths = await self.tarea(texto, exportar, self.engine, pedido.ciclo, pedido.destino,
                                     ronda=pedido.ronda, notificacion=pedido.notificacion,
                                     progreso=self.progreso(texto))
        except (RepseError, OSError, KeyError) as exc:
            await self.push_screen_wait(Resultado("No se pudo exportar", [str(exc)],
                                                  correcto=False))
            return
        await self.push_screen_wait(Resultado(
            f"Exportados {len(paths)} archivos", [f"Carpeta: {pedido.destino}",
                                                  *(p.name for p in paths)]))

    def action_rechazos(self) -> None:
        self.lanzar(self._rechazos())

    async def _rechazos(self) -> None:
        assert self.repo is not None
        rows = await self.tarea("Leyendo los rechazos…", self.repo.rechazos)
        await self.push_screen_wait(Resultado(
            "Rechazos del almacén", [f"{numero(len(rows))} entradas y filas rechazadas, con "
                                     "su motivo."], rows))

    # --- command palette ------------------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for binding in self.BINDINGS:
            assert isinstance(binding, Binding)
            action = binding.action
            if action == "quit":
                continue
            yield SystemCommand(COMANDOS.get(action, binding.description),
                                f"Tecla {tecla(binding.key)}",
                                functools.partial(self.run_action, action))
        for tipo in ("inicio_cancelacion", "cancelacion", "cancelacion_impedida", "criterio",
                     "anulacion"):
            yield SystemCommand(f"Registrar: {ENTRADA[tipo]}", "Para el seleccionado, los "
                                "filtrados o RFC escritos",
                                functools.partial(self.lanzar_acto, tipo))
        yield from super().get_system_commands(screen)

    def lanzar_acto(self, tipo: str) -> None:
        self.lanzar(self._acto(tipo))


COMANDOS = {
    "ayuda": "Ayuda: el ciclo y las teclas",
    "modo('tablero')": "Ir al tablero",
    "modo('contratistas')": "Ir a los contratistas (padrón)",
    "modo('agenda')": "Ir a la agenda de obligaciones",
    "proximo": "Avanzar el reloj al próximo vencimiento",
    "dia_habil": "Avanzar el reloj al día hábil siguiente",
    "ir_a_fecha": "Avanzar el reloj a una fecha…",
    "momento": "Ver un momento pasado / volver al presente",
    "importar": "Importar un archivo (padrón, opiniones, listas)…",
    "acto": "Registrar un acto (exhorto, cancelación, criterio, anulación)…",
    "exportar": "Exportar listados, cartas y oficio…",
    "rechazos": "Ver los rechazos del almacén",
    "simulacion": "Ensayar en una copia de simulación / salir de ella",
    "tema": "Cambiar entre tema claro y oscuro",
}


def construir_acto(p: PedidoActo, usuario: str) -> inp.Entrada:
    """The typed input an act dialog asked for."""
    common = {"at": p.at, "usuario": usuario}
    if p.tipo == "anulacion":
        assert p.entrada is not None and p.texto
        return inp.Anulacion(actor="gt", entrada=p.entrada, motivo=p.texto, **common)
    actor = next(iter(inp.ACTORES[p.tipo]))
    acto = {"ciclo": p.ciclo, "rfcs": p.rfcs, "actor": actor, **common}
    if p.tipo == "exhorto":
        return inp.Exhorto(**acto)
    if p.tipo == "inicio_cancelacion":
        return inp.InicioCancelacion(**acto)
    if p.tipo == "cancelacion":
        return inp.Cancelacion(**acto)
    if p.tipo == "cancelacion_impedida":
        return inp.CancelacionImpedida(motivo=p.texto or "", **acto)
    if p.tipo == "criterio":
        return inp.Criterio(texto=p.texto or "", efecto="excluir", **acto)
    raise ValueError(f"acto desconocido «{p.tipo}»")


def _importador() -> Callable[..., Respuesta] | None:
    try:
        from ..core.files import importar
    except ImportError:
        return None
    return importar


def _exportador() -> Callable[..., list[Path]] | None:
    try:
        from ..core.files import exportar
    except ImportError:
        return None
    return exportar


def _usuario() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "operador"


ACCIONES_PROPIAS = frozenset(str(b.action).split("(")[0] for b in RepseApp.BINDINGS)
