"""Errors that reach an operator: always in Spanish, always saying where and why."""

from __future__ import annotations

import re

import msgspec


class RepseError(Exception):
    """Base of every error the product reports to a user (message in Spanish)."""


class _Observacion(msgspec.Struct, frozen=True, omit_defaults=True):
    """What is said about an input or one of its rows: ``linea`` is the input's number (the
    line of a file, or the input's number in a store; 0 while a file is read, before its input
    is numbered), ``tipo`` its type ("" until then); ``archivo``/``fila`` name the operator's
    file and row. The field names are public (``repse estado --json``)."""

    linea: int
    tipo: str
    rfc: str | None
    motivo: str
    archivo: str | None = None
    fila: int | None = None

    def __str__(self) -> str:
        return f"{self.archivo}, fila {self.fila}: {self.motivo}" if self.fila else self.motivo

    def descripcion(self) -> str:
        """``padron.csv, fila 9: MAB9307148T5: dígito verificador…``: where, which RFC, what
        (what applies of it), as the answer to an input shows it."""
        donde = (f"{self.archivo}, fila {self.fila}" if self.archivo and self.fila
                 else f"fila {self.fila}" if self.fila else "")
        return ": ".join(x for x in (donde, self.rfc, self.motivo) if x)


class Rechazo(_Observacion, frozen=True):
    """A refused input or row: the one record from the reader to the store to the screen."""


class Aviso(_Observacion, frozen=True):
    """A warning on an accepted row (a row may have several) or on a whole input (``rfc`` and
    ``fila`` None): the one record from the reader and the engine to the screen."""


class CalendarFileError(RepseError):
    """A calendar (closures) file that cannot be used: names the file, the entry and the reason."""

    def __init__(self, archivo: str, entrada: str | None, motivo: str) -> None:
        self.archivo, self.entrada, self.motivo = archivo, entrada, motivo
        where = f"{archivo}: {entrada}" if entrada else archivo
        super().__init__(f"{where}: {motivo}")


class ImportFileError(RepseError):
    """An operator's file that cannot be read at all (no required column, not a table, not
    XLSX): names the file and the reason. Problems of single rows never raise; they are
    reported row by row."""

    def __init__(self, archivo: str, motivo: str) -> None:
        self.archivo, self.motivo = archivo, motivo
        super().__init__(f"{archivo}: {motivo}")


class DemoError(RepseError):
    """Demo data that cannot be generated as asked (too few contractors for a whole cycle)."""


class PlanError(RepseError):
    """An argument the cycle plan cannot be computed for (a cycle 2026-3, an exhorto before D0)."""


_MSGSPEC_REASONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"Expected `str` of length <= (\d+)"),
     "texto demasiado largo (máximo {0} caracteres)"),
    (re.compile(r"Expected `(.+?)`, got `(.+?)`"), "se esperaba {0}, se recibió {1}"),
    (re.compile(r"Object missing required field `(.+?)`"), "falta el campo obligatorio «{0}»"),
    (re.compile(r"Object contains unknown field `(.+?)`"), "campo desconocido «{0}»"),
    (re.compile(r"Invalid enum value (.+)"), "valor no permitido {0}"),
    (re.compile(r"Invalid RFC3339 encoded datetime"),
     "fecha y hora no válidas (ISO 8601 con segundos: 2026-01-26T10:00:00, con o sin -06:00)"),
    (re.compile(r"Invalid RFC3339 encoded date"), "fecha no válida (se espera AAAA-MM-DD)"),
    (re.compile(r"Object missing required field"), "falta un campo obligatorio"),
]

_TYPE_NAMES = {
    "str": "texto",
    "int": "número entero",
    "float": "número",
    "bool": "verdadero/falso",
    "array": "lista",
    "object": "tabla",
    "date": "fecha",
    "datetime": "fecha y hora",
    "null": "vacío",
}


def spanish_validation_reason(message: str) -> str:
    """Translate a msgspec validation message (without its path) into Spanish.

    >>> spanish_validation_reason("Expected `str`, got `int`")
    'se esperaba texto, se recibió número entero'
    >>> spanish_validation_reason("Object missing required field `fuente`")
    'falta el campo obligatorio «fuente»'
    """
    for pattern, template in _MSGSPEC_REASONS:
        match = pattern.search(message)
        if match:
            return template.format(*(_TYPE_NAMES.get(g, g) for g in match.groups()))
    return message


def split_validation_error(message: str) -> tuple[str, str]:
    """Split a msgspec error into (reason, path), e.g. ``('...', '$.cierre[2].hasta')``."""
    reason, sep, path = message.partition(" - at `")
    return reason, path.rstrip("`") if sep else ""
