"""The file side of the API: load an operator's file into a store, export what must be sent.

``importar`` reads a CSV/XLSX file (``core.importing``), records the rows refused while reading
together with the engine's input, and answers with everything refused — by the reader or by the
engine — each naming the file, the row and the reason. A file that cannot be read at all is
recorded as a refused input too: nothing an operator loads is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import msgspec

from . import importing
from .api import Repositorio, Respuesta
from .errors import ImportFileError, RepseError
from .exports import exportar

__all__ = ["exportar", "importar"]

Progreso = Callable[[int, int | None], None]


def importar(repo: Repositorio, tipo: str, archivo: str | Path, *, ciclo: str, at: datetime,
             actor: str | None = None, ronda: int | str | None = None, completo: bool = False,
             motivo: str | None = None, usuario: str | None = None, hoja: str | None = None,
             repetida: bool = False, retroactivo: bool = False, ensayo: bool = False,
             progreso: Progreso | None = None) -> Respuesta:
    """Load one operator's file as one input of the engine. ``hoja`` names the sheet of a
    workbook; ``repetida`` records again, on purpose, a file already recorded;
    ``retroactivo`` marks an input dated before the clock (the state is recomputed from its
    date); ``ensayo`` answers what recording it would do and records nothing
    (:meth:`Repositorio.ensayar`)."""
    archivo = Path(archivo)
    try:
        lectura = importing.leer(tipo, archivo, progreso, hoja=hoja)
        _completa_de_una_hoja(lectura, completo)
        entrada = importing.entrada(tipo, lectura, ciclo=ciclo, at=at, actor=actor, ronda=ronda,
                                    completo=completo, motivo=motivo, usuario=usuario)
        if repetida or retroactivo:
            entrada = msgspec.structs.replace(entrada, repetida=repetida,
                                              retroactivo=retroactivo)
    except RepseError as exc:
        intento = {"tipo": tipo, "at": at.isoformat(), "actor": actor, "ciclo": str(ciclo),
                   "ronda": ronda, "archivo": archivo.name, "hoja": hoja, "usuario": usuario}
        # A file that cannot be read names itself already; a bad argument does not.
        motivo = str(exc) if isinstance(exc, ImportFileError) else f"{archivo.name}: {exc}"
        if ensayo:
            return Respuesta(repo.applied + 1, tipo, False, motivo)
        return repo.rechazar(msgspec.json.encode(intento), motivo)
    registrar = repo.ensayar if ensayo else repo.registrar
    r = registrar(entrada, previas=(*lectura.rechazos, *lectura.avisos), origen=archivo.name)
    r.rechazos = [msgspec.structs.replace(x, linea=r.numero, tipo=tipo)
                  for x in lectura.rechazos] + r.rechazos
    # The engine repeats the check-digit warnings, in the same words.
    avisos = [msgspec.structs.replace(a, linea=r.numero, tipo=tipo) for a in lectura.avisos]
    r.avisos = list(dict.fromkeys(avisos + r.avisos))
    r.notas = list(lectura.notas)  # how it was read: the sheet, the encoding…
    return r


def _completa_de_una_hoja(lectura: importing.Lectura, completo: bool) -> None:
    """A complete list read from one sheet of a workbook whose other sheets hold data would make
    the contractors listed there positiva (an adversarial run's case: Negativa on one sheet, Sin
    opinión on another)."""
    if completo and lectura.otras_hojas_con_datos:
        otras = ", ".join(f"«{h}»" for h in lectura.otras_hojas_con_datos)
        raise ImportFileError(
            lectura.archivo, f"se pidió como lista completa la hoja «{lectura.hoja}», pero el "
            f"libro tiene otras hojas con datos ({otras}): quienes figuren en ellas pasarían a "
            "positiva; importe cada hoja como lista parcial, o reúna las listas en una hoja")
