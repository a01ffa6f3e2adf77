"""What an IT department runs to put the record on a PostgreSQL server: ``repse servidor
preparar`` (the schema, the institutions' group roles, their grants and triggers, and the first
input) and ``repse servidor usuario`` (a login and its institutions)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from psycopg import sql

from .almacen_pg import ConexionPG, nombre_visible
from .api import Repositorio
from .store import INSTITUCIONES, StoreError, es_servidor

NOMBRE_INSTITUCION = {"imss": "IMSS", "stps": "STPS", "gt": "GT", "lectura": "solo lectura"}


def _servidor(destino: str) -> str:
    if not es_servidor(destino):
        raise StoreError(f"{destino}: no es una base PostgreSQL (use un URL postgresql://… o "
                         "«host=… dbname=…»); para un archivo SQLite use «repse init»")
    return destino


def preparar(destino: str, *, calendario: str | Path | None = None, simulacion: bool = False,
             ahora: Callable[[], datetime] | None = None) -> Repositorio:
    """Prepare an empty database: schema, group roles, grants, triggers, and the first input
    (the calendar in force, recorded by the connected login, who must be the server's
    administrator or a member of ``repse_gt``)."""
    return Repositorio.crear(_servidor(destino), calendario=calendario, simulacion=simulacion,
                             ahora=ahora)


def usuario(destino: str, nombre: str, instituciones: Sequence[str],
            contrasena: str | None = None) -> list[str]:
    """Create the login ``nombre`` (or update it) so that its institutions are exactly
    ``instituciones``; with ``contrasena``, set its password (hashed here, never sent in
    clear). Returns the institutions' names."""
    elegidas = set(instituciones)
    if not elegidas or not elegidas <= set(INSTITUCIONES):
        raise StoreError(f"institución no válida: use {', '.join(INSTITUCIONES)}")
    if nombre.lower().startswith(("repse_", "pg_")) or not nombre.strip():
        raise StoreError(f"«{nombre}»: nombre de usuario reservado o vacío")
    db = ConexionPG(_servidor(destino), nombre_visible(destino))
    try:
        faltan = {f"repse_{i}" for i in INSTITUCIONES} - {
            r for (r,) in db.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE ?",
                                     ("repse\\_%",))}
        if faltan:
            raise StoreError(f"{db.nombre}: el servidor no tiene los grupos de repse; prepárelo "
                             "primero con «repse servidor preparar»")
        login = sql.Identifier(nombre)
        orden = [sql.SQL("CREATE ROLE {} LOGIN INHERIT").format(login)]
        if db.execute("SELECT 1 FROM pg_roles WHERE rolname = ?", (nombre,)).fetchone():
            orden = []
        for i in INSTITUCIONES:
            grupo = sql.Identifier(f"repse_{i}")
            orden.append(sql.SQL("GRANT {} TO {}" if i in elegidas else "REVOKE {} FROM {}")
                         .format(grupo, login))
        if contrasena is not None:
            cifrada = db.pg.pgconn.encrypt_password(contrasena.encode(), nombre.encode(),
                                                    b"scram-sha-256")
            orden.append(sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                login, sql.Literal(cifrada.decode())))
        with db.pg.transaction():
            for paso in orden:
                db.execute(paso.as_string(db.pg))
    finally:
        db.close()
    return [NOMBRE_INSTITUCION[i] for i in INSTITUCIONES if i in elegidas]
