"""Spanish for argparse's own messages (usage, help headings, missing or unknown arguments).

argparse looks its strings up through ``gettext`` at call time; with no Spanish catalogue
installed on most machines, we give it one here.
"""

from __future__ import annotations

import argparse

_ES = {
    "usage: ": "uso: ",
    "options": "opciones",
    "optional arguments": "opciones",
    "positional arguments": "argumentos",
    "show this help message and exit": "muestra esta ayuda y termina",
    "the following arguments are required: %s": "faltan argumentos obligatorios: %s",
    "unrecognized arguments: %s": "argumentos no reconocidos: %s",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "valor no permitido %(value)r (elija entre %(choices)s)",
    "expected one argument": "se espera un valor",
    "invalid %(type)s value: %(value)r": "valor no válido para %(type)s: %(value)r",
    "ambiguous option: %(option)s could match %(matches)s":
        "opción ambigua: %(option)s puede ser %(matches)s",
    "not allowed with argument %s": "no se permite junto con %s",
}


def _gettext(message: str) -> str:
    return _ES.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


def install() -> None:
    argparse._ = _gettext  # type: ignore[attr-defined]
    argparse.ngettext = _ngettext  # type: ignore[attr-defined]
