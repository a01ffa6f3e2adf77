"""What the app's store workers post back to the UI thread: each message carries the answer and,
when the state changed, the new read model (a finished :class:`Vista` no thread changes)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from textual.message import Message

from ..core.api import Nueva, Repositorio, Respuesta
from ..core.vista import Vista


@dataclass
class AlmacenAbierto(Message):
    simulacion: bool
    vista: Vista


@dataclass
class NoSeAbrio(Message):
    motivo: str


@dataclass
class EntradaRegistrada(Message):
    """An imported file or an act, accepted or refused, and the state after it."""

    titulo: str
    respuesta: Respuesta
    vista: Vista


@dataclass
class RelojAvanzado(Message):
    hasta: datetime
    respuesta: Respuesta
    vista: Vista


@dataclass
class CopiaAbierta(Message):
    """A simulation copy of the store now takes the inputs."""

    copia: Repositorio
    vista: Vista


@dataclass
class CopiaDescartada(Message):
    vista: Vista  # of the store on disk


@dataclass
class InstantePasado(Message):
    momento: datetime
    vista: Vista


@dataclass
class Exportado(Message):
    destino: Path
    archivos: list[Path]


@dataclass
class Fallo(Message):
    """A store call that could not run (an unreadable file, a folder not writable, a lost
    connection); ``reintento``: how to run it again (``llamar_almacen``'s arguments), with what
    the operator typed."""

    titulo: str
    motivo: str
    reintento: tuple[str, Callable[[], Message], str]


@dataclass
class Reabierto(Message):
    """The store read again after a failed call; its state."""

    vista: Vista


@dataclass
class Novedades(Message):
    """Inputs another office appended, caught up with, and the state after them."""

    nuevas: list[Nueva]
    vista: Vista


@dataclass
class Conexion(Message):
    """The store cannot be reached (why), or can again (None)."""

    motivo: str | None


@dataclass
class Avance(Message):
    """Progress of the running store call; a newer one replaces one not yet shown."""

    texto: str
    hecho: int
    total: int | None

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, Avance)
