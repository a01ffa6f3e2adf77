"""The append-only store of inputs on a PostgreSQL server: two institutions, one record.

The same log as the SQLite file (same rows, same hash chain, same genesis naming the mode, same
snapshot rules), with what a file cannot give, enforced by the database itself so that an
``INSERT`` typed by hand in ``psql`` meets the same rules as ``repse``:

- **Institutions.** Logins belong to the group roles ``repse_imss``, ``repse_stps``,
  ``repse_gt`` (the joint acts) or ``repse_lectura`` (read only). A ``BEFORE INSERT`` trigger
  accepts an input only if its actor is an institution of the connected login
  (``pg_has_role(session_user, 'repse_' || actor, 'MEMBER')``); an annulment also only by the
  annulled input's institution or the GT. A refused input is still recorded, as refused: repse
  asks the database the same question first (:meth:`AlmacenPG.rechazo_institucion`, the same SQL
  function the trigger calls) and appends the input as ``rechazada`` with the reason, which any
  writing login may do; an ``aceptada`` row from the wrong login never gets past the trigger.
  A reading login has no ``INSERT`` at all.
- **Who.** Each row's ``usuario`` column is ``session_user``, set by the trigger; an accepted
  input's body must carry that same ``usuario`` (repse writes the login there before hashing),
  so the chain covers who recorded it and ``verificar`` still checks every byte.
- **Append only.** Triggers refuse every ``UPDATE``, ``DELETE`` and ``TRUNCATE`` of the log and
  its ``meta``, the owner's included, outside maintenance: a superuser who sets
  ``repse.mantenimiento`` to the reason may change rows, each kept as it was, with the reason
  and the login, in ``repse.mantenimiento`` (itself never changed). The hash chain still
  reports any row changed, in maintenance or by dropping the triggers.
- **One input at a time.** Every append transaction, and the trigger itself, takes one advisory
  lock first, so two offices appending at once are serialized and each decides on the other's
  input; opening reads inside one ``REPEATABLE READ`` read-only transaction.
- **Snapshots** are kept per login (row-level security): a login can only ever mislead itself.
- **Who is following.** Each input committed sends ``NOTIFY repse_entradas`` with its number
  (a trigger, so a row typed in ``psql`` too); :class:`Escucha` is the connection a terminal UI
  keeps LISTENing on to catch up at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import conninfo, pq

from .inputs import ACTORES
from .store import (
    INSTITUCIONES,
    SCHEMA_VERSION,
    Instantanea,
    Store,
    StoreError,
    resumen_instantanea,
)

CLAVE_CANDADO = 0x7265707365  # "repse": the advisory lock every append takes
CANAL = "repse_entradas"  # NOTIFY channel: the number of each input appended, at its commit


def nombre_visible(destino: str) -> str:
    """The connection string without its password, to name the store in messages."""
    try:
        partes = conninfo.conninfo_to_dict(destino)
    except psycopg.ProgrammingError:
        return destino
    partes.pop("password", None)
    return conninfo.make_conninfo(**partes)


_GRUPOS = ", ".join(f"repse_{i}" for i in INSTITUCIONES)
_DE = "CASE {0} WHEN 'imss' THEN 'del IMSS' WHEN 'stps' THEN 'de la STPS' ELSE 'del GT' END"

_PROTEGIDA = """
CREATE TRIGGER {0}_sin_cambios BEFORE UPDATE OR DELETE ON repse.{0}
    FOR EACH ROW EXECUTE FUNCTION repse.solo_agregar();
CREATE TRIGGER {0}_sin_vaciar BEFORE TRUNCATE ON repse.{0}
    FOR EACH STATEMENT EXECUTE FUNCTION repse.solo_agregar();"""

# Everything the database enforces. The function bodies use only schema-qualified names and a
# fixed search_path, so no login can shadow them.
_ESQUEMA = f"""
CREATE SCHEMA repse;
CREATE TABLE repse.meta (clave TEXT PRIMARY KEY, valor TEXT NOT NULL);
CREATE TABLE repse.entradas (
    n BIGINT PRIMARY KEY,
    estado TEXT NOT NULL CHECK (estado IN ('aceptada', 'rechazada')),
    motivo TEXT,
    cuerpo BYTEA NOT NULL,
    rechazos BYTEA NOT NULL DEFAULT convert_to('[]', 'UTF8'),
    hash TEXT NOT NULL,
    huella TEXT,
    usuario TEXT NOT NULL DEFAULT session_user,  -- the login that recorded it (trigger)
    registrada TIMESTAMPTZ NOT NULL DEFAULT now()  -- when the server recorded it (trigger)
);
CREATE INDEX entradas_huella ON repse.entradas (huella);
CREATE TABLE repse.instantanea (
    usuario TEXT PRIMARY KEY DEFAULT session_user,  -- each login keeps its own
    n BIGINT NOT NULL,
    cabeza TEXT NOT NULL,
    resumen TEXT NOT NULL,
    datos BYTEA NOT NULL
);
ALTER TABLE repse.instantanea ENABLE ROW LEVEL SECURITY;
CREATE POLICY propia ON repse.instantanea
    USING (usuario = session_user) WITH CHECK (usuario = session_user);

-- Which institution issues each type of input (core.inputs.ACTORES, filled when prepared):
-- the API checks it itself, the trigger for rows typed by hand.
CREATE TABLE repse.emisores (tipo TEXT, actor TEXT, PRIMARY KEY (tipo, actor));

CREATE FUNCTION repse.parte(p BYTEA) RETURNS BYTEA LANGUAGE sql IMMUTABLE
    RETURN int8send(length(p)::BIGINT) || p;

-- core.store.chain_hash, byte for byte.
CREATE FUNCTION repse.hash_cadena(previo TEXT, n BIGINT, estado TEXT, motivo TEXT,
                                  cuerpo BYTEA, rechazos BYTEA)
    RETURNS TEXT LANGUAGE sql IMMUTABLE SET search_path = pg_catalog
    RETURN encode(sha256(repse.parte(convert_to(previo, 'UTF8'))
                         || repse.parte(convert_to(n::TEXT, 'UTF8'))
                         || repse.parte(convert_to(estado, 'UTF8'))
                         || repse.parte(convert_to(coalesce(motivo, ''), 'UTF8'))
                         || repse.parte(cuerpo) || repse.parte(rechazos)), 'hex');

-- core.store.genesis, for the mode the store was prepared with.
CREATE FUNCTION repse.genesis() RETURNS TEXT LANGUAGE sql STABLE SET search_path = pg_catalog
    RETURN encode(sha256(convert_to('repse {SCHEMA_VERSION} ' || (
        SELECT CASE valor WHEN '1' THEN 'simulacion' ELSE 'operacion' END
        FROM repse.meta WHERE clave = 'simulacion'), 'UTF8')), 'hex');

-- Why the connected login cannot record an input of ``actor`` (annulling input ``anulada``),
-- or NULL. The trigger refuses with it; repse asks it first to record the refusal.
CREATE FUNCTION repse.motivo_institucion(actor TEXT, anulada BIGINT) RETURNS TEXT
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE
    emisor TEXT;
BEGIN
    IF actor IS NULL OR actor NOT IN ('imss', 'stps', 'gt') THEN
        RETURN format('actor desconocido «%s»', actor);
    END IF;
    IF NOT pg_has_role(session_user, 'repse_' || actor, 'MEMBER') THEN
        RETURN format('el usuario «%s» no es %s en el servidor: no registra entradas %s',
                      session_user, {_DE.format("actor")}, {_DE.format("actor")});
    END IF;
    IF anulada IS NOT NULL AND actor <> 'gt' THEN
        SELECT convert_from(e.cuerpo, 'UTF8')::jsonb ->> 'actor' INTO emisor
            FROM repse.entradas e WHERE e.n = anulada AND e.estado = 'aceptada';
        IF emisor IS DISTINCT FROM actor THEN
            RETURN format('solo el GT o quien emitió la entrada %s (%s) puede anularla',
                          anulada, upper(coalesce(emisor, '?')));
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION repse.antes_de_agregar() RETURNS TRIGGER
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
    ultimo BIGINT;
    previo TEXT;
    cuerpo JSONB;
    motivo TEXT;
    esperado TEXT;
BEGIN
    PERFORM pg_advisory_xact_lock({CLAVE_CANDADO});
    SELECT e.n, e.hash INTO ultimo, previo FROM repse.entradas e ORDER BY e.n DESC LIMIT 1;
    IF NOT FOUND THEN
        ultimo := 0;
        previo := repse.genesis();
    END IF;
    NEW.n := coalesce(NEW.n, ultimo + 1);
    IF NEW.n <= ultimo THEN
        RAISE EXCEPTION 'número de entrada % no posterior a %', NEW.n, ultimo;
    END IF;
    NEW.usuario := session_user;
    NEW.registrada := now();
    IF NEW.estado = 'aceptada' THEN
        BEGIN
            cuerpo := convert_from(NEW.cuerpo, 'UTF8')::jsonb;
        EXCEPTION WHEN OTHERS THEN
            RAISE EXCEPTION 'una entrada aceptada es un objeto JSON';
        END;
        IF cuerpo ->> 'usuario' IS DISTINCT FROM session_user THEN
            RAISE EXCEPTION 'el usuario de una entrada es quien la registra: «%», no «%»',
                session_user, cuerpo ->> 'usuario';
        END IF;
        IF NOT EXISTS (SELECT FROM repse.emisores e WHERE e.tipo = cuerpo ->> 'tipo'
                       AND e.actor = cuerpo ->> 'actor') THEN
            RAISE EXCEPTION 'actor no autorizado: «%» no la emite «%»', cuerpo ->> 'tipo',
                cuerpo ->> 'actor' USING ERRCODE = 'insufficient_privilege';
        END IF;
        BEGIN
            PERFORM (cuerpo ->> 'at')::TIMESTAMPTZ;
        EXCEPTION WHEN OTHERS THEN
            RAISE EXCEPTION 'fecha no válida «%»', cuerpo ->> 'at';
        END;
        IF cuerpo ->> 'at' IS NULL THEN
            RAISE EXCEPTION 'una entrada aceptada lleva su fecha («at»)';
        END IF;
        motivo := repse.motivo_institucion(
            cuerpo ->> 'actor',
            CASE WHEN cuerpo ->> 'tipo' = 'anulacion' THEN (cuerpo ->> 'entrada')::BIGINT END);
        IF motivo IS NOT NULL THEN
            RAISE EXCEPTION '%', motivo USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    esperado := repse.hash_cadena(previo, NEW.n, NEW.estado, NEW.motivo, NEW.cuerpo,
                                  NEW.rechazos);
    IF NEW.hash IS NULL THEN
        NEW.hash := esperado;
    ELSIF NEW.hash <> esperado THEN
        RAISE EXCEPTION 'el hash de la entrada % no encadena con la anterior', NEW.n;
    END IF;
    RETURN NEW;
END $$;

-- Maintenance: the only way to change a recorded row without removing the triggers. A superuser
-- says why (SET repse.mantenimiento = 'motivo') and each row changed is kept here as it was.
CREATE TABLE repse.mantenimiento (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    usuario TEXT NOT NULL DEFAULT session_user,
    momento TIMESTAMPTZ NOT NULL DEFAULT now(),
    motivo TEXT NOT NULL,
    tabla TEXT NOT NULL,
    operacion TEXT NOT NULL,
    fila JSONB NOT NULL
);

CREATE FUNCTION repse.solo_agregar() RETURNS TRIGGER
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
    motivo TEXT := nullif(trim(current_setting('repse.mantenimiento', true)), '');
BEGIN
    IF TG_LEVEL = 'ROW' AND TG_TABLE_NAME <> 'mantenimiento' AND motivo IS NOT NULL
       AND (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = session_user) THEN
        INSERT INTO repse.mantenimiento (motivo, tabla, operacion, fila)
            VALUES (motivo, TG_TABLE_NAME, TG_OP, to_jsonb(OLD));
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'el registro de entradas solo admite agregar (% en %: rechazado)',
        TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER entradas_agregar BEFORE INSERT ON repse.entradas
    FOR EACH ROW EXECUTE FUNCTION repse.antes_de_agregar();

-- Every office following the store is woken by the server (LISTEN), even for a row typed in
-- psql; PostgreSQL delivers a notification only when its transaction commits.
CREATE FUNCTION repse.avisar() RETURNS TRIGGER
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    PERFORM pg_notify('{CANAL}', NEW.n::TEXT);
    RETURN NULL;
END $$;
CREATE TRIGGER entradas_avisar AFTER INSERT ON repse.entradas
    FOR EACH ROW EXECUTE FUNCTION repse.avisar();
{"".join(_PROTEGIDA.format(t) for t in ("entradas", "meta", "emisores", "mantenimiento"))}
DO $$ BEGIN
    {" ".join(f"IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'repse_{i}') THEN "
              f"CREATE ROLE repse_{i} NOLOGIN; END IF;" for i in INSTITUCIONES)}
END $$;
REVOKE ALL ON SCHEMA repse FROM PUBLIC;
GRANT USAGE ON SCHEMA repse TO {_GRUPOS};
GRANT SELECT ON repse.meta, repse.entradas, repse.emisores, repse.mantenimiento TO {_GRUPOS};
GRANT INSERT ON repse.entradas TO repse_imss, repse_stps, repse_gt;
GRANT SELECT, INSERT, DELETE ON repse.instantanea TO {_GRUPOS};
"""


class ConexionPG:
    """A psycopg connection that speaks the part of the ``sqlite3`` interface :class:`Store`
    uses (``?`` placeholders, ``execute`` returning a cursor, ``in_transaction``), so that every
    query of the log is written once; errors become :class:`StoreError` in Spanish."""

    def __init__(self, destino: str, nombre: str) -> None:
        self.nombre = nombre
        try:
            self.pg = psycopg.connect(destino, autocommit=True)
        except psycopg.Error as exc:
            raise StoreError(f"{nombre}: no se puede conectar con el servidor PostgreSQL "
                             f"({_primera_linea(exc)})") from None

    def execute(self, consulta: str, parametros: tuple[Any, ...] = ()) -> psycopg.Cursor:
        try:
            if not parametros:  # sent as is: a script of several statements, or with a %
                return self.pg.execute(consulta)
            return self.pg.execute(consulta.replace("?", "%s"), parametros)
        except psycopg.errors.InsufficientPrivilege as exc:
            raise StoreError(_sin_permiso(exc, self.pg)) from None
        except psycopg.Error as exc:
            raise StoreError(f"{self.nombre}: {_primera_linea(exc)}") from None

    @property
    def in_transaction(self) -> bool:
        return self.pg.info.transaction_status != pq.TransactionStatus.IDLE

    def close(self) -> None:
        self.pg.close()


class Escucha:
    """A connection of its own that LISTENs on :data:`CANAL`: the server wakes it when any
    office commits an input. Separate from the store's connection, which a long input keeps
    busy."""

    def __init__(self, destino: str) -> None:
        self.nombre = nombre_visible(destino)
        self.db = ConexionPG(destino, self.nombre)
        self.db.execute(f"LISTEN {CANAL}")

    def esperar(self, segundos: float) -> list[int]:
        """The numbers of the inputs committed since the last call, waiting up to ``segundos``
        for one; a lost connection is a :class:`StoreError`."""
        try:
            return [int(aviso.payload)
                    for aviso in self.db.pg.notifies(timeout=segundos, stop_after=1)]
        except psycopg.Error as exc:
            raise StoreError(f"{self.nombre}: se perdió la conexión con el servidor "
                             f"({_primera_linea(exc)})") from None

    def cerrar(self) -> None:
        self.db.close()


def _primera_linea(exc: psycopg.Error) -> str:
    return (exc.diag.message_primary or str(exc)).strip().splitlines()[0]


def _sin_permiso(exc: psycopg.Error, pg: psycopg.Connection) -> str:
    """A trigger's refusal says why; a schema the login may not use, a login of no institution;
    a table it may not write, a reading login."""
    texto = _primera_linea(exc)
    if texto.startswith("permission denied for schema"):
        return (f"el usuario «{pg.info.user}» no es de ninguna institución en este almacén; "
                "el administrador lo da de alta con «repse servidor usuario»")
    if texto.startswith("permission denied"):
        return (f"el usuario «{pg.info.user}» no puede registrar entradas en este almacén "
                "(solo lectura)")
    return texto


class AlmacenPG(Store):
    """An input log in a PostgreSQL database prepared by ``repse servidor preparar``. The log's
    queries are :class:`Store`'s; what differs is how transactions begin, the schema, and what
    the server enforces (see the module's docstring)."""

    def __init__(self, destino: str, *, create: bool = False, simulacion: bool = False
                 ) -> None:
        self.path = nombre_visible(destino)  # type: ignore[assignment]
        self.db = ConexionPG(destino, self.path)  # type: ignore[assignment]
        try:
            self._preparar_servidor(create, simulacion)
        except BaseException:
            self.db.close()
            raise

    def _preparar_servidor(self, create: bool, simulacion: bool) -> None:
        preparado = self.db.execute("SELECT to_regclass('repse.entradas')").fetchone()[0]
        if create and preparado:
            raise StoreError(f"{self.path}: la base ya tiene un almacén de repse")
        if not create and not preparado:
            raise StoreError(f"{self.path}: la base no tiene un almacén de repse; prepárela "
                             "con «repse servidor preparar»")
        if create:
            with self._en("BEGIN"):
                self.db.execute(_ESQUEMA)
                self.db.execute("INSERT INTO repse.meta VALUES ('version', ?), "
                                "('simulacion', ?)", (SCHEMA_VERSION, "1" if simulacion else "0"))
                for tipo, actores in ACTORES.items():
                    for actor in actores:
                        self.db.execute("INSERT INTO repse.emisores VALUES (?, ?)",
                                        (tipo, actor))
        self.db.execute("SET search_path = repse")
        self.login = self.db.execute("SELECT session_user").fetchone()[0]
        version = self.meta("version")
        if version != SCHEMA_VERSION:
            raise StoreError(f"{self.path}: versión de almacén {version} no soportada (esta "
                             f"versión de repse usa la {SCHEMA_VERSION})")
        self.simulacion, self.problema_modo = self._modo()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One input at a time: the advisory lock is held until the commit, so the next
        writer reads this input before deciding its own."""
        with self._en("BEGIN"):
            self.db.execute("SELECT pg_advisory_xact_lock(?)", (CLAVE_CANDADO,))
            yield

    @contextmanager
    def lectura(self) -> Iterator[None]:
        with self._en("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"):
            yield

    def rechazo_institucion(self, actor: str, anulada: int | None = None) -> str | None:
        return self.db.execute("SELECT repse.motivo_institucion(?, ?)",
                               (actor, anulada)).fetchone()[0]

    # --- snapshots: one per login -----------------------------------------------------------
    # The head's alone: checkpoints stay in the memory of the process that took them.
    varias_instantaneas = False

    def save_snapshot(self, n: int, cabeza: str, datos: bytes, conservar: Sequence[int] = ()
                      ) -> None:
        # Under the append lock: two processes of one login closing at once would otherwise
        # both delete, then both insert the same key.
        with self.transaction():
            self.db.execute("DELETE FROM instantanea WHERE usuario = session_user")
            self.db.execute("INSERT INTO instantanea (n, cabeza, resumen, datos) "
                            "VALUES (?, ?, ?, ?)",
                            (n, cabeza, resumen_instantanea(cabeza, datos), datos))

    def snapshot(self) -> Instantanea | None:
        row = self.db.execute("SELECT n, cabeza, resumen, datos FROM instantanea "
                              "WHERE usuario = session_user").fetchone()
        return None if row is None else Instantanea(row[0], row[1], row[2], bytes(row[3]))

    def puntos(self) -> list[Instantanea]:
        snap = self.snapshot()
        return [] if snap is None else [snap]

    def numeros_puntos(self) -> list[int]:
        return [s.n for s in self.puntos()]

    def punto(self, n: int) -> Instantanea | None:
        snap = self.snapshot()
        return snap if snap is not None and snap.n == n else None

    def discard_snapshot(self) -> None:
        self.db.execute("DELETE FROM instantanea WHERE usuario = session_user")
