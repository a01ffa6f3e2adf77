"""The input log as screens: «Entradas» lists every input of the store (number, type, cycle,
date, who, file, rows accepted and refused, annulled or not), filtered and searched; its detail
shows one input's rows and refusals, annuls it (after a trial of what that changes) and exports
it; «Rechazos» lists every refusal with the input it belongs to, filtered and exported.

The log is read from the repository (``entradas()``, ``rechazos()``, ``entrada(n)``) in a
thread, under the store's lock, whenever the state shown changes: an input recorded here or by
another office, an annulment. The list shows counts, never the rows of an input (a padrón has
150,000): those are read only for the detail of that input, and drawn by a virtual table.
"""

from __future__ import annotations

import os
import unicodedata
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import ClassVar, Protocol, TypeVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label, Select, Static

from ...core import inputs as inp
from ...core.api import Cambio, EntradaRegistrada, Repositorio
from ...core.errors import Rechazo
from ...core.etiquetas import (
    ENTRADA,
    ESTADO,
    OPINION,
    RESPONSABLE,
    cuantos,
    mayuscula,
    momento,
    numero,
)
from ...core.exports import csv_bytes
from ...core.vista import Vista
from .. import mensajes as m
from ..widgets.tabla_virtual import Columna, TablaVirtual
from .base import Pantalla

T = TypeVar("T")

COLUMNAS_ENTRADAS = (
    Columna("Núm.", 5, derecha=True), Columna("Tipo", 18), Columna("Ciclo", 6, desde=110),
    Columna("Fecha", 16), Columna("Actor", 5, desde=110), Columna("Usuario", 12, desde=118),
    Columna("Acept.", 8, derecha=True), Columna("Rech.", 6, derecha=True),
    Columna("Situación", 16), Columna("Archivo", desde=90))
COLUMNAS_RECHAZOS = (
    Columna("Entrada", 7, derecha=True), Columna("Archivo", 20, desde=100),
    Columna("Fecha", 16, desde=110), Columna("Fila", 7, derecha=True), Columna("RFC", 13),
    Columna("Motivo"))
CSV_RECHAZOS = ("entrada", "tipo", "archivo", "fecha", "fila", "rfc", "motivo")
SITUACIONES = [("Aplicadas", "aplicada"), ("Anuladas", "anulada"), ("Rechazadas", "rechazada")]


class Registro(Protocol):
    """What these screens read from, and ask of, the app that shows them."""

    presente: Vista | None  # the state of the store inputs go to, as of its last input
    pasado: tuple[datetime, Vista] | None  # a past instant being looked at (read-only)
    salidas: Path  # where exports go

    def consultar(self, texto: str, leer: Callable[[Repositorio], T]) -> Awaitable[T | None]:
        ...

    def lanzar(self, coro) -> None: ...

    def llamar_almacen(self, texto: str, hacer: Callable[[], Message],
                       fallo: str = ...) -> None: ...

    def anular(self, entrada: EntradaRegistrada) -> None: ...


# --- words --------------------------------------------------------------------------------
def tipo(e: EntradaRegistrada) -> str:
    return mayuscula(ENTRADA.get(e.tipo, e.tipo)) if e.tipo else "ilegible"


def fecha(t: datetime | None) -> str:
    return f"{t:%d-%m-%Y %H:%M}" if t else "—"


def cual(e: EntradaRegistrada) -> str:
    """Which of :data:`SITUACIONES` an input is in."""
    return "rechazada" if not e.aceptada else "anulada" if e.anulada else "aplicada"


def situacion(e: EntradaRegistrada) -> str:
    if not e.aceptada:
        return "RECHAZADA"
    return f"anulada por la {e.anulada:,}" if e.anulada else "aplicada"


def describir(e: EntradaRegistrada) -> str:
    """``Opiniones del IMSS del 26-01-2026 17:00, archivo r1.csv: 8 filas aceptadas, 0
    rechazadas.``"""
    archivo = f", archivo {e.archivo}" if e.archivo else ""
    return (f"{tipo(e)} del {fecha(e.at)}{archivo}: "
            f"{cuantos(e.aceptadas, 'fila aceptada', 'filas aceptadas')}, "
            f"{cuantos(e.rechazadas, 'rechazada', 'rechazadas')}.")


def _plano(texto: str) -> str:
    """Lower case without accents: «padron» finds «padrón.csv»."""
    return "".join(c for c in unicodedata.normalize("NFKD", texto.casefold())
                   if not unicodedata.combining(c))


def fila_entrada(e: EntradaRegistrada) -> tuple[str, ...]:
    return (numero(e.numero), tipo(e), e.ciclo or "—", fecha(e.at),
            RESPONSABLE.get(e.actor or "", "—"), e.usuario or "—", numero(e.aceptadas),
            numero(e.rechazadas), situacion(e), e.archivo or "—")


def fila_rechazo(r: Rechazo, e: EntradaRegistrada | None) -> tuple[str, ...]:
    archivo = r.archivo or (e.archivo if e else None)
    return (numero(r.linea), archivo or "—", fecha(e.at if e else None),
            numero(r.fila) if r.fila else "—", r.rfc or "—", r.motivo)


def csv_rechazo(r: Rechazo, e: EntradaRegistrada | None) -> tuple[object, ...]:
    return (r.linea, ENTRADA.get(r.tipo, r.tipo) if r.tipo else "",
            r.archivo or (e.archivo if e else "") or "",
            f"{e.at:%Y-%m-%d %H:%M}" if e and e.at else "", r.fila or "", r.rfc or "", r.motivo)


Fila = tuple[int | None, str, str]  # an input's row: its row in the file, RFC, what it says


def filas_de(entrada: inp.Entrada | None) -> tuple[str, list[Fila]]:
    """The rows an input names and the name of what it says of each (empty when only the RFC
    matters); none for a clock step, a calendar or an annulment."""
    if isinstance(entrada, inp.Padron):
        return "Razón social", [(f.fila, f.rfc, f.razon_social) for f in entrada.contratistas]
    if isinstance(entrada, inp.Opiniones):
        return "Opinión", [(f.fila, f.rfc, OPINION[f.opinion]) for f in entrada.resultados]
    if isinstance(entrada, inp.Manifestacion):
        return "Resumen", [(None, entrada.rfc, entrada.resumen)]
    if isinstance(entrada, inp.Renovacion):
        return "Resultado", [(None, entrada.rfc, entrada.resultado)]
    rfcs = getattr(entrada, "rfcs", None) or ()
    filas = getattr(entrada, "filas", None) or ()
    return "", [(filas[k] if k < len(filas) else None, rfc, "") for k, rfc in enumerate(rfcs)]


def lo_que_dice(entrada: inp.Entrada | None) -> list[str]:
    """What an input says besides its rows: its round, its reason, what it annuls."""
    if entrada is None:
        return ["No es una entrada válida: se registró rechazada con su motivo."]
    out = []
    if isinstance(entrada, inp.Opiniones):
        out.append(f"Ronda {entrada.ronda}, lista "
                   f"{'completa' if entrada.completo else 'parcial'}")
    if isinstance(entrada, inp.Anulacion):
        out.append(f"Anula la entrada {entrada.entrada:,}")
    for campo in ("motivo", "texto", "causa"):
        if valor := getattr(entrada, campo, None):
            out.append(f"{mayuscula(campo)}: {valor}")
    if entrada.retroactivo:
        out.append("Registrada como retroactiva")
    return out


def cambios_por_estado(cambios: Sequence[Cambio]) -> list[str]:
    """How many contractors go from each state to each other, most first."""
    pares = Counter((c.antes, c.despues) for c in cambios)
    return [f"{ESTADO.get(a or '', 'sin expediente')} → {ESTADO.get(d or '', 'sin expediente')}"
            f": {numero(n)}" for (a, d), n in pares.most_common()]


def guardar_csv(ruta: Path, cabecera: Sequence[str], filas: Iterable[Sequence[object]]) -> Path:
    """``filas`` as CSV at ``ruta``, whole or not at all: written beside it, then renamed over
    it (an export interrupted never leaves half a file)."""
    ruta.parent.mkdir(parents=True, exist_ok=True)
    obra = ruta.with_name(f".{ruta.name}.escribiendo")
    try:
        obra.write_bytes(csv_bytes(cabecera, filas))
        os.replace(obra, ruta)
    except BaseException:
        obra.unlink(missing_ok=True)
        raise
    return ruta


# --- the screens --------------------------------------------------------------------------
class _Registro(Pantalla):
    """A screen of the log: read again from the store whenever the state shown changes."""

    def __init__(self, que_se_lee: str = "Leyendo el registro de entradas…") -> None:
        super().__init__()
        self.que_se_lee = que_se_lee  # what the activity line says while the store is read
        self._leido: Vista | None = None  # the present the log was last read for
        self.entradas: dict[int, EntradaRegistrada] = {}

    @property
    def registro(self) -> Registro:
        return cast(Registro, self.app)

    def refrescar(self, vista: Vista) -> None:
        if self.registro.presente is not self._leido:
            self._leer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Annulling writes: shown disabled while looking at a past instant.
        return None if action == "anular" and self.registro.pasado is not None else True

    @work(exclusive=True, group="registro")
    async def _leer(self) -> None:
        presente = self.registro.presente
        leido = await self.registro.consultar(self.que_se_lee, self.leer)
        if leido is not None:
            self._leido = presente
            self.leido(leido)

    def leer(self, repo: Repositorio):
        """(On the store's thread.) What the screen shows, from the repository."""
        raise NotImplementedError

    def leido(self, leido) -> None:
        """(On the UI thread.) Draw what :meth:`leer` read."""
        raise NotImplementedError

    def abrir_entrada(self, numero: int) -> None:
        e = self.entradas.get(numero)
        if e is not None:
            self.app.push_screen(EntradaScreen(e))

    def exportar(self, texto: str, carpeta: Path,
                 archivos: Sequence[tuple[str, Sequence[str], list[tuple[object, ...]]]]
                 ) -> None:
        """Write each (name, header, rows) as CSV into ``carpeta`` in a store worker (the
        answer, or the failure with a retry, as every export's)."""
        async def exportar() -> None:
            self.registro.llamar_almacen(texto, lambda: m.Exportado(carpeta, [
                guardar_csv(carpeta / nombre, cabecera, filas)
                for nombre, cabecera, filas in archivos]), "No se pudo exportar")

        self.registro.lanzar(exportar())


class _Lista(_Registro):
    """A list of the log (a table under a search box «#buscar» and Select filters, a count
    «#cuenta»): any change filters it again, Escape clears every filter, Enter opens the input
    of the row under the cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "abrir", "Abrir"),
        Binding("slash", "buscar", "Buscar"),
        Binding("escape", "limpiar", "Quitar filtros"),
    ]

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(TablaVirtual).focus()

    def filtrar(self) -> None:
        """Show the rows the search and the filters leave."""
        raise NotImplementedError

    def action_abrir(self) -> None:
        raise NotImplementedError

    @on(Input.Changed, "#buscar")
    @on(Select.Changed)
    def _filtro(self) -> None:
        self.filtrar()

    @on(Input.Submitted, "#buscar")
    def _a_la_tabla(self) -> None:
        self.query_one(TablaVirtual).focus()

    def action_buscar(self) -> None:
        self.query_one("#buscar", Input).focus()

    def action_limpiar(self) -> None:
        self.query_one("#buscar", Input).value = ""
        for select in self.query(Select):
            select.clear()
        self.query_one(TablaVirtual).focus()
        self.filtrar()

    @on(TablaVirtual.Elegida)
    def _elegida(self) -> None:
        self.action_abrir()


class EntradasScreen(_Lista):
    """Every input of the store, newest last; Enter opens one, «u» annuls it."""

    DEFAULT_CSS = """
    EntradasScreen #f-tipo { width: 22; }
    EntradasScreen #f-ciclo { width: 20; }
    EntradasScreen #f-situacion { width: 24; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("u", "anular", "Anular")]

    def __init__(self) -> None:
        super().__init__()
        self._visibles: list[EntradaRegistrada] = []

    def cuerpo(self) -> ComposeResult:
        with Horizontal(id="filtros"):
            yield Input(placeholder="Buscar número o archivo…", id="buscar")
            yield Select([], prompt="Tipo: todos", id="f-tipo")
            yield Select([], prompt="Ciclo: todos", id="f-ciclo")
            yield Select(SITUACIONES, prompt="Situación: todas", id="f-situacion")
        yield Label("", id="cuenta")
        yield TablaVirtual(COLUMNAS_ENTRADAS)

    def leer(self, repo: Repositorio) -> list[EntradaRegistrada]:
        return repo.entradas()

    def leido(self, leido: list[EntradaRegistrada]) -> None:
        self.entradas = {e.numero: e for e in leido}
        for selector, valores in (
                ("#f-tipo", sorted({(tipo(e), e.tipo) for e in leido if e.tipo})),
                ("#f-ciclo", [(c, c) for c in sorted({e.ciclo for e in leido if e.ciclo})])):
            select = self.query_one(selector, Select)
            actual = select.value
            select.set_options(valores)
            if actual in {v for _t, v in valores}:
                select.value = actual
        self.filtrar()

    # --- filters --------------------------------------------------------------------------
    def _valor(self, selector: str) -> str | None:
        value = self.query_one(selector, Select).value
        return None if value is Select.NULL else str(value)

    def visibles(self) -> list[EntradaRegistrada]:
        """The inputs the filters and the search leave, in number order."""
        clase, ciclo, situado = (self._valor(s) for s in ("#f-tipo", "#f-ciclo", "#f-situacion"))
        texto = _plano(self.query_one("#buscar", Input).value.strip())
        out = []
        for e in self.entradas.values():
            if (clase and e.tipo != clase) or (ciclo and e.ciclo != ciclo) or (
                    situado and cual(e) != situado):
                continue
            if texto and not (texto == str(e.numero) or texto in _plano(e.archivo or "")
                              or texto in _plano(tipo(e))):
                continue
            out.append(e)
        return out

    def filtrar(self) -> None:
        tabla = self.query_one(TablaVirtual)
        antes = self._numero_seleccionado()
        self._visibles = self.visibles()
        numeros = [e.numero for e in self._visibles]
        cursor = numeros.index(antes) if antes in numeros else len(numeros) - 1
        tabla.mostrar([fila_entrada(e) for e in self._visibles],
                      ["mal" if not e.aceptada else "tenue" if e.anulada else None
                       for e in self._visibles], cursor)
        todas = self.entradas.values()
        anuladas = sum(e.anulada is not None for e in todas)
        rechazadas = sum(not e.aceptada for e in todas)
        self.query_one("#cuenta", Label).update(
            f"{numero(len(self._visibles))} de {numero(len(todas))} entradas · "
            f"{cuantos(anuladas, 'anulada', 'anuladas')} · "
            f"{cuantos(rechazadas, 'rechazada', 'rechazadas')}")

    def _numero_seleccionado(self) -> int | None:
        k = self.query_one(TablaVirtual).seleccionada
        return self._visibles[k].numero if k is not None and k < len(self._visibles) else None

    # --- the selection --------------------------------------------------------------------
    def action_abrir(self) -> None:
        n = self._numero_seleccionado()
        if n is not None:
            self.abrir_entrada(n)

    def action_anular(self) -> None:
        n = self._numero_seleccionado()
        if n is not None:
            self.registro.anular(self.entradas[n])


class EntradaScreen(_Registro):
    """One input: what it says, its rows, its refusals with their reasons; annul, export."""

    DEFAULT_CSS = """
    EntradaScreen #ficha-entrada { padding: 0 1; height: auto; }
    EntradaScreen TablaVirtual { border: round $primary; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,backspace", "volver", "Volver"),
        Binding("u", "anular", "Anular"),
        Binding("e", "exportar_csv", "Exportar CSV"),
    ]

    def __init__(self, entrada: EntradaRegistrada) -> None:
        super().__init__(f"Leyendo la entrada {entrada.numero:,}…")
        self.numero = entrada.numero
        self.entradas = {entrada.numero: entrada}
        self.entrada: inp.Entrada | None = None  # as recorded (read once: it never changes)
        self.filas: list[Fila] = []
        self.rechazos: list[Rechazo] = []

    def cuerpo(self) -> ComposeResult:
        yield Static("", id="ficha-entrada")
        yield TablaVirtual((Columna("Fila", 8, derecha=True), Columna("RFC", 14),
                            Columna("")), id="filas-entrada")
        yield TablaVirtual(COLUMNAS_RECHAZOS, envolver=True, id="rechazos-entrada")

    def on_mount(self) -> None:
        super().on_mount()
        self._ficha()
        self.query_one("#filas-entrada").focus()

    def leer(self, repo: Repositorio):
        return (repo.entradas(), self.entrada or repo.entrada(self.numero),
                [r for r in repo.rechazos() if r.linea == self.numero])

    def leido(self, leido) -> None:
        entradas, self.entrada, self.rechazos = leido
        self.entradas = {e.numero: e for e in entradas}
        tabla = self.query_one("#filas-entrada", TablaVirtual)
        if not self.filas:  # an input never changes: its rows are drawn once
            titulo, self.filas = filas_de(self.entrada)
            tabla.columnas = (*tabla.columnas[:2], Columna(titulo))
            tabla.mostrar([(numero(f) if f else "", rfc, v) for f, rfc, v in self.filas])
            tabla.border_title = f"Filas de la entrada: {numero(len(self.filas))}"
            tabla.display = bool(self.filas)
        e = self.entradas.get(self.numero)
        rechazos = self.query_one("#rechazos-entrada", TablaVirtual)
        rechazos.mostrar([fila_rechazo(r, e) for r in self.rechazos])
        rechazos.border_title = f"Rechazos, con su motivo: {numero(len(self.rechazos))}"
        rechazos.display = bool(self.rechazos)
        self._ficha()

    def _ficha(self) -> None:
        e = self.entradas[self.numero]
        lineas = [f"Entrada {e.numero:,} · {tipo(e)} · ciclo {e.ciclo or '—'} · "
                  f"{momento(e.at) if e.at else 'sin fecha'}",
                  f"{RESPONSABLE.get(e.actor or '', '—')} · usuario {e.usuario or '—'} · "
                  f"archivo {e.archivo or '—'}",
                  f"{cuantos(e.aceptadas, 'fila aceptada', 'filas aceptadas')} · "
                  f"{cuantos(e.rechazadas, 'rechazada', 'rechazadas')}"
                  f" · {situacion(e)}"]
        if self._leido is not None:
            lineas += lo_que_dice(self.entrada)
        self.query_one("#ficha-entrada", Static).update("\n".join(lineas))

    def action_volver(self) -> None:
        self.dismiss()

    def action_anular(self) -> None:
        self.registro.anular(self.entradas[self.numero])

    def action_exportar_csv(self) -> None:
        e = self.entradas[self.numero]
        titulo = self.query_one("#filas-entrada", TablaVirtual).columnas[2].titulo
        self.exportar(f"Exportando la entrada {self.numero:,}…",
                      self.registro.salidas / "entradas", [
                          (f"entrada-{self.numero}-filas.csv",
                           ("fila", "rfc", *([_plano(titulo).replace(" ", "_")] if titulo
                                              else [])),
                           [(f or "", rfc, *([v] if titulo else []))
                            for f, rfc, v in self.filas]),
                          (f"entrada-{self.numero}-rechazos.csv", CSV_RECHAZOS,
                           [csv_rechazo(r, e) for r in self.rechazos])])


class RechazosScreen(_Lista):
    """Every refusal of the store, with the input it belongs to."""

    DEFAULT_CSS = "RechazosScreen #f-entrada { width: 1fr; }"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("e", "exportar_csv", "Exportar CSV")]
    def __init__(self) -> None:
        super().__init__("Leyendo los rechazos…")
        self.rechazos: list[Rechazo] = []
        self._textos: list[str] = []  # what the search looks in, one per refusal
        self._visibles: list[Rechazo] = []

    def cuerpo(self) -> ComposeResult:
        with Horizontal(id="filtros"):
            yield Input(placeholder="Buscar RFC, motivo o archivo…", id="buscar")
            yield Select([], prompt="Entrada: todas", id="f-entrada")
        yield Label("", id="cuenta")
        yield TablaVirtual(COLUMNAS_RECHAZOS, envolver=True)

    def leer(self, repo: Repositorio):
        return repo.entradas(), repo.rechazos()

    def leido(self, leido) -> None:
        entradas, self.rechazos = leido
        self.entradas = {e.numero: e for e in entradas}
        self._textos = [_plano(" ".join(filter(None, (r.rfc, r.motivo, r.archivo))))
                        for r in self.rechazos]
        cuantos = Counter(r.linea for r in self.rechazos)
        select = self.query_one("#f-entrada", Select)
        actual = select.value
        opciones = []
        for n, k in sorted(cuantos.items()):
            e = self.entradas.get(n)
            donde = f" · {e.archivo}" if e and e.archivo else ""
            opciones.append((f"{n:,} · {tipo(e) if e else '?'}{donde} ({numero(k)})", n))
        select.set_options(opciones)
        if actual in cuantos:
            select.value = actual
        self.filtrar()

    def filtrar(self) -> None:
        entrada = self.query_one("#f-entrada", Select).value
        texto = _plano(self.query_one("#buscar", Input).value.strip())
        self._visibles = [r for r, t in zip(self.rechazos, self._textos, strict=True)
                          if (entrada is Select.NULL or r.linea == entrada)
                          and (not texto or texto in t)]
        self.query_one(TablaVirtual).mostrar(
            [fila_rechazo(r, self.entradas.get(r.linea)) for r in self._visibles])
        self.query_one("#cuenta", Label).update(
            f"{numero(len(self._visibles))} de {numero(len(self.rechazos))} rechazos "
            f"(entradas rechazadas enteras y filas rechazadas), con su motivo")

    def action_abrir(self) -> None:
        k = self.query_one(TablaVirtual).seleccionada
        if k is not None:
            self.abrir_entrada(self._visibles[k].linea)

    def action_exportar_csv(self) -> None:
        entrada = self.query_one("#f-entrada", Select).value
        nombre = "rechazos.csv" if entrada is Select.NULL else f"rechazos-entrada-{entrada}.csv"
        self.exportar("Exportando los rechazos…", self.registro.salidas / "rechazos", [
            (nombre, CSV_RECHAZOS,
             [csv_rechazo(r, self.entradas.get(r.linea)) for r in self._visibles])])
