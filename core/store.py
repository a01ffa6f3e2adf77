"""The append-only store of inputs (SQLite by default).

It keeps inputs, never derived state: each row is one input exactly as it arrived (accepted or
refused, with its reason, and the row refusals found while reading the operator's file), chained
to the previous row by a SHA-256 hash so that ``verificar`` detects any edited or deleted row.
Snapshots of the derived state are kept beside it only to reopen fast; they are disposable.

One transaction per input: a process killed in the middle of an import leaves the store exactly
as it was before that input. Appends take SQLite's write lock first (``BEGIN IMMEDIATE``), so two
processes appending at once are serialized and each sees the other's input before deciding.
Opening reads the log, its head and the snapshot inside one read transaction, so an input another
process commits meanwhile is either seen whole or not at all.

The store's mode (operation or simulation) is part of the chained record: the first row chains
to a genesis hash that names the mode, so flipping ``meta.simulacion`` is detected and ignored.
A snapshot names the exact log head it was computed for (number and hash) and carries a digest
of itself chained to that head; one that does not match is discarded, never believed.
"""

from __future__ import annotations

import functools
import hashlib
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from .errors import Aviso, Rechazo, RepseError

SCHEMA_VERSION = "2"
MODOS = {True: "simulacion", False: "operacion"}
NOMBRE_MODO = {True: "simulación", False: "operación"}


def genesis(simulacion: bool) -> str:
    """The hash the first row chains to: it names the store's mode, so the mode cannot be
    changed without breaking the chain."""
    return hashlib.sha256(f"repse {SCHEMA_VERSION} {MODOS[simulacion]}".encode()).hexdigest()

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (clave TEXT PRIMARY KEY, valor TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entradas (
    n INTEGER PRIMARY KEY,
    estado TEXT NOT NULL CHECK (estado IN ('aceptada', 'rechazada')),
    motivo TEXT,
    cuerpo BLOB NOT NULL,
    rechazos BLOB NOT NULL,
    hash TEXT NOT NULL,
    huella TEXT
);
CREATE INDEX IF NOT EXISTS entradas_huella ON entradas (huella);
CREATE TRIGGER IF NOT EXISTS entradas_sin_cambios BEFORE UPDATE ON entradas
BEGIN SELECT RAISE(ABORT, 'el registro de entradas solo admite agregar'); END;
CREATE TRIGGER IF NOT EXISTS entradas_sin_borrar BEFORE DELETE ON entradas
BEGIN SELECT RAISE(ABORT, 'el registro de entradas solo admite agregar'); END;
CREATE TABLE IF NOT EXISTS instantanea (
    n INTEGER PRIMARY KEY,  -- the last input it reflects
    cabeza TEXT NOT NULL,  -- that input's hash: valid for that exact log head only
    resumen TEXT NOT NULL,  -- sha256(cabeza, datos)
    datos BLOB NOT NULL
);
"""


class StoreError(RepseError):
    pass


_F = TypeVar("_F", bound=Callable[..., Any])


def _legible(method: _F) -> _F:
    """A damaged database file is an error in Spanish naming the file, never a traceback."""

    @functools.wraps(method)
    def wrapper(self: Store, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: el almacén está dañado o no es un almacén de repse "
                             f"({exc}); restáurelo de un respaldo") from None

    return wrapper  # type: ignore[return-value]


def resumen_instantanea(cabeza: str, datos: bytes) -> str:
    h = hashlib.sha256(cabeza.encode())
    h.update(datos)
    return h.hexdigest()


class Instantanea(msgspec.Struct, frozen=True):
    n: int
    cabeza: str
    resumen: str
    datos: bytes

    def integra(self) -> bool:
        return resumen_instantanea(self.cabeza, self.datos) == self.resumen


class _Observada(msgspec.Struct, frozen=True, omit_defaults=True):
    """How the log keeps a row the reader refused (or warned about) in the operator's file: the
    input's number and type are the row's own, so they are not repeated."""

    rfc: str | None
    motivo: str
    archivo: str | None = None
    fila: int | None = None
    aviso: bool = False


class Fila(msgspec.Struct, frozen=True):
    n: int
    estado: str
    motivo: str | None
    cuerpo: bytes
    observaciones: tuple[Rechazo | Aviso, ...]  # the reader's, numbered; ``tipo`` left ""
    hash: str


class Asiento(msgspec.Struct, frozen=True):
    """A row of the log as listed (``repse entradas``): a refused row's body only (an accepted
    one's header is already indexed by the repository), and on a server the login that
    recorded it."""

    n: int
    estado: str
    cuerpo: bytes | None
    observaciones: tuple[Rechazo | Aviso, ...]
    hash: str
    usuario: str | None


_rows_encoder = msgspec.json.Encoder()
_rows_decoder = msgspec.json.Decoder(tuple[_Observada, ...])


def codificar_observaciones(observaciones: Sequence[Rechazo | Aviso]) -> bytes:
    return _rows_encoder.encode(tuple(
        _Observada(o.rfc, o.motivo, o.archivo, o.fila, isinstance(o, Aviso))
        for o in observaciones))


def _observaciones(blob: bytes, n: int) -> tuple[Rechazo | Aviso, ...]:
    return tuple((Aviso if o.aviso else Rechazo)(n, "", o.rfc, o.motivo, o.archivo, o.fila)
                 for o in _rows_decoder.decode(blob))


def _instantanea(row: tuple[Any, ...]) -> Instantanea:
    n, cabeza, resumen, datos = row
    return Instantanea(int(n), str(cabeza), str(resumen), _blob(datos))


def _blob(value: bytes | str) -> bytes:
    """SQLite may hand back text where bytes were stored (a row edited by hand)."""
    return value.encode() if isinstance(value, str) else bytes(value)


def chain_hash(prev: str, n: int, estado: str, motivo: str | None, cuerpo: bytes,
               rechazos: bytes) -> str:
    h = hashlib.sha256()
    for part in (prev.encode(), str(n).encode(), estado.encode(), (motivo or "").encode(),
                 cuerpo, rechazos):
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


def abrir_almacen(destino: str | Path, *, create: bool = False, simulacion: bool = False
                  ) -> Store:
    """The store at ``destino``: a SQLite file (the embedded default), or a PostgreSQL database
    named by a ``postgresql://…`` URL or a libpq keyword string (``host=/run/… dbname=…``)."""
    if es_servidor(destino):
        from .almacen_pg import AlmacenPG  # psycopg is imported only for a server

        return AlmacenPG(str(destino), create=create, simulacion=simulacion)
    return Store(destino, create=create, simulacion=simulacion)


# The group roles of a server store are repse_<institución>: "lectura" reads and never writes.
INSTITUCIONES = ("imss", "stps", "gt", "lectura")
_LIBPQ = re.compile(r"^\s*(host|hostaddr|port|dbname|user|service|passfile|sslmode)\s*=")


def es_servidor(destino: str | Path) -> bool:
    """Whether ``destino`` names a PostgreSQL database (a URL, or a libpq keyword string such
    as ``host=/run/postgresql dbname=repse``) rather than a SQLite file."""
    texto = str(destino)
    return texto.startswith(("postgresql://", "postgres://")) or bool(_LIBPQ.match(texto))


class Store:
    """An input log in one SQLite file (:class:`~.almacen_pg.AlmacenPG` runs the same log on a
    PostgreSQL server)."""

    # A file has no logins: the actor is what the input says, ``usuario`` what the client sent.
    login: str | None = None

    def __init__(self, path: str | Path, *, create: bool = False, simulacion: bool = False
                 ) -> None:
        self.path = Path(path)
        memory = str(path) == ":memory:"
        if create and not memory and self.path.exists():
            raise StoreError(f"{self.path}: ya existe; use otro nombre o ábralo")
        if not create and (memory or not self.path.exists()):
            raise StoreError(f"{self.path}: no existe; créelo con «repse init»")
        # The TUI works from a background thread; this object is never used by two at once.
        self.db = sqlite3.connect(self.path, isolation_level=None, timeout=60,
                                  check_same_thread=False)
        try:
            self._preparar(create, simulacion, memory)
        except BaseException:
            self.db.close()
            raise

    @_legible
    def _preparar(self, create: bool, simulacion: bool, memory: bool) -> None:
        if not memory:
            self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        if create:
            flag = "1" if simulacion else "0"
            self.db.executescript(
                f"BEGIN;{_SCHEMA}INSERT INTO meta VALUES ('version', '{SCHEMA_VERSION}');"
                f"INSERT INTO meta VALUES ('simulacion', '{flag}');COMMIT;")
            self.simulacion, self.problema_modo = simulacion, None
            return
        version = self.meta("version")
        if version != SCHEMA_VERSION:
            raise StoreError(f"{self.path}: versión de almacén {version} no soportada (esta "
                             f"versión de repse usa la {SCHEMA_VERSION}); cree uno nuevo con "
                             "«repse init» y registre de nuevo sus entradas")
        self.simulacion, self.problema_modo = self._modo()

    def _modo(self) -> tuple[bool, str | None]:
        """The mode the chain names (the first row chains to its mode's genesis), and what is
        wrong with ``meta.simulacion`` if it says otherwise."""
        flag = self.meta("simulacion") == "1"
        first = self.db.execute("SELECT n, estado, motivo, cuerpo, rechazos, hash FROM entradas "
                                "ORDER BY n LIMIT 1").fetchone()
        if first is None:
            return flag, None
        n, estado, motivo, cuerpo, rechazos, digest = first
        for mode in (flag, not flag):
            if chain_hash(genesis(mode), n, estado, motivo, _blob(cuerpo),
                          _blob(rechazos)) == digest:
                if mode == flag:
                    return mode, None
                return mode, (f"el modo del almacén fue alterado: su marca dice "
                              f"«{NOMBRE_MODO[flag]}» pero su cadena es de «{NOMBRE_MODO[mode]}»; "
                              "vale el de la cadena")
        return flag, None  # the first row itself was edited: the chain check reports it

    @_legible
    def close(self) -> None:
        self.db.close()

    @_legible
    def meta(self, clave: str) -> str | None:
        row = self.db.execute("SELECT valor FROM meta WHERE clave = ?", (clave,)).fetchone()
        return row[0] if row else None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """An exclusive write transaction: committed whole, or not at all."""
        with self._en("BEGIN IMMEDIATE"):
            yield

    @contextmanager
    def lectura(self) -> Iterator[None]:
        """A read transaction: every read inside it sees the log as of its first read, whatever
        other processes commit meanwhile (WAL snapshot isolation)."""
        with self._en("BEGIN DEFERRED"):
            yield

    @contextmanager
    def _en(self, begin: str) -> Iterator[None]:
        if self.db.in_transaction:  # nested: the outer transaction decides
            yield
            return
        _legible(lambda self: self.db.execute(begin))(self)
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        _legible(lambda self: self.db.execute("COMMIT"))(self)

    @_legible
    def last(self) -> tuple[int, str]:
        row = self.db.execute("SELECT n, hash FROM entradas ORDER BY n DESC LIMIT 1").fetchone()
        return (row[0], row[1]) if row else (0, genesis(self.simulacion))

    @_legible
    def append(self, estado: str, motivo: str | None, cuerpo: bytes,
               observaciones: Sequence[Rechazo | Aviso] = (), numero: int | None = None,
               huella: str | None = None) -> int:
        """Append one input (inside :meth:`transaction`); returns its number, the next one or
        ``numero`` when given (a file replayed keeps its line numbers). ``huella`` identifies
        an accepted input's content and origin (see :meth:`repetida`)."""
        n, prev = self.last()
        if numero is not None and numero <= n:
            raise StoreError(f"número de entrada {numero} no posterior a {n}")
        n = numero or n + 1
        blob = codificar_observaciones(observaciones)
        digest = chain_hash(prev, n, estado, motivo, cuerpo, blob)
        self.db.execute("INSERT INTO entradas VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (n, estado, motivo, cuerpo, blob, digest, huella))
        return n

    def rechazo_institucion(self, actor: str, anulada: int | None = None) -> str | None:
        """Why the connected login may not record an input of ``actor`` (annulling input
        ``anulada``), or None; a file cannot tell who is writing."""
        return None

    @_legible
    def hash_de(self, n: int) -> str:
        row = self.db.execute("SELECT hash FROM entradas WHERE n = ?", (n,)).fetchone()
        if row is None:
            raise StoreError(f"{self.path}: no existe la entrada {n}")
        return str(row[0])

    @_legible
    def repetida(self, huella: str) -> int | None:
        """The number of an accepted input with this ``huella``, if any."""
        row = self.db.execute("SELECT min(n) FROM entradas WHERE huella = ? AND "
                              "estado = 'aceptada'", (huella,)).fetchone()
        return row[0] if row else None

    @_legible
    def filas(self, desde: int = 0) -> Iterator[Fila]:
        cur = self.db.execute("SELECT n, estado, motivo, cuerpo, rechazos, hash FROM entradas "
                              "WHERE n > ? ORDER BY n", (desde,))
        for n, estado, motivo, cuerpo, rechazos, digest in cur:
            yield Fila(n, estado, motivo, _blob(cuerpo), _observaciones(_blob(rechazos), n), digest)

    @_legible
    def asientos(self, hasta: int) -> Iterator[Asiento]:
        """The rows up to ``hasta`` without the bodies of accepted inputs (a padrón holds
        150,000 rows). A store with logins (a server) keeps who recorded each row; a file
        does not."""
        usuario = "usuario" if self.login else "NULL"
        cur = self.db.execute(
            "SELECT n, estado, CASE WHEN estado = 'rechazada' THEN cuerpo END, rechazos, hash, "
            f"{usuario} FROM entradas WHERE n <= ? ORDER BY n", (hasta,))
        for n, estado, cuerpo, rechazos, digest, login in cur:
            yield Asiento(n, estado, None if cuerpo is None else _blob(cuerpo),
                          _observaciones(_blob(rechazos), n), digest, login)

    @_legible
    def cuerpo(self, n: int) -> bytes:
        row = self.db.execute("SELECT cuerpo FROM entradas WHERE n = ?", (n,)).fetchone()
        if row is None:
            raise StoreError(f"{self.path}: no existe la entrada {n}")
        return _blob(row[0])

    @_legible
    def aceptadas(self) -> list[tuple[int, bytes]]:
        """(number, body) of every accepted input, in recording order."""
        cur = self.db.execute("SELECT n, cuerpo FROM entradas WHERE estado = 'aceptada' "
                              "ORDER BY n")
        return [(n, _blob(cuerpo)) for n, cuerpo in cur]

    @_legible
    def verificar(self) -> list[str]:
        """Every problem of the hash chain and of the mode, in Spanish; empty when intact."""
        problems = [self.problema_modo] if self.problema_modo else []
        prev, expected_n = genesis(self.simulacion), 1
        cur = self.db.execute("SELECT n, estado, motivo, cuerpo, rechazos, hash FROM entradas "
                              "ORDER BY n")
        for n, estado, motivo, cuerpo, rechazos, digest in cur:
            if n != expected_n:
                problems.append(f"faltan las entradas {expected_n} a {n - 1}")
            if chain_hash(prev, n, estado, motivo, _blob(cuerpo), _blob(rechazos)) != digest:
                problems.append(f"la entrada {n} fue modificada (su hash no coincide)")
            prev, expected_n = digest, n + 1
        return problems

    # --- snapshots (derived, disposable) --------------------------------------------------
    # A file keeps its head's snapshot and one checkpoint (api.Repositorio.guardar_instantanea).
    varias_instantaneas = True

    @_legible
    def save_snapshot(self, n: int, cabeza: str, datos: bytes, conservar: Sequence[int] = ()
                      ) -> None:
        """Save the state of the log prefix up to input ``n`` (whose hash is ``cabeza``),
        dropping every other snapshot but those of the inputs in ``conservar``."""
        keep = sorted({n, *conservar})
        with self.transaction():
            self.db.execute(f"DELETE FROM instantanea WHERE n NOT IN ({','.join('?' * len(keep))})",
                            tuple(keep))
            self.db.execute("INSERT OR REPLACE INTO instantanea VALUES (?, ?, ?, ?)",
                            (n, cabeza, resumen_instantanea(cabeza, datos), datos))

    @_legible
    def snapshot(self) -> Instantanea | None:
        """The snapshot of the newest log prefix kept (normally the head's)."""
        row = self.db.execute("SELECT n, cabeza, resumen, datos FROM instantanea "
                              "ORDER BY n DESC LIMIT 1").fetchone()
        return None if row is None else _instantanea(row)

    @_legible
    def puntos(self) -> list[Instantanea]:
        """Every snapshot kept: the head's and the checkpoints of earlier prefixes."""
        cur = self.db.execute("SELECT n, cabeza, resumen, datos FROM instantanea ORDER BY n")
        return [_instantanea(row) for row in cur]

    @_legible
    def numeros_puntos(self) -> list[int]:
        """The input numbers of the snapshots kept, without reading them."""
        return [n for (n,) in self.db.execute("SELECT n FROM instantanea ORDER BY n")]

    @_legible
    def punto(self, n: int) -> Instantanea | None:
        """The snapshot kept of the log prefix up to input ``n``, if any."""
        row = self.db.execute("SELECT n, cabeza, resumen, datos FROM instantanea WHERE n = ?",
                              (n,)).fetchone()
        return None if row is None else _instantanea(row)

    @_legible
    def discard_snapshot(self) -> None:
        with self.transaction():
            self.db.execute("DELETE FROM instantanea")
