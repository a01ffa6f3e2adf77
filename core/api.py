"""The small public API both terminal interfaces call: a repository of inputs and its state.

:class:`Repositorio` binds the append-only store to the engine. State is always a deterministic
replay of the accepted inputs in effective-time order (``at``, then recording order), skipping
annulled ones; a snapshot of it makes reopening fast. :func:`replay_file` runs a JSON Lines file
in memory with the same rules.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import msgspec

from . import inputs as inp
from .calendars import Calendarios, calendarios
from .cycle import fecha_corta
from .errors import Aviso, Rechazo
from .instantanea import base_de, dump, dump_relativo, leer, load
from .motor import Desenlace, Engine, EntradaRechazada, epoch, instant
from .plazos import MX
from .store import INSTITUCIONES as INSTITUCIONES  # the groups a login may belong to
from .store import Asiento, Instantanea, Store, StoreError, abrir_almacen, resumen_instantanea
from .store import es_servidor as es_servidor  # a server's URL or keywords, not a file
from .vista import Ancla, EstadoJSON, Vista

if TYPE_CHECKING:
    from .almacen_pg import Escucha

# The calendar `repse init` records is in force from before any cycle this software runs.
ORIGEN = datetime(2000, 1, 1, tzinfo=MX)
# A padrón is dated within this many joint hábil days of its cycle's D0 (issue 11, point 6).
DIAS_PADRON = 5


class Cambio(msgspec.Struct, frozen=True):
    """A contractor whose displayed state a retroactive input or an annulment changed."""

    rfc: str
    antes: str | None
    despues: str | None


class Disparo(msgspec.Struct, frozen=True):
    """One event an input fired (itself, or the clock during it), for how many contractors;
    ``ciclo`` None: the registration chart."""

    evento: str
    ciclo: str | None
    contratistas: int


class Respuesta(msgspec.Struct):
    """The answer to one input (plain data: what ``repse registrar --json`` prints)."""

    numero: int
    tipo: str | None
    aceptada: bool
    motivo: str | None = None
    aceptadas: int = 0
    rechazos: list[Rechazo] = msgspec.field(default_factory=list)
    avisos: list[Aviso] = msgspec.field(default_factory=list)
    transiciones: int = 0
    cambios: list[Cambio] = msgspec.field(default_factory=list)
    disparos: list[Disparo] = msgspec.field(default_factory=list)
    notas: list[str] = msgspec.field(default_factory=list)  # how an operator's file was read

    @classmethod
    def de(cls, paso: Desenlace, cambios: Iterable[Cambio] = ()) -> Respuesta:
        """The answer to an accepted input, from what applying it did."""
        counts: Counter[tuple[str, str | None]] = Counter()
        for lote in paso.lotes:
            counts[lote.evento, lote.ciclo] += len(lote.idx)
        return cls(paso.numero, paso.tipo, True, None, paso.aceptadas, list(paso.rechazos),
                   list(paso.avisos), paso.transiciones, list(cambios),
                   [Disparo(e, c, n) for (e, c), n in counts.items()])


class EntradaRegistrada(msgspec.Struct, frozen=True):
    """One input of the log, as ``repse entradas`` lists it. ``aceptadas`` and ``rechazadas``
    count rows as the current replay applies the input (an annulled one applies none), plus the
    rows refused while reading its file; ``anulada`` names the annulment in effect."""

    numero: int
    tipo: str | None  # None: a line that was not even an input
    ciclo: str | None
    at: datetime | None
    actor: str | None
    usuario: str | None  # on a server, the login that recorded it
    aceptada: bool
    aceptadas: int
    rechazadas: int
    anulada: int | None
    archivo: str | None
    hash: str


class Nueva(msgspec.Struct, frozen=True):
    """An input another process appended, as catching up with it found it."""

    numero: int
    tipo: str  # "?" for a refused line that is not even JSON
    usuario: str | None  # on a server, the login that recorded it
    aceptada: bool


class _Cabecera(msgspec.Struct):
    """What ordering a replay and listing the log need of a stored input, decoded without its
    rows."""

    tipo: str
    at: datetime
    actor: str
    entrada: int | None = None  # an annulment's target
    ciclo: str | None = None
    usuario: str | None = None
    archivo: str | None = None


_cabecera = msgspec.json.Decoder(_Cabecera)
_LARGE = 5_000  # inputs with more rows than this are decoded from the store when replayed
_POCAS = 100  # inputs with at most this many rows are undone by a copy of the state if refused
# Checkpoints kept in memory besides the one after the latest padrón: each is a copy of the
# engine's columns (about 120 MB after ten cycles of 150,000 contractors), so only a few.
_EN_MEMORIA = 4


class _Punto(NamedTuple):
    """A checkpoint: the state a replay of the log prefix up to input ``n`` reaches, kept so
    that a correction replays only what follows it. It is valid for a log while that log's
    inputs ordered up to ``clave`` (the effective time of the last one it includes, then its
    number) are still exactly ``efectivas``: a retroactive input dated before it, or an
    annulment of one of them, makes it useless, never wrong."""

    n: int
    clave: tuple[int, int]
    efectivas: frozenset[int]
    engine: Engine | None  # None: rebuilt by ``cargar`` each time (kept on disk, small)
    padron: bool = False  # taken right after a padrón
    filas: int = 0  # rows of the input it follows: what replaying from the one before costs more
    cargar: Callable[[], Engine] | None = None

    def estado(self) -> Engine:
        """Its state, for a replay to change: a copy, or a state rebuilt from disk."""
        if self.engine is not None:
            return self.engine.copia()
        assert self.cargar is not None
        return self.cargar()


def _clave(row: _Row) -> tuple[int, int]:
    return row.at, row.n


class _Row(NamedTuple):
    n: int
    at: int  # epoch seconds
    actor: str
    anula: int | None  # for an annulment, the input it names
    tipo: str
    ciclo: str | None
    usuario: str | None  # as the input says (on a server, the login: it writes it there)
    archivo: str | None


@dataclass
class _Log:
    """The accepted inputs in recording order. Large inputs (a padrón of a million rows) are
    not kept decoded: ``loader`` reads them back from the store when a replay needs them."""

    rows: list[_Row] = field(default_factory=list)
    cache: dict[int, inp.Entrada] = field(default_factory=dict)
    loader: Callable[[int], inp.Entrada] | None = None

    def add(self, n: int, entrada: inp.Entrada) -> None:
        anula = entrada.entrada if isinstance(entrada, inp.Anulacion) else None
        ciclo = getattr(entrada, "ciclo", None)
        self.rows.append(_Row(n, epoch(entrada.at), entrada.actor, anula, inp.tipo(entrada),
                              None if ciclo is None else str(ciclo), entrada.usuario,
                              entrada.archivo))
        if self.loader is None or _size(entrada) <= _LARGE:
            self.cache[n] = entrada

    def add_stored(self, n: int, cuerpo: bytes) -> None:
        """Index a stored input by its header alone. One that is not even that (typed by hand
        into a server's table) is indexed first in time: the replay refuses it with its
        reason."""
        try:
            head = _cabecera.decode(cuerpo)
        except (msgspec.DecodeError, msgspec.ValidationError):
            self.rows.append(_Row(n, 0, "?", None, "?", None, None, None))
            return
        anula = head.entrada if head.tipo == "anulacion" else None
        self.rows.append(_Row(n, epoch(head.at), head.actor, anula, head.tipo, head.ciclo,
                              head.usuario, head.archivo))

    def entrada(self, n: int) -> inp.Entrada:
        cached = self.cache.get(n)
        if cached is not None:
            return cached
        assert self.loader is not None
        entrada = self.loader(n)
        if _size(entrada) <= _LARGE:
            self.cache[n] = entrada
        return entrada

    def copy(self, until: int | None = None) -> _Log:
        rows = [r for r in self.rows if until is None or r.at <= until]
        return _Log(rows, dict(self.cache), self.loader)

    def actor(self, n: int) -> str | None:
        return next((r.actor for r in self.rows if r.n == n), None)

    def annulled(self) -> dict[int, int]:
        """Inputs annulled by an effective annulment (an annulled annulment restores), each
        with the first annulment in effect that names it."""
        anulaciones = {r.n: r.anula for r in self.rows if r.anula is not None}
        memo: dict[int, bool] = {}

        def effective(n: int) -> bool:
            if n not in memo:
                memo[n] = True
                memo[n] = not any(target == n and effective(a)
                                  for a, target in anulaciones.items())
            return memo[n]

        out: dict[int, int] = {}
        for a, target in anulaciones.items():
            if effective(a):
                out.setdefault(target, a)
        return out

    def efectivas(self, hasta: int | None = None) -> list[_Row]:
        """The inputs a replay applies, in effective-time order (``at``, then number): accepted
        and not annulled; those of the log prefix up to input ``hasta`` if given. An annulment
        in effect is among them as a step of the clock to its date: recorded at 17:30, it
        means the clock reached 17:30, and taking an input away must not move it back."""
        log = self if hasta is None else _Log([r for r in self.rows if r.n <= hasta])
        skip = log.annulled()
        return sorted((r for r in log.rows if r.n not in skip), key=_clave)

    def punto(self, n: int, engine: Engine, *, padron: bool = False, filas: int = 0
              ) -> _Punto | None:
        """``engine``, the state of the prefix up to input ``n``, as a checkpoint (None for
        an empty prefix: the initial state needs none)."""
        posicion = self.posicion(n)
        return None if posicion is None else _Punto(n, *posicion, engine, padron, filas)

    def posicion(self, n: int) -> tuple[tuple[int, int], frozenset[int]] | None:
        """Where the state of the log prefix up to input ``n`` stands: the key of the last
        input it applies and the inputs it applies (None: none)."""
        orden = self.efectivas(n)
        return (_clave(orden[-1]), frozenset(r.n for r in orden)) if orden else None

    def replay(self, initial: Calendarios, puntos: Iterable[_Punto] = ()) -> _Repeticion:
        """The state: every accepted, non-annulled input in effective-time order, from the
        first of ``puntos`` (tried in the order given) that is valid for this log, or from the
        start. An input that no longer fits (its padrón was annulled) is refused whole, with
        its reason."""
        orden = self.efectivas()
        engine, desde, usado = Engine(initial), 0, None
        for p in puntos:
            k = _desde(orden, p.clave, p.efectivas)
            if k is not None:
                engine, desde, usado = p.estado(), k, p.n
                break
        out = _Repeticion(engine, {}, {}, usado)
        for row in orden[desde:]:
            if row.anula is not None:  # an annulment: only the clock's step to its date
                _aplicar_aceptada(out.engine, inp.Reloj(at=instant(row.at), actor=row.actor),
                                  row.n)
                continue
            try:
                entrada = self.entrada(row.n)
            except inp.InputError as exc:
                motivo = (f"la entrada aceptada {row.n} del registro no es una entrada válida "
                          f"({exc.motivo}): no se aplica; anúlela y registre la correcta")
                out.engine.rechazos.append(Rechazo(row.n, row.tipo, None, motivo))
                out.rechazadas[row.n] = motivo
                continue
            paso = _aplicar_aceptada(out.engine, entrada, row.n)
            if isinstance(paso, str):
                out.rechazadas[row.n] = paso
            else:
                out.pasos[row.n] = paso
        return out

    def vale(self, p: _Punto) -> bool:
        """Whether checkpoint ``p`` still reflects this log's inputs up to its ``clave``."""
        return _desde(self.efectivas(), p.clave, p.efectivas) is not None


def _desde(orden: Sequence[_Row], clave: tuple[int, int], efectivas: frozenset[int]
           ) -> int | None:
    """Where a replay of ``orden`` (a log's inputs in effective-time order) resumes from a
    checkpoint of the inputs ``efectivas`` up to ``clave``: how many of them it reflects; None
    if it does not reflect them."""
    k = bisect.bisect_right(orden, clave, key=_clave)
    return k if k and frozenset(r.n for r in orden[:k]) == efectivas else None


def _conservar(puntos: list[_Punto]) -> list[_Punto]:
    """The checkpoints to keep in memory, by effective time: the one after the latest padrón,
    and at most :data:`_EN_MEMORIA` others. Those before that padrón go first (oldest first);
    then the one whose loss costs a later correction least: the fewest rows between it and the
    checkpoint before it (a correction it would have served replays those rows more)."""
    puntos = sorted(puntos, key=lambda p: p.clave)
    padron = next((p for p in reversed(puntos) if p.padron), None)
    otros = [p for p in puntos if p is not padron]
    while len(otros) > _EN_MEMORIA:
        otros.remove(min(otros, key=lambda p: (padron is None or p.clave > padron.clave,
                                               p.filas, p.clave)))
    return sorted([*otros, *([padron] if padron else [])], key=lambda p: p.clave)


def _cargador(datos: bytes, base: tuple[str, Engine] | None, leido: Engine
              ) -> Callable[[], Engine]:
    """Rebuild a checkpoint kept against ``base`` from ``datos``; ``leido``, the state already
    rebuilt once, serves the first call."""
    primero = [leido]

    def cargar() -> Engine:
        engine = primero.pop() if primero else load(datos, base)
        assert engine is not None  # it was read once from the same bytes and base
        return engine

    return cargar


def _entrada_guardada(store: Store, n: int) -> inp.Entrada:
    return inp.decode(store.cuerpo(n), n)


def _aplicar_aceptada(engine: Engine, entrada: inp.Entrada, n: int) -> Desenlace | str:
    """Apply an input the log accepted; one that no longer fits (its padrón was annulled) is
    refused whole: its reason joins the engine's refusals and is returned."""
    try:
        return engine.aplicar(entrada, n)
    except EntradaRechazada as exc:
        engine.rechazos.append(Rechazo(n, inp.tipo(entrada), None, str(exc), entrada.archivo))
        return str(exc)


class _Deshacer(Exception):
    """Rolls back the transaction of a trial (:meth:`Repositorio.ensayar`)."""


class _Repeticion(NamedTuple):
    """A replay: the state, what each input it replayed did, the inputs it refused whole, and
    the checkpoint it started from (its ``n``; None: from the first input)."""

    engine: Engine
    pasos: dict[int, Desenlace]
    rechazadas: dict[int, str]
    punto: int | None = None


def _size(entrada: inp.Entrada) -> int:
    rows = getattr(entrada, "contratistas", None) or getattr(entrada, "resultados", None) \
        or getattr(entrada, "rfcs", None) or ()
    return len(rows)


def _changes(before: Engine, after: Engine) -> list[Cambio]:
    cambios = Vista(after, congelado=True).cambios(Vista(before, congelado=True))
    return [Cambio(*c) for c in cambios]


class Repositorio:
    """A store of inputs and the state derived from it."""

    def __init__(self, store: Store, *, ahora: Callable[[], datetime] | None = None,
                 inicial: Calendarios | None = None) -> None:
        self.store = store
        self.ahora = ahora  # the real present (operation stores only); the core never reads it
        self.inicial = inicial or Calendarios()  # before any `calendario` input
        # Inputs read back from the store, not through ``self``: a repository that is no longer
        # used is then freed at once (with its states, hundreds of MB), not at the collector's
        # next full pass, which would fall inside whatever runs then.
        self.log = _Log(loader=functools.partial(_entrada_guardada, store))
        self.applied = 0  # last store row reflected in ``engine``
        self.engine = Engine(self.inicial)
        self._vista: Vista | None = None  # the last one handed out (its search index is reused)
        self.avisos: list[str] = []  # what opening found and mended (a discarded snapshot)
        self._guardadas: set[tuple[int, str]] = set()  # snapshots known good on disk
        # The head's snapshot on disk (its summary) and its state, which the checkpoints on
        # disk are kept against (instantanea.dump_relativo); the engine mutates a copy of it.
        self._base: tuple[str, Engine] | None = None
        self._puntos: list[_Punto] = []  # checkpoints in memory (see :meth:`_anotar`)
        self._descartadas: set[str] = set()  # checkpoints on disk found bad (their resumen)
        self.ajenas: list[Nueva] = []  # other processes' inputs caught up with, not yet told
        self._open()

    # --- lifecycle --------------------------------------------------------------------------
    @classmethod
    def crear(cls, path: str | Path, *, calendario: str | Path | None = None,
              simulacion: bool = False, ahora: Callable[[], datetime] | None = None
              ) -> Repositorio:
        """A new store whose first input is the calendar in force (bundled or given)."""
        cals = calendarios(calendario)
        repo = cls(abrir_almacen(path, create=True, simulacion=simulacion), ahora=ahora)
        repo.registrar(inp.CalendarioVigente(
            at=ORIGEN, actor="gt", usuario="repse init",
            archivo=str(calendario) if calendario else None,
            cierre=cals.datos.cierre, revisado=cals.datos.revisado, politicas=cals.politicas))
        return repo

    @classmethod
    def abrir(cls, path: str | Path, *, ahora: Callable[[], datetime] | None = None
              ) -> Repositorio:
        return cls(abrir_almacen(path), ahora=ahora)

    def cerrar(self) -> None:
        self.guardar_instantanea()
        self.store.close()

    def guardar_instantanea(self) -> None:
        """Save the state as the snapshot of the exact log head it reflects (number and hash),
        unless this process read or saved that very snapshot; beside it, on a store that keeps
        several, the checkpoints of the latest cycle in memory (from its padrón on), each as
        what differs from the head's snapshot, so that a correction in that cycle made by
        another process (each ``repse registrar`` is one) replays from the nearest. One that
        cannot be kept so (another cycle's contractors) is kept whole only if it is the
        padrón's: the store grows by the inputs, not by whole states. A snapshot on disk that
        could not be used (another format) is rewritten; every other one is dropped."""
        if not self.applied:
            return
        with self.store.lectura():
            cabeza = self.store.hash_de(self.applied)
            puntos = [(p, self.store.hash_de(p.n)) for p in self._puntos_en_disco()]
        nueva = (self.applied, cabeza) not in self._guardadas
        if nueva:  # every checkpoint is written again, against the new head
            datos = dump(self.engine)
            base: tuple[str, Engine] | None = (resumen_instantanea(cabeza, datos), self.engine)
            guardadas: set[tuple[int, str]] = set()
        else:
            base = self._base if self._base is not None and self._base[1] is self.engine \
                else None
            guardadas = self._guardadas
        escribir: dict[int, tuple[str, bytes]] = {}
        conservar = [self.applied]
        for p, cabeza_punto in puntos:
            if (p.n, cabeza_punto) not in guardadas:
                estado = p.engine if p.engine is not None else p.estado()
                datos_p = None if base is None else dump_relativo(estado, base[1], base[0])
                if datos_p is None and not p.padron:
                    continue
                escribir[p.n] = (cabeza_punto, datos_p or dump(estado))
            conservar.append(p.n)
        if nueva:
            self.store.save_snapshot(self.applied, cabeza, datos, conservar)
            self._guardadas, self._base = {(self.applied, cabeza)}, base
        for n, (cabeza_punto, datos_p) in escribir.items():
            self.store.save_snapshot(n, cabeza_punto, datos_p, conservar)
            self._guardadas.add((n, cabeza_punto))

    def _puntos_en_disco(self) -> list[_Punto]:
        """The checkpoints worth keeping on disk: those from the latest padrón on, if the log
        still agrees with them and the store keeps more than its head's snapshot (the head's
        own is saved as the head's)."""
        if not self.store.varias_instantaneas:
            return []
        padron = next((p for p in reversed(self._puntos) if p.padron), None)
        if padron is None:
            return []
        return [p for p in self._puntos
                if p.clave >= padron.clave and p.n != self.applied and self.log.vale(p)]

    def _anotar(self, numero: int, entrada: inp.Entrada) -> None:
        """Index an input just applied at the end of the log; after a large one (a padrón, a
        long list) keep the state as a checkpoint, so that a later correction replays only
        what follows it instead of the whole history."""
        self.log.add(numero, entrada)
        padron = isinstance(entrada, inp.Padron)
        filas = _size(entrada)
        if not padron and filas <= _LARGE:
            return
        punto = self.log.punto(numero, self.engine.copia(), padron=padron, filas=filas)
        if punto is not None:
            self._puntos = _conservar([*self._puntos, punto])

    def _candidatos(self, log: _Log) -> Iterator[_Punto]:
        """Checkpoints a replay of ``log`` may start from, newest first: those in memory, then
        those on disk (only if none in memory fits, each read only when it fits ``log``), each
        verified against the store before it is believed; a bad one is discarded with a
        warning."""
        orden = log.efectivas()
        for p in sorted(self._puntos, key=lambda p: p.clave, reverse=True):
            if _desde(orden, p.clave, p.efectivas) is not None:
                yield p
        last = self.store.last()[0]
        for n in sorted(self.store.numeros_puntos(), reverse=True):
            if n >= last or any(p.n == n for p in self._puntos):
                continue  # the head's own snapshot is checked by opening
            posicion = self.log.posicion(n)
            if posicion is None or _desde(orden, *posicion) is None:
                continue  # of no use to this replay: not read
            snap = self.store.punto(n)
            if snap is None or snap.resumen in self._descartadas:
                continue
            engine, relativa = None, None
            problema = _problema_punto(self.store, snap)
            if problema is None:
                try:
                    engine, relativa = leer(snap.datos, self._base)
                except (msgspec.DecodeError, msgspec.ValidationError, ValueError, KeyError,
                        TypeError, IndexError) as exc:
                    problema = f"no se puede leer ({type(exc).__name__})"
            if problema:
                self.avisos.append(
                    f"{self.store.path}: la instantánea intermedia de la entrada {snap.n} "
                    f"{problema}: se descarta y el estado se reconstruye sin ella")
            if engine is None:
                self._descartadas.add(snap.resumen)
                continue
            tipo = next((r.tipo for r in self.log.rows if r.n == snap.n), None)
            punto = _Punto(snap.n, *posicion, engine, tipo == "padron")
            if relativa is not None:
                # Kept against the head's state: rebuilt from it (a copy) whenever needed
                # rather than kept whole in memory; this first time, the state just read.
                punto = punto._replace(engine=None, cargar=_cargador(snap.datos, self._base,
                                                                      engine))
            self._guardadas.add((snap.n, snap.cabeza))
            self._puntos = _conservar([*self._puntos, punto])
            yield punto

    def _propio(self) -> Engine:
        """The engine, to be changed in place: a copy of it first while it is the state the
        checkpoints on disk are kept against (which must stay as it was)."""
        if self._base is not None and self._base[1] is self.engine:
            self.engine = self.engine.copia()
        return self.engine

    def _open(self) -> None:
        """Index the log and take the state from the snapshot of its exact head, or replay it;
        all inside one read transaction, so an input committed meanwhile by another process is
        either in every part of what is read, or in none."""
        with self.store.lectura():
            for n, cuerpo in self.store.aceptadas():
                self.log.add_stored(n, cuerpo)
            last, cabeza = self.store.last()
            snap = self.store.snapshot()
            problema = _problema_instantanea(snap, last, cabeza)
            if snap is not None and snap.n == last and problema is None:
                try:
                    engine = load(snap.datos, compartida=True)
                except (msgspec.DecodeError, msgspec.ValidationError, ValueError, KeyError,
                        TypeError) as exc:
                    problema = f"no se puede leer ({type(exc).__name__})"
                else:
                    if engine is not None:  # None: a snapshot of another format, replayed
                        self.engine, self.applied = engine, last
                        self._guardadas.add((last, cabeza))
                        self._base = (snap.resumen, engine)
                        return
            if problema:
                self.avisos.append(
                    f"{self.store.path}: la instantánea del estado {problema}: se descarta y el "
                    "estado se reconstruye desde el registro de entradas")
            self.engine = self.log.replay(self.inicial, self._candidatos(self.log)).engine
            self.applied = last

    def _rebuild(self) -> None:
        with self.store.lectura():
            self.engine = self.log.replay(self.inicial, self._candidatos(self.log)).engine
            self.applied = self.store.last()[0]

    def _catch_up(self) -> None:
        """Apply rows other processes appended since our state (inside the write lock, or a
        read transaction), noting each in :attr:`ajenas`."""
        new = list(self.store.filas(self.applied))
        if not new:
            return
        rebuild = False
        for row in new:
            origen = _origen_of(row.cuerpo)
            self.ajenas.append(Nueva(row.n, origen.tipo, origen.usuario,
                                     row.estado == "aceptada"))
            if row.estado != "aceptada":
                continue
            try:
                entrada = inp.decode(row.cuerpo, row.n)
            except inp.InputError:  # typed by hand into a server's table: the replay says why
                self.log.add_stored(row.n, row.cuerpo)
                rebuild = True
                continue
            self.log.add(row.n, entrada)
            rebuild = rebuild or entrada.retroactivo or isinstance(entrada, inp.Anulacion)
            if not rebuild:
                _aplicar_aceptada(self._propio(), entrada, row.n)
        if rebuild:
            self._rebuild()
        self.applied = new[-1].n

    def al_dia(self) -> list[Nueva]:
        """Catch up with the inputs other processes appended since our state (read inside one
        read transaction, so a row being committed is seen whole or not at all) and return
        them, with those one of our own inputs caught up with since the last call, oldest
        first. Reads only the log's head when nothing was appended."""
        if self.store.last()[0] != self.applied:
            with self.store.lectura():
                self._catch_up()
        nuevas, self.ajenas = self.ajenas, []
        return nuevas

    # --- appending --------------------------------------------------------------------------
    @property
    def simulacion(self) -> bool:
        return self.store.simulacion

    def registrar(self, entrada: inp.Entrada, *, previas: Sequence[Rechazo | Aviso] = (),
                  numero: int | None = None, origen: str | None = None) -> Respuesta:
        """Append one input: accepted (whole or by rows) or refused with its reason; either
        way it is recorded. Nothing is half-applied. ``origen`` names where it came from (a
        file and line), so that the same input from the same place is not recorded twice by
        accident."""
        if self.store.login:  # on a server, who records an input is the login, not a claim
            entrada = msgspec.structs.replace(entrada, usuario=self.store.login)
        cuerpo = inp.encode(entrada)
        huella = _huella(entrada, origen)
        with self.store.transaction():
            self._catch_up()
            numero = numero or self.store.last()[0] + 1
            motivo = self._repetida(entrada, huella) or self._refusal(entrada) \
                or _lista_completa_defectuosa(entrada, previas)
            if motivo is None and (entrada.retroactivo or isinstance(entrada, inp.Anulacion)):
                return self._recompute(entrada, cuerpo, numero, previas, huella)
            result, filas = None, ()
            if motivo is None:
                # A refused input changes nothing. A few rows typed by hand (an act, a
                # renewal) are often all refused: the state is copied before them (a copy
                # costs milliseconds, a rebuild replays the whole log). A file is rarely all
                # refused: then the state is rebuilt without it.
                respaldo = None
                if _size(entrada) <= _POCAS and not isinstance(
                        entrada, (inp.Reloj, inp.CalendarioVigente, inp.Membrete)):
                    # The state checkpoints are kept against is never changed: it is its own.
                    base = self._base is not None and self._base[1] is self.engine
                    respaldo = self.engine if base else self.engine.copia()
                try:
                    result = self._propio().aplicar(entrada, numero)
                except EntradaRechazada as exc:
                    motivo = str(exc)
                except BaseException:
                    self._rebuild()  # never keep a half-applied state in memory
                    raise
                if result is not None and (motivo := _filas_rechazadas(entrada, previas,
                                                                       result)):
                    filas = result.rechazos
                    if respaldo is None:
                        self._rebuild()
                    else:
                        self.engine = respaldo
            if motivo is not None or result is None:
                return self._rechazada(entrada, cuerpo, numero, motivo, previas, huella, filas)
            # The engine's row refusals of an accepted input are not stored: every replay
            # derives them again.
            self.store.append("aceptada", None, cuerpo, tuple(previas), numero, huella)
            self.applied = numero
            self._anotar(numero, entrada)
            return Respuesta.de(result)

    def _rechazada(self, entrada: inp.Entrada, cuerpo: bytes, numero: int, motivo: str | None,
                   previas: Sequence[Rechazo | Aviso], huella: str,
                   filas: Sequence[Rechazo] = ()) -> Respuesta:
        """Record ``entrada`` refused whole, with the rows the engine refused: no replay
        applies it, so none would derive their reasons again."""
        self.store.append("rechazada", motivo, cuerpo, (*previas, *filas), numero, huella)
        self.applied = numero
        return Respuesta(numero, inp.tipo(entrada), False, motivo, rechazos=list(filas))

    def ensayar(self, entrada: inp.Entrada, *, previas: Sequence[Rechazo | Aviso] = (),
                origen: str | None = None) -> Respuesta:
        """What :meth:`registrar` would answer for ``entrada`` now (accepted rows, refused
        rows, for a retroactive input the contractors it changes), recording nothing: it is
        registered on copies of the state inside a write transaction that is rolled back."""
        try:
            with self.store.transaction():
                self._catch_up()  # what others appended is ours to keep, before the copies
                # Everything registrar may change in memory, checkpoints included.
                estado = self.log, self.engine, self.applied, list(self._puntos)
                self.log, self.engine = self.log.copy(), self.engine.copia()
                try:
                    respuesta = self.registrar(entrada, previas=previas, origen=origen)
                finally:
                    self.log, self.engine, self.applied, self._puntos = estado
                raise _Deshacer
        except _Deshacer:
            return respuesta

    def registrar_linea(self, linea: bytes | str, *, numero: int | None = None,
                        archivo: str | None = None) -> Respuesta:
        """Decode and append one JSON line; a malformed line is recorded as refused too, its
        reason naming ``archivo`` (the file and the line: also the input's origin)."""
        try:
            entrada = inp.decode(linea, numero)
        except inp.InputError as exc:
            raw = linea.encode() if isinstance(linea, str) else linea
            motivo = f"{archivo}: {exc.motivo}" if archivo else str(exc)
            with self.store.transaction():
                self._catch_up()
                numero = self.store.append("rechazada", motivo, raw, (), numero)
                self.applied = numero
            return Respuesta(numero, None, False, motivo)
        return self.registrar(entrada, numero=numero, origen=archivo)

    def rechazar(self, cuerpo: bytes, motivo: str) -> Respuesta:
        """Record an input that could not even be built (an unreadable file) as refused."""
        with self.store.transaction():
            self._catch_up()
            numero = self.store.append("rechazada", motivo, cuerpo)
            self.applied = numero
        return Respuesta(numero, _tipo_of(cuerpo), False, motivo)

    def _repetida(self, entrada: inp.Entrada, huella: str) -> str | None:
        if entrada.repetida:
            return None
        primera = self.store.repetida(huella)
        if primera is None:
            return None
        return (f"la misma entrada ya está registrada como la entrada {primera} (mismo "
                "contenido y origen); si la repite a propósito, márquela «repetida»")

    def _refusal(self, entrada: inp.Entrada) -> str | None:
        motivo = inp.check_actor(entrada) or self.store.rechazo_institucion(
            entrada.actor, entrada.entrada if isinstance(entrada, inp.Anulacion) else None)
        if motivo:
            return motivo
        if not self.simulacion and self.ahora is not None and entrada.at > self.ahora():
            return ("almacén de operación: la fecha de la entrada es posterior al presente "
                    f"({entrada.at.isoformat()}); use un almacén de simulación para ensayar")
        if epoch(entrada.at) < self.engine.reloj and not entrada.retroactivo:
            return (f"fecha {entrada.at.isoformat()} anterior a la última entrada aceptada "
                    f"({instant(self.engine.reloj).isoformat()}); si corresponde, márquela "
                    "«retroactivo»: el estado se recalcula desde su fecha")
        if isinstance(entrada, inp.Anulacion):
            return self._annulment_refusal(entrada)
        if isinstance(entrada, inp.Padron):
            return self._padron_fuera_de_fecha(entrada)
        return None

    def _padron_fuera_de_fecha(self, padron: inp.Padron) -> str | None:
        """A padrón opens its cycle: one dated far from the cycle's D0 (a padrón for 2026-2
        dated in January) would open it months early."""
        c = self.engine.ciclos.get(str(padron.ciclo))
        d0 = date.fromordinal(c.d0) if c is not None else padron.ciclo.fecha_consulta
        conjunto = self.engine.cal.conjunto()
        desde = conjunto.add_working_days(d0, -DIAS_PADRON)
        hasta = conjunto.add_working_days(d0, DIAS_PADRON)
        dia = padron.at.date()  # ``at`` is in Mexico City time (inputs.momento)
        if desde <= dia <= hasta:
            return None
        return (f"padrón del ciclo {padron.ciclo} fechado el {fecha_corta(dia)}, lejos de su "
                f"fecha de consulta (D0), el {fecha_corta(d0)}: el padrón se fecha dentro de "
                f"los {DIAS_PADRON} días hábiles antes o después de ella (del "
                f"{fecha_corta(desde)} al {fecha_corta(hasta)}); corrija la fecha o el ciclo")

    def _annulment_refusal(self, a: inp.Anulacion) -> str | None:
        target = self.log.actor(a.entrada)
        if target is None:
            return f"la entrada {a.entrada} no existe o fue rechazada: no hay nada que anular"
        if a.entrada in self.log.annulled():
            return f"la entrada {a.entrada} ya está anulada"
        if a.actor != "gt" and a.actor != target:
            return (f"solo el GT o quien emitió la entrada {a.entrada} "
                    f"({target.upper()}) puede anularla")
        if not a.motivo.strip():
            return "la anulación debe decir su motivo"
        return None

    def _recompute(self, entrada: inp.Entrada, cuerpo: bytes, numero: int,
                   previas: Sequence[Rechazo | Aviso], huella: str) -> Respuesta:
        """A retroactive input or an annulment: replay the log with it from the newest
        checkpoint that precedes it, report what changed."""
        trial = self.log.copy()
        trial.add(numero, entrada)
        trial.cache[numero] = entrada  # not in the store yet
        replayed = trial.replay(self.inicial, self._candidatos(trial))
        motivo = replayed.rechazadas.get(numero)
        paso = replayed.pasos.get(numero)  # None for an annulment: a replay skips it
        if motivo is None and paso is not None:
            motivo = _filas_rechazadas(entrada, previas, paso)
        if motivo is not None:
            return self._rechazada(entrada, cuerpo, numero, motivo, previas, huella,
                                   paso.rechazos if paso is not None else ())
        self.store.append("aceptada", None, cuerpo, tuple(previas), numero, huella)
        cambios = _changes(self.engine, replayed.engine)
        self.log, self.engine, self.applied = trial, replayed.engine, numero
        self._puntos = [p for p in self._puntos if trial.vale(p)]  # the rest can never serve
        if paso is None:
            return Respuesta(numero, inp.tipo(entrada), True, None, 1, cambios=cambios)
        return Respuesta.de(paso, cambios)

    def avanzar(self, hasta: datetime, *, actor: str = "gt", usuario: str | None = None
                ) -> Respuesta:
        """Advance the clock: a ``reloj`` input, recorded like any other."""
        return self.registrar(inp.Reloj(at=hasta, actor=actor, usuario=usuario))

    def avanzar_dia_habil(self) -> Respuesta:
        """Advance to the start of the next joint hábil day."""
        return self.avanzar(Vista(self.engine, congelado=True).dia_habil_siguiente())

    def proximo_vencimiento(self) -> datetime | None:
        """The next deadline: a plazo that ends (its expiry fires at midnight after its last
        day), a registration's term that ends, or the cut-off of a pending obligation."""
        return Vista(self.engine, congelado=True).proximo_vencimiento()

    def en_instante(self, t: datetime) -> Engine:
        """The state as it was at ``t`` (read-only): the accepted inputs up to ``t``, replayed,
        with the clock advanced to ``t``."""
        log = self.log.copy(until=epoch(t))
        engine = log.replay(self.inicial, self._candidatos(log)).engine
        engine.avanzar(max(epoch(t), engine.reloj), 0)
        return engine

    def copia_simulacion(self, path: str | Path = ":memory:") -> Repositorio:
        """A simulation copy of this store (every row, re-chained), for "what if" stepping on an
        operation store without touching it."""
        copy = abrir_almacen(path, create=True, simulacion=True)
        with copy.transaction():
            for row in self.store.filas():
                copy.append(row.estado, row.motivo, row.cuerpo, row.observaciones, row.n)
        return Repositorio(copy, inicial=self.inicial)

    # --- reading ----------------------------------------------------------------------------
    def vista(self) -> Vista:
        """The read model as of the last input applied: immutable, safe to hand to another
        thread."""
        n, digest = self.store.last()
        if n != self.applied:  # another process appended since: name our own last input
            digest = next(self.store.filas(self.applied - 1)).hash if self.applied else digest
        self._vista = Vista(self.engine, self.applied, ancla=Ancla(self.applied, digest),
                            anterior=self._vista)
        return self._vista

    def estado(self) -> EstadoJSON:
        return estado_json(self.engine, self.rechazos())

    def rechazos(self) -> list[Rechazo]:
        """Every refusal: whole inputs refused when appended (or on replay), rows refused while
        reading an operator's file, and rows the engine refuses now."""
        out: list[Rechazo] = []
        for row in self.store.filas():
            origen = _origen_of(row.cuerpo)
            tipo = origen.tipo
            if row.estado == "rechazada":
                out.append(Rechazo(row.n, tipo, None, row.motivo or "", origen.archivo))
            out.extend(msgspec.structs.replace(p, tipo=tipo) for p in row.observaciones
                       if isinstance(p, Rechazo))
        out.extend(self.engine.rechazos)
        return sorted(out, key=lambda r: (r.linea, r.fila or 0))

    def entradas(self) -> list[EntradaRegistrada]:
        """Every input of the log up to the last one applied, with what the current state
        makes of it (the rows each input applied are part of the engine's state: no replay).
        Accepted inputs are described from the log's index; refused ones from their body."""
        with self.store.lectura():
            asientos = list(self.store.asientos(self.applied))
        anuladas = self.log.annulled()
        cabeceras = {r.n: r for r in self.log.rows}
        del_motor = Counter(r.linea for r in self.engine.rechazos)
        out: list[EntradaRegistrada] = []
        for a in asientos:
            lector = sum(isinstance(o, Rechazo) for o in a.observaciones)
            row = cabeceras.get(a.n)
            if a.estado != "aceptada" or row is None:
                out.append(_rechazada(a, lector))
                continue
            aplicadas = self.engine.aceptadas.get(a.n)
            if aplicadas is not None:  # an annulment in effect applied its clock step: 1
                aceptadas, rechazadas = aplicadas, del_motor[a.n] + lector
            else:  # annulled, or no longer fitting (its padrón was annulled): nothing
                aceptadas, rechazadas = 0, lector
            out.append(EntradaRegistrada(
                a.n, row.tipo, row.ciclo, instant(row.at), row.actor, a.usuario or row.usuario,
                True, aceptadas, rechazadas, anuladas.get(a.n), row.archivo, a.hash))
        return out

    def entrada(self, n: int) -> inp.Entrada | None:
        """Input ``n`` as recorded, rows included; None for a line that is not an input
        (recorded refused)."""
        try:
            return inp.decode(self.store.cuerpo(n), n)
        except inp.InputError:
            return None


def _huella(entrada: inp.Entrada, origen: str | None) -> str:
    """What identifies an input: its content (not who typed it, nor the mark that repeats it on
    purpose) and where it came from."""
    h = hashlib.sha256(inp.encode(msgspec.structs.replace(entrada, usuario=None,
                                                          repetida=False)))
    h.update(b"\0" + (origen or "").encode())
    return h.hexdigest()


def _lista_completa_defectuosa(entrada: inp.Entrada, previas: Sequence[Rechazo | Aviso]
                               ) -> str | None:
    """A complete list makes everyone absent from it positiva: a bad file must not do that."""
    if not isinstance(entrada, inp.Opiniones) or not entrada.completo:
        return None
    rechazadas = sum(1 for p in previas if isinstance(p, Rechazo))
    if rechazadas:
        return (f"lista completa con {rechazadas} filas rechazadas al leerla: nadie pasa a "
                "positiva por un archivo defectuoso; corrija el archivo y vuelva a importarlo")
    if not entrada.resultados:
        return ("lista completa sin ninguna fila: marcaría como positiva a todo el padrón; "
                "si de verdad nadie está en la lista, regístrela como lista parcial")
    return None


def _filas_rechazadas(entrada: inp.Entrada, previas: Sequence[Rechazo | Aviso],
                      paso: Desenlace) -> str | None:
    """Why an input the engine applied is refused whole for its rows: a complete list with a
    refused row, or an input of which not one row applies (applied, it would only move the
    clock: a padrón dated 2030 whose every row is refused would expire every registration)."""
    rechazos = paso.rechazos
    if isinstance(entrada, inp.Opiniones) and entrada.completo and rechazos:
        return (f"lista completa con {len(rechazos)} filas rechazadas (la primera: "
                f"{rechazos[0].rfc}: {rechazos[0].motivo}): nadie pasa a positiva por un "
                "archivo defectuoso; corrija la lista y vuelva a registrarla")
    if paso.aceptadas:
        return None
    todas = [*(p for p in previas if isinstance(p, Rechazo)), *rechazos]
    if todas:
        cuales = ("su única fila no procede (" if len(todas) == 1
                  else f"ninguna de sus {len(todas):,} filas procede (la primera: ")
        return (f"{cuales}{todas[0].rfc}: {todas[0].motivo}): no se aplica nada de ella, "
                "tampoco el avance del reloj; el motivo de cada fila queda con ella")
    if getattr(entrada, "rfcs", None) == () or getattr(entrada, "contratistas", None) == ():
        return ("no nombra a ningún contratista: no se aplica nada de ella, tampoco el avance "
                "del reloj")
    return None  # no rows to apply: the clock, a calendar, an empty partial list of opinions


class _Origen(msgspec.Struct):
    tipo: str = "?"
    archivo: str | None = None
    usuario: str | None = None


_origen = msgspec.json.Decoder(_Origen)


def _origen_of(cuerpo: bytes) -> _Origen:
    """The ``tipo`` and ``archivo`` of a stored body without building its rows (a padrón has
    150,000); "?" for a refused line that is not even JSON."""
    try:
        return _origen.decode(cuerpo)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return _Origen()


def _rechazada(a: Asiento, lector: int) -> EntradaRegistrada:
    """A refused input, described from its body as far as it can be read (a malformed line may
    not even be JSON)."""
    try:
        head = _cabecera.decode(a.cuerpo or b"")
    except (msgspec.DecodeError, msgspec.ValidationError):
        origen = _origen_of(a.cuerpo or b"")
        tipo = None if origen.tipo == "?" else origen.tipo
        return EntradaRegistrada(a.n, tipo, None, None, None, a.usuario, False, 0, lector, None,
                                 origen.archivo, a.hash)
    at = head.at if head.at.tzinfo else head.at.replace(tzinfo=MX)
    return EntradaRegistrada(a.n, head.tipo, head.ciclo, at.astimezone(MX), head.actor,
                             a.usuario or head.usuario, False, 0, lector, None, head.archivo,
                             a.hash)


def _tipo_of(cuerpo: bytes) -> str:
    return _origen_of(cuerpo).tipo


def nombre_almacen(destino: str | Path) -> str:
    """How a store is named on screen: a file by its name, a server by its connection string
    without the password it may carry."""
    if es_servidor(destino):
        from .almacen_pg import nombre_visible

        return nombre_visible(str(destino))
    return Path(destino).name


def escuchar(destino: str | Path) -> Escucha | None:
    """For a server store, a connection the server wakes whenever any office commits an input
    (LISTEN/NOTIFY); None for a file, which has nobody to wake a reader: poll :meth:`al_dia`."""
    if not es_servidor(destino):
        return None
    from .almacen_pg import Escucha

    return Escucha(str(destino))


def estado_json(engine: Engine, rechazos: Iterable[Rechazo]) -> EstadoJSON:
    return Vista(engine, congelado=True).estado_json(rechazos)


def replay_repo(path: str | Path, *, calendario: str | Path | None = None) -> Repositorio:
    """Run a JSON Lines file in memory, line by line, as if appended to a new simulation store:
    the same refusals, the same state; ``linea`` in each refusal is the file's line."""
    repo = Repositorio(Store(":memory:", create=True, simulacion=True),
                       inicial=calendarios(calendario))
    for number, line in enumerate(Path(path).read_bytes().splitlines(), 1):
        if line.strip():
            repo.registrar_linea(line, numero=number, archivo=f"{path}, línea {number}")
    return repo


def replay_file(path: str | Path, *, calendario: str | Path | None = None) -> EstadoJSON:
    return replay_repo(path, calendario=calendario).estado()


def verificar(path: str | Path, anclas: Sequence[Ancla] = ()) -> Verificacion:
    """Check the store at ``path``: its hash chain and its mode (read without replaying, so an
    edited row cannot stop the check), each anchor printed on paper (the log must still hold
    that input with that hash: a chain recomputed after truncating or rewriting its tail is
    intact, but not the one the paper saw), then its snapshot and its checkpoints against a
    replay of the log (prefix) each names. A checkpoint kept against the head's snapshot is
    rebuilt from it first; one kept against another snapshot is never read, so not compared."""
    store = abrir_almacen(path)
    try:
        entradas, cabeza = store.last()
        cadena = store.verificar()
        ancladas = [p for p in (_problema_ancla(store, a) for a in anclas) if p]
        snap = store.snapshot()
        intermedias = [(s, _problema_punto(store, s)) for s in store.puntos() if s.n < entradas]
    finally:
        store.close()
    modo = [p for p in cadena if p.startswith("el modo del almacén")]
    cadena = [p for p in cadena if p not in modo]
    instantanea: list[str] = []
    problema = _problema_instantanea(snap, entradas, cabeza)
    if problema:
        instantanea.append(f"la instantánea del estado {problema}")
    instantanea += [f"la instantánea intermedia de la entrada {s.n} {p}"
                    for s, p in intermedias if p]
    # Replays: a snapshot is believed only if it matches the log (prefix) it names.
    comparar = [s for s, p in intermedias if p is None]
    if snap is not None and snap.n == entradas and not problema:
        comparar.append(snap)
    if comparar and not cadena:
        repo = Repositorio(abrir_almacen(path))
        try:
            for s in comparar:
                prefijo = _Log([r for r in repo.log.rows if r.n <= s.n], repo.log.cache,
                               repo.log.loader)
                esperado = dump(prefijo.replay(repo.inicial).engine)
                base = base_de(s.datos)
                if base is not None:  # kept against the head's snapshot: rebuilt from it
                    if repo._base is None or repo._base[0] != base:
                        continue  # against another one: never read, so never believed
                    estado = load(s.datos, repo._base)
                    if estado is not None and dump(estado) == esperado:
                        continue
                if esperado != s.datos:
                    nombre = ("del estado" if s.n == entradas
                              else f"intermedia de la entrada {s.n}")
                    instantanea.append(f"la instantánea {nombre} no coincide con el estado que "
                                       "resulta del registro de entradas: fue alterada")
        finally:
            repo.store.close()
    return Verificacion(entradas, cadena, modo, instantanea, ancladas)


def _problema_ancla(store: Store, ancla: Ancla) -> str | None:
    with store.lectura():
        ultima = store.last()[0]
        if ancla.numero > ultima:
            return (f"el ancla {ancla} nombra la entrada {ancla.numero}, pero el registro "
                    f"termina en la {ultima}: se le quitaron entradas del final")
        try:
            digest = store.hash_de(ancla.numero)
        except StoreError:
            return f"el ancla {ancla} nombra la entrada {ancla.numero}, que falta en el registro"
    if digest != ancla.hash:
        return (f"el ancla {ancla} no coincide: la entrada {ancla.numero} del registro tiene "
                f"otro hash ({digest}); el registro fue reescrito en ella o antes")
    return None


class Verificacion(msgspec.Struct, frozen=True):
    """What ``repse verificar`` found: each part empty when it is right."""

    entradas: int
    cadena: list[str]
    modo: list[str]
    instantanea: list[str]
    anclas: list[str]

    @property
    def problemas(self) -> list[str]:
        return [*self.cadena, *self.modo, *self.anclas, *self.instantanea]


def _problema_punto(store: Store, snap: Instantanea) -> str | None:
    """Why a checkpoint kept on disk cannot be believed for the log prefix it names."""
    try:
        cabeza = store.hash_de(snap.n)
    except StoreError:
        return f"nombra la entrada {snap.n}, que no está en el registro"
    if snap.cabeza != cabeza:
        return f"no corresponde a la entrada {snap.n} del registro (su hash no coincide)"
    if not snap.integra():
        return "fue alterada (su resumen no coincide)"
    return None


def _problema_instantanea(snap: Instantanea | None, last: int, cabeza: str) -> str | None:
    """Why ``snap`` cannot be believed for the log head (``last``, ``cabeza``); None when it
    can, or when it is only stale (another process appended without saving one: replayed
    silently)."""
    if snap is None or snap.n < last:
        return None
    if snap.n > last:
        return (f"nombra la entrada {snap.n}, que no está en el registro (el registro termina "
                f"en la {last})")
    if snap.cabeza != cabeza:
        return f"no corresponde a la entrada {last} del registro (su hash no coincide)"
    if not snap.integra():
        return "fue alterada (su resumen no coincide)"
    return None
