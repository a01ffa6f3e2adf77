"""The inputs: typed, immutable records decoded once at the boundary (JSON Lines, public format).

Every input has ``tipo`` (the tag), ``at`` (ISO 8601; without an offset it means
America/Mexico_City) and ``actor`` (``imss`` | ``stps`` | ``gt``); it may carry ``usuario`` and
``retroactivo``. Inputs that came from an operator's file carry ``archivo`` and, per row, ``fila``,
so that every refusal names the file and the row.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Literal

import msgspec

from .calendars import Cierre, Politicas, Revisado
from .errors import RepseError, spanish_validation_reason, split_validation_error
from .plazos import MX

Actor = Literal["imss", "stps", "gt"]
Opinion = Literal["positiva", "negativa", "sin_opinion"]
Ronda = Literal[1, 2, 3, "diaria"]


class _Entrada(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True,
               tag_field="tipo", omit_defaults=True):
    at: datetime
    actor: Actor
    usuario: str | None = None
    retroactivo: bool = False
    repetida: bool = False  # the same input from the same origin, recorded again on purpose
    archivo: str | None = None  # the operator's file this input was imported from


class FilaPadron(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    rfc: str
    razon_social: str
    folio: str
    fecha_registro: date
    correo: str | None = None
    domicilio: str | None = None
    fila: int | None = None


class Resultado(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    rfc: str
    opinion: Opinion
    fila: int | None = None


class Padron(_Entrada, frozen=True, kw_only=True, tag="padron"):
    ciclo: str
    contratistas: tuple[FilaPadron, ...]


class Opiniones(_Entrada, frozen=True, kw_only=True, tag="opiniones"):
    ciclo: str
    ronda: Ronda
    resultados: tuple[Resultado, ...]
    completo: bool = False


class _ActoRfcs(_Entrada, frozen=True, kw_only=True):
    ciclo: str
    rfcs: tuple[str, ...]
    filas: tuple[int, ...] | None = None  # row of each RFC in ``archivo``


class Exhorto(_ActoRfcs, frozen=True, kw_only=True, tag="exhorto"):
    pass


class InicioCancelacion(_ActoRfcs, frozen=True, kw_only=True, tag="inicio_cancelacion"):
    pass


class Cancelacion(_ActoRfcs, frozen=True, kw_only=True, tag="cancelacion"):
    pass


class CancelacionImpedida(_ActoRfcs, frozen=True, kw_only=True, tag="cancelacion_impedida"):
    motivo: str


class Criterio(_ActoRfcs, frozen=True, kw_only=True, tag="criterio"):
    texto: str
    efecto: Literal["excluir"]


class CancelacionRegistro(_Entrada, frozen=True, kw_only=True, tag="cancelacion_registro"):
    """STPS cancels registrations outside a cycle's procedure (e.g. not renewed in time,
    Acuerdo REPSE DÉCIMO QUINTO g); every open procedure of theirs ends."""

    rfcs: tuple[str, ...]
    motivo: str
    filas: tuple[int, ...] | None = None


class Manifestacion(_Entrada, frozen=True, kw_only=True, tag="manifestacion"):
    ciclo: str
    rfc: str
    resumen: str


class Renovacion(_Entrada, frozen=True, kw_only=True, tag="renovacion"):
    rfc: str
    resultado: Literal["solicitada", "otorgada", "negada"]


class Anulacion(_Entrada, frozen=True, kw_only=True, tag="anulacion"):
    entrada: int
    motivo: str


class CalendarioVigente(_Entrada, frozen=True, kw_only=True, tag="calendario"):
    """The closures and counting policies in force from ``at`` on."""

    cierre: tuple[Cierre, ...] = ()
    revisado: tuple[Revisado, ...] = ()
    politicas: Politicas = Politicas()


class Reloj(_Entrada, frozen=True, kw_only=True, tag="reloj"):
    """Only advances the clock, firing every plazo that ended before ``at``."""


Entrada = (
    Padron | Opiniones | Exhorto | InicioCancelacion | Cancelacion | CancelacionImpedida
    | Criterio | CancelacionRegistro | Manifestacion | Renovacion | Anulacion
    | CalendarioVigente | Reloj
)
ENTRADAS: tuple[type, ...] = Entrada.__args__  # type: ignore[attr-defined]
TIPOS = tuple(t.__struct_config__.tag for t in ENTRADAS)

# Who may issue each input (DOMAIN.md, "Inputs"); an annulment: its input's actor, or the GT.
ACTORES: dict[str, frozenset[str]] = {
    "padron": frozenset({"stps"}),
    "opiniones": frozenset({"imss"}),
    "exhorto": frozenset({"gt"}),
    "inicio_cancelacion": frozenset({"stps"}),
    "cancelacion": frozenset({"stps"}),
    "cancelacion_impedida": frozenset({"stps"}),
    "cancelacion_registro": frozenset({"stps"}),
    "manifestacion": frozenset({"stps"}),
    "renovacion": frozenset({"stps"}),
    "criterio": frozenset({"gt"}),
    "anulacion": frozenset({"imss", "stps", "gt"}),
    "calendario": frozenset({"gt"}),
    "reloj": frozenset({"imss", "stps", "gt"}),
}


class InputError(RepseError):
    """A line that is not a valid input: says which line and why."""

    def __init__(self, linea: int | None, motivo: str) -> None:
        self.linea, self.motivo = linea, motivo
        super().__init__(f"línea {linea}: {motivo}" if linea else motivo)


_decoder = msgspec.json.Decoder(Entrada)
_encoder = msgspec.json.Encoder()


def tipo(entrada: Entrada) -> str:
    return entrada.__struct_config__.tag  # type: ignore[return-value]


def _aware(entrada: Entrada) -> Entrada:
    """A time without an offset means America/Mexico_City (DOMAIN.md, "Time and calendars")."""
    at = entrada.at
    at = at.replace(tzinfo=MX) if at.tzinfo is None else at.astimezone(MX)
    return msgspec.structs.replace(entrada, at=at)


# ISO 8601 allows a time without seconds (2026-01-26T10:00-06:00); RFC 3339, which msgspec
# decodes, does not. Only the input's own ``at`` is completed, before decoding.
_AT_WITHOUT_SECONDS = re.compile(rb'("at"\s*:\s*"\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(?=[Z"+-])')


def decode(line: str | bytes, linea: int | None = None) -> Entrada:
    """Decode one JSON line into a typed input, or raise :class:`InputError` saying why."""
    raw = line.encode() if isinstance(line, str) else line
    raw = _AT_WITHOUT_SECONDS.sub(rb"\1:00", raw, count=1)
    try:
        entrada = _decoder.decode(raw)
    except msgspec.ValidationError as exc:
        reason, path = split_validation_error(str(exc))
        where = f" (en {path})" if path else ""
        motivo = spanish_validation_reason(reason)
        if "tag" in reason or "`$.tipo`" in str(exc):
            motivo = f"tipo de entrada desconocido o ausente; tipos válidos: {', '.join(TIPOS)}"
        raise InputError(linea, f"{motivo}{where}") from None
    except msgspec.DecodeError as exc:
        raise InputError(linea, f"JSON mal formado: {exc}") from None
    return _aware(entrada)


def encode(entrada: Entrada) -> bytes:
    return _encoder.encode(entrada)


def check_actor(entrada: Entrada) -> str | None:
    """The reason ``entrada`` is refused for its actor, or None."""
    allowed = ACTORES[tipo(entrada)]
    if entrada.actor not in allowed:
        quien = " o ".join(sorted(a.upper() if a != "gt" else "GT" for a in allowed))
        return (f"actor no autorizado: «{tipo(entrada)}» la emite {quien}, no "
                f"{entrada.actor.upper() if entrada.actor != 'gt' else 'GT'}")
    return None


def emisor(tipo_entrada: str) -> str:
    """The institution that issues an input of this type when it is issued by one alone (an
    annulment or a clock step from an operator's screen: the GT)."""
    allowed = ACTORES[tipo_entrada]
    return next(iter(allowed)) if len(allowed) == 1 else "gt"


def acto(tipo_entrada: str, *, ciclo: str, rfcs: tuple[str, ...], at: datetime,
         usuario: str | None = None, texto: str | None = None, entrada: int | None = None,
         retroactivo: bool = False) -> Entrada:
    """The typed input of an act recorded for some contractors (exhorto, inicio de la
    cancelación, cancelación, cancelación impedida, criterio) or an annulment, with the actor
    the law gives it. Raises :class:`InputError` for an act it does not know."""
    common = {"at": at, "usuario": usuario, "actor": emisor(tipo_entrada),
              "retroactivo": retroactivo}
    if tipo_entrada == "anulacion":
        if entrada is None:
            raise InputError(None, "la anulación debe decir qué entrada anula")
        return Anulacion(entrada=entrada, motivo=texto or "", **common)
    acto_rfcs = {"ciclo": ciclo, "rfcs": tuple(rfcs), **common}
    if tipo_entrada == "exhorto":
        return Exhorto(**acto_rfcs)
    if tipo_entrada == "inicio_cancelacion":
        return InicioCancelacion(**acto_rfcs)
    if tipo_entrada == "cancelacion":
        return Cancelacion(**acto_rfcs)
    if tipo_entrada == "cancelacion_impedida":
        return CancelacionImpedida(motivo=texto or "", **acto_rfcs)
    if tipo_entrada == "criterio":
        return Criterio(texto=texto or "", efecto="excluir", **acto_rfcs)
    raise InputError(None, f"acto desconocido «{tipo_entrada}»")
