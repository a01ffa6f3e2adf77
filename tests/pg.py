"""A throw-away PostgreSQL server for the tests and for ``make servidor-demo``.

PostgreSQL refuses to run as root, and the tests run as root in CI: as root the server runs as
the ``postgres`` OS user (created if missing) through ``runuser``, in a temporary folder it owns,
listening only on a Unix socket there (trust authentication: whoever can reach the socket may
name any login, which is what lets one test act as two offices). The binaries are Debian's
(``/usr/lib/postgresql/*/bin``), which ``make test`` installs when they are missing
(``tests/instalar-postgresql``).

``python -m tests.pg`` starts one with two users (IMSS and STPS) on a prepared store, prints the
commands to try the two-office mode in two terminals, and stops it on Enter.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path


def binarios() -> Path:
    """The newest installed PostgreSQL's ``bin`` folder."""
    encontrados = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                         key=lambda p: int(Path(p).parent.parent.name))
    if not encontrados:
        raise RuntimeError("PostgreSQL no está instalado: «make test» lo instala con "
                           "tests/instalar-postgresql")
    return Path(encontrados[-1]).parent


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServidorPrueba:
    """One server in a temporary folder; :meth:`nueva_base` gives each test its own database."""

    def __init__(self) -> None:
        self.bin = binarios()
        # In /tmp whatever TMPDIR says: the postgres user must reach it, and a Unix socket's
        # path must stay under 108 bytes.
        self.dir = Path(tempfile.mkdtemp(prefix="repse-pg-", dir="/tmp"))
        self.puerto = _puerto_libre()
        self._como: list[str] = []
        if os.geteuid() == 0:
            try:
                cuenta = pwd.getpwnam("postgres")
            except KeyError:
                subprocess.run(["useradd", "--system", "--no-create-home", "postgres"],
                               check=True)
                cuenta = pwd.getpwnam("postgres")
            os.chown(self.dir, cuenta.pw_uid, cuenta.pw_gid)
            self._como = ["runuser", "-u", "postgres", "--"]
        self._bases = itertools.count(1)
        datos = self.dir / "datos"
        self._correr("initdb", "-D", str(datos), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                     "--locale=C", "--no-sync")
        # Durability is not what these tests are about: no fsync keeps each test fast.
        opciones = (f"-k {self.dir} -p {self.puerto} -c listen_addresses='' -c fsync=off "
                    "-c synchronous_commit=off -c full_page_writes=off")
        self._correr("pg_ctl", "-D", str(datos), "-l", str(self.dir / "registro"), "-w",
                     "-o", opciones, "start")

    def _correr(self, programa: str, *args: str) -> None:
        proc = subprocess.run([*self._como, str(self.bin / programa), *args],
                              capture_output=True, text=True)
        if proc.returncode:
            raise RuntimeError(f"{programa} falló:\n{proc.stdout}{proc.stderr}")

    def url(self, base: str = "postgres", usuario: str = "postgres") -> str:
        """A libpq keyword string (the form an IT department writes for a Unix socket)."""
        return f"host={self.dir} port={self.puerto} dbname={base} user={usuario}"

    def nueva_base(self) -> str:
        """The name of a new, empty database."""
        nombre = f"prueba_{next(self._bases)}"
        self.psql(self.url(), f"CREATE DATABASE {nombre}")
        return nombre

    def psql(self, url: str, orden: str) -> subprocess.CompletedProcess[str]:
        """Run one SQL command in ``psql`` as the login of ``url``, as a person would type it."""
        return subprocess.run([str(self.bin / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                               "-d", url, "-c", orden], capture_output=True, text=True)

    def parar(self) -> None:
        self._correr("pg_ctl", "-D", str(self.dir / "datos"), "-m", "immediate", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


def demo() -> None:
    """Start a server with a prepared simulation store, two users and the demo files of a small
    cycle; print what to type in two terminals; stop and delete it all on Enter."""
    from repse.tui.cli import main

    servidor = ServidorPrueba()
    try:
        base = servidor.nueva_base()
        admin = servidor.url(base)
        archivos = servidor.dir / "archivos"
        main(["servidor", "preparar", admin, "--simulacion"])
        main(["servidor", "usuario", admin, "ana_imss", "--institucion", "imss"])
        main(["servidor", "usuario", admin, "beto_stps", "--institucion", "stps"])
        main(["demo-datos", "--contratistas", "300", "--semilla", "1", "--dir", str(archivos)])
        repse = Path(sys.executable).parent / "repse"
        psql = servidor.bin / "psql"
        print(f"""
Servidor PostgreSQL de prueba en marcha (se borra todo al detenerlo). Dos oficinas, dos
terminales:

  Terminal 1, STPS:   export STPS="{servidor.url(base, 'beto_stps')}"
  Terminal 2, IMSS:   export IMSS="{servidor.url(base, 'ana_imss')}"

  1. La STPS entrega el padrón (terminal 1):
     {repse} importar padron "$STPS" {archivos}/padron.csv --ciclo 2026-1 \\
       --at 2026-01-26T09:00 --actor stps
  2. El IMSS deposita la ronda 1 (terminal 2), sobre el padrón que registró la STPS:
     {repse} importar opiniones "$IMSS" {archivos}/opiniones_ronda1.csv --ciclo 2026-1 \\
       --ronda 1 --completo --at 2026-01-26T17:00 --actor imss
  3. La STPS intenta registrar opiniones (terminal 1): quedan RECHAZADAS, con su usuario:
     {repse} importar opiniones "$STPS" {archivos}/opiniones_ronda1.csv --ciclo 2026-1 \\
       --ronda 2 --completo --at 2026-01-27T10:00 --actor imss
  4. Cualquiera ve quién registró qué, y que la cadena está íntegra:
     {repse} entradas "$IMSS"
     {psql} "$IMSS" -c "SELECT n, estado, usuario, motivo FROM repse.entradas"
     {repse} verificar "$IMSS"
  5. Las dos oficinas en la interfaz, a la vez: lo que una registra aparece en la otra en un
     segundo, con su usuario (q para salir):
     {repse} tui "$STPS" --datos {archivos}        (terminal 1)
     {repse} tui "$IMSS" --datos {archivos}        (terminal 2)
  Ni el dueño puede cambiar una entrada:
     {psql} "{admin}" -c "DELETE FROM repse.entradas"

  El exhorto es del GT: ninguno de los dos lo firma hasta que el administrador lo permita:
     {repse} servidor usuario "{admin}" ana_imss --institucion imss --institucion gt
""")
        input("Pulse Enter para detener el servidor… ")
    finally:
        servidor.parar()


if __name__ == "__main__":
    demo()
