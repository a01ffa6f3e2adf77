"""``repse membrete``: the data block of the documents the institutions sign (the oficio's
number prefix, the place, the signers of IMSS and STPS), filled once per store by the GT."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..core.documentos import leer_membrete
from .cmd_store import format_respuesta, opened
from .texto import now, parse_instant


def cmd_membrete(args) -> int:
    with opened(args.db) as repo:
        if args.at:
            at = parse_instant(args.at, "--at")
        else:  # a simulation lives at its clock; an operation store, in the present
            reloj = repo.vista().reloj
            at = reloj if repo.simulacion and reloj else now()
        membrete = leer_membrete(Path(args.archivo), at=at, usuario=args.usuario)
        r = repo.registrar(membrete, origen=args.archivo)
    for text in format_respuesta(r):
        print(text)
    if r.aceptada:
        print(f"  Prefijo del número de oficio: {membrete.prefijo_oficio}; lugar: "
              f"{membrete.lugar}")
        for nombre, f in (("IMSS", membrete.imss), ("STPS", membrete.stps)):
            print(f"  Firma por {nombre}: {f.nombre}, {f.cargo}")
    return 0 if r.aceptada else 1


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("membrete", help="lugar, número de oficio y firmantes de los documentos",
                       description="Registra, como una entrada del GT, los datos con que se "
                                   "firman las cartas de exhorto y el oficio de la tercera "
                                   "consulta: prefijo del número de oficio, lugar, y nombre "
                                   "y cargo de quien firma por el IMSS y por la STPS. Rige "
                                   "el último registrado.")
    p.add_argument("db", metavar="DB")
    p.add_argument("--archivo", required=True, metavar="MEMBRETE.toml",
                   help="prefijo_oficio, lugar, [imss] y [stps] con nombre y cargo")
    p.add_argument("--at", metavar="FECHA[THH:MM]",
                   help="fecha de la entrada (por omisión, el reloj de una simulación o el "
                        "presente)")
    p.add_argument("--usuario")
    p.set_defaults(func=cmd_membrete)
