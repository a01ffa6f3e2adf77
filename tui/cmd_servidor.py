"""``repse servidor preparar | usuario``: putting the record on a PostgreSQL server."""

from __future__ import annotations

import argparse
import getpass
import os

from ..core.api import INSTITUCIONES
from .cmd_store import opciones_de_almacen_nuevo
from .texto import UsageError, now


def cmd_preparar(args) -> int:
    from ..core import servidor  # psycopg only for a server

    repo = servidor.preparar(args.url, calendario=args.calendario, simulacion=args.simulacion,
                             ahora=now)
    kind = "simulación" if args.simulacion else "operación"
    print(f"Almacén de {kind} preparado en {repo.store.path}")
    print("Grupos: repse_imss, repse_stps, repse_gt (actos conjuntos), repse_lectura.")
    print(f"Entrada 1: calendario vigente, registrada por «{repo.store.login}».")
    print("Cree los usuarios con «repse servidor usuario URL NOMBRE --institucion …».")
    repo.cerrar()
    return 0


def cmd_usuario(args) -> int:
    contrasena = None
    if args.contrasena_de:
        contrasena = os.environ.get(args.contrasena_de)
        if not contrasena:
            raise UsageError(f"--contrasena-de: la variable {args.contrasena_de} está vacía")
    elif args.pedir_contrasena:
        contrasena = getpass.getpass(f"Contraseña de {args.nombre}: ")
        if contrasena != getpass.getpass("Repítala: "):
            raise UsageError("las contraseñas no coinciden")
    from ..core import servidor

    nombres = servidor.usuario(args.url, args.nombre, args.institucion, contrasena)
    print(f"Usuario «{args.nombre}»: {', '.join(nombres)}"
          + (" (contraseña fijada)" if contrasena else ""))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("servidor", help="el almacén en un servidor PostgreSQL (dos oficinas)")
    cmds = s.add_subparsers(dest="orden", required=True, metavar="ORDEN")

    p = cmds.add_parser("preparar", help="crea el almacén, los grupos de cada institución y "
                        "la primera entrada en una base vacía")
    p.add_argument("url", metavar="URL", help="postgresql://… o «host=… dbname=…»")
    opciones_de_almacen_nuevo(p)
    p.set_defaults(func=cmd_preparar)

    p = cmds.add_parser("usuario", help="crea un usuario (o cambia sus instituciones)")
    p.add_argument("url", metavar="URL")
    p.add_argument("nombre", metavar="NOMBRE")
    p.add_argument("--institucion", action="append", required=True, choices=INSTITUCIONES,
                   help="repítala si la persona es de más de una (imss y gt, por ejemplo)")
    clave = p.add_mutually_exclusive_group()
    clave.add_argument("--contrasena-de", metavar="VARIABLE",
                       help="toma la contraseña de esta variable de entorno")
    clave.add_argument("--pedir-contrasena", action="store_true",
                       help="pide la contraseña en la terminal")
    p.set_defaults(func=cmd_usuario)
