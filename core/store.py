"""The append-only store of inputs (SQLite by default).

It keeps inputs, never derived state: each row is one input exactly as it arrived (accepted or
refused, with its reason, and the row refusals found while reading the operator's file), chained
to the previous row by a SHA-256 hash so that ``verificar`` detects any edited or deleted row.
Snapshots of the derived state are kept beside it only to reopen fast; they are disposable.

One transaction per input: a process killed in the middle of an import leaves the store exactly
as it was before that input. Appends take SQLite's write lock first (``BEGIN IMMEDIATE``), so two
processes appending at once are serialized and each sees the other's input before deciding.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import msgspec

from .errors import RepseError

SCHEMA_VERSION = "1"
GENESIS = "0" * 64

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (clave TEXT PRIMARY KEY, valor TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entradas (
    n INTEGER PRIMARY KEY,
    estado TEXT NOT NULL CHECK (estado IN ('aceptada', 'rechazada')),
    motivo TEXT,
    cuerpo BLOB NOT NULL,
    rechazos BLOB NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS entradas_sin_cambios BEFORE UPDATE ON entradas
BEGIN SELECT RAISE(ABORT, 'el registro de entradas solo admite agregar'); END;
CREATE TRIGGER IF NOT EXISTS entradas_sin_borrar BEFORE DELETE ON entradas
BEGIN SELECT RAISE(ABORT, 'el registro de entradas solo admite agregar'); END;
CREATE TABLE IF NOT EXISTS instantanea (n INTEGER PRIMARY KEY, datos BLOB NOT NULL);
"""


class StoreError(RepseError):
    pass


class FilaPrevia(msgspec.Struct, frozen=True, omit_defaults=True):
    """A row refused (or warned) while reading the operator's file, before the engine."""

    rfc: str | None
    motivo: str
    archivo: str | None = None
    fila: int | None = None
    aviso: bool = False


class _FilaGuardada(FilaPrevia, frozen=True, omit_defaults=True):
    """A stored row as earlier versions may have written it: they also stored the refusals the
    engine found (``motor``). Every replay derives those again, so reading drops them."""

    motor: bool = False


class Fila(msgspec.Struct, frozen=True):
    n: int
    estado: str
    motivo: str | None
    cuerpo: bytes
    rechazos: tuple[FilaPrevia, ...]
    hash: str


_rows_encoder = msgspec.json.Encoder()
_rows_decoder = msgspec.json.Decoder(tuple[_FilaGuardada, ...])


def _previas(blob: bytes) -> tuple[FilaPrevia, ...]:
    return tuple(r for r in _rows_decoder.decode(blob) if not r.motor)


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


class Store:
    """An input log in one SQLite file."""

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
        if not memory:
            self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        if create:
            flag = "1" if simulacion else "0"
            self.db.executescript(
                f"BEGIN;{_SCHEMA}INSERT INTO meta VALUES ('version', '{SCHEMA_VERSION}');"
                f"INSERT INTO meta VALUES ('simulacion', '{flag}');COMMIT;")
        else:
            try:
                version = self.meta("version")
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"{self.path}: no es un almacén de repse ({exc})") from None
            if version != SCHEMA_VERSION:
                raise StoreError(f"{self.path}: versión de almacén {version} no soportada")

    def close(self) -> None:
        self.db.close()

    def meta(self, clave: str) -> str | None:
        row = self.db.execute("SELECT valor FROM meta WHERE clave = ?", (clave,)).fetchone()
        return row[0] if row else None

    @property
    def simulacion(self) -> bool:
        if not hasattr(self, "_simulacion"):
            self._simulacion = self.meta("simulacion") == "1"  # fixed at creation
        return self._simulacion

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """An exclusive write transaction: committed whole, or not at all."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def last(self) -> tuple[int, str]:
        row = self.db.execute("SELECT n, hash FROM entradas ORDER BY n DESC LIMIT 1").fetchone()
        return (row[0], row[1]) if row else (0, GENESIS)

    def append(self, estado: str, motivo: str | None, cuerpo: bytes,
               rechazos: tuple[FilaPrevia, ...] = (), numero: int | None = None) -> int:
        """Append one input (inside :meth:`transaction`); returns its number, the next one or
        ``numero`` when given (a file replayed keeps its line numbers)."""
        n, prev = self.last()
        if numero is not None and numero <= n:
            raise StoreError(f"número de entrada {numero} no posterior a {n}")
        n = numero or n + 1
        blob = _rows_encoder.encode(rechazos)
        digest = chain_hash(prev, n, estado, motivo, cuerpo, blob)
        self.db.execute("INSERT INTO entradas VALUES (?, ?, ?, ?, ?, ?)",
                        (n, estado, motivo, cuerpo, blob, digest))
        return n

    def filas(self, desde: int = 0) -> Iterator[Fila]:
        cur = self.db.execute("SELECT n, estado, motivo, cuerpo, rechazos, hash FROM entradas "
                              "WHERE n > ? ORDER BY n", (desde,))
        for n, estado, motivo, cuerpo, rechazos, digest in cur:
            yield Fila(n, estado, motivo, _blob(cuerpo), _previas(_blob(rechazos)), digest)

    def cuerpo(self, n: int) -> bytes:
        row = self.db.execute("SELECT cuerpo FROM entradas WHERE n = ?", (n,)).fetchone()
        if row is None:
            raise StoreError(f"{self.path}: no existe la entrada {n}")
        return _blob(row[0])

    def aceptadas(self) -> Iterator[tuple[int, bytes]]:
        """(number, body) of every accepted input, in recording order."""
        cur = self.db.execute("SELECT n, cuerpo FROM entradas WHERE estado = 'aceptada' "
                              "ORDER BY n")
        for n, cuerpo in cur:
            yield n, _blob(cuerpo)

    def verificar(self) -> list[str]:
        """Every problem of the hash chain, in Spanish; empty when the log is intact."""
        problems = []
        prev, expected_n = GENESIS, 1
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
    def save_snapshot(self, n: int, datos: bytes) -> None:
        with self.transaction():
            self.db.execute("DELETE FROM instantanea")
            self.db.execute("INSERT INTO instantanea VALUES (?, ?)", (n, datos))

    def snapshot(self) -> tuple[int, bytes] | None:
        row = self.db.execute("SELECT n, datos FROM instantanea ORDER BY n DESC LIMIT 1"
                              ).fetchone()
        return (row[0], bytes(row[1])) if row else None
