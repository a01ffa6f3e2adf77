"""The inputs: typed, immutable records decoded once at the boundary (JSON Lines, public format).

Every input has ``tipo`` (the tag), ``at`` (ISO 8601; without an offset it means
America/Mexico_City) and ``actor`` (``imss`` | ``stps`` | ``gt``); it may carry ``usuario`` and
``retroactivo``. Inputs that came from an operator's file carry ``archivo`` and, per row, ``fila``,
so that every refusal names the file and the row.

An input is valid however it is built — decoded from a line, converted from fields
(:func:`construir`) or constructed directly: ``__post_init__`` checks it every time. What is
refused, with a Spanish reason that names the field:

- ``at`` outside 2000-01-01 – 2100-12-31 in Mexico City (:data:`AT_MIN`, :data:`AT_MAX`), a
  ``fecha_registro`` outside those days, and a ``ciclo`` outside 2000–2100
  (:class:`~repse.core.cycle.Ciclo`);
- a control character (U+0000–U+001F, U+007F–U+009F, line breaks included) in any text;
- a text longer than its bound: razón social 500 characters, folio 100, correo 254, domicilio
  1,000, an RFC 64, ``usuario`` 200, ``archivo`` 1,000, ``motivo``/``texto``/``resumen`` 10,000;
- a line nested deeper than the decoder can follow.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from operator import attrgetter
from typing import Annotated, Any, Literal, TypeVar

import msgspec

from .calendars import Cierre, Politicas, Revisado
from .cycle import Ciclo
from .declaraciones import UMAS_MAX, UMAS_MIN, Periodo
from .errors import PlanError, RepseError, spanish_validation_reason, split_validation_error
from .lifecycle import CausaCancelacion, Opinion, ResultadoRenovacion, Ronda
from .plazos import MX

Actor = Literal["imss", "stps", "gt"]

AT_MIN = datetime(2000, 1, 1, tzinfo=MX)
AT_MAX = datetime(2100, 12, 31, 23, 59, 59, 999_999, tzinfo=MX)
MAX_RAZON_SOCIAL = 500
MAX_FOLIO = 100
MAX_CORREO = 254  # RFC 5321
MAX_DOMICILIO = 1_000
MAX_RFC = 64  # the shape of each RFC is judged per row, so that one bad RFC refuses one row
MAX_USUARIO = 200
MAX_ARCHIVO = 1_000
MAX_TEXTO = 10_000  # motivo, texto, resumen

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _revisar(campo: str, valor: str | None, maximo: int, donde: str = "") -> None:
    """Refuse a text longer than ``maximo`` or with a control character (a ValueError, which
    msgspec reports as a validation error)."""
    if not valor:
        return
    if len(valor) > maximo:
        raise ValorNoValido(f"el campo «{campo}» es demasiado largo: {len(valor):,} caracteres; "
                         f"máximo {maximo:,}{donde}")
    if not valor.isprintable() and (malo := _CONTROL.search(valor)):
        raise ValorNoValido(f"el campo «{campo}» tiene caracteres de control "
                         f"(U+{ord(malo[0]):04X}){donde}")


_CONTROL_LATIN1 = bytes(range(0x20)) + bytes(range(0x7F, 0xA0))


def _sin_control(texto: str) -> bool:
    """True when ``texto`` surely holds no control character; fast on a padrón-sized column
    (Spanish text encodes to Latin-1 at memory speed, and deleting bytes is C-speed)."""
    try:
        datos = texto.encode("latin-1")
    except UnicodeEncodeError:
        return texto.isprintable()  # conservative: the caller then checks value by value
    return len(datos.translate(None, _CONTROL_LATIN1)) == len(datos)


def _revisar_columna(campo: str, valores: Sequence[str | None], maximo: int, ruta: str) -> None:
    """:func:`_revisar` on a column of rows, one pass over the whole column unless a value is
    off (a padrón may have a million rows); the reason names the row's path."""
    textos = list(filter(None, valores))
    if _sin_control("".join(textos)) and max(map(len, textos), default=0) <= maximo:
        return
    for k, valor in enumerate(valores):
        _revisar(campo, valor, maximo, f" (en $.{ruta}[{k}])")


def momento(at: datetime) -> datetime:
    """``at`` in America/Mexico_City, where a time without an offset already is (README, «The input
    format»), or :class:`ValorNoValido` outside :data:`AT_MIN`–:data:`AT_MAX`.
    The range is checked before converting: 9999-12-31T23:59:59-12:00 has no UTC."""
    aware = at if at.tzinfo is not None else at.replace(tzinfo=MX)
    if not AT_MIN <= aware <= AT_MAX:
        raise ValorNoValido(f"«at»: fecha fuera del intervalo admitido ({AT_MIN:%Y-%m-%d} a "
                            f"{AT_MAX:%Y-%m-%d}, hora de la Ciudad de México): "
                            f"{at.isoformat()}")
    return aware.astimezone(MX)


class _Entrada(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True,
               tag_field="tipo", omit_defaults=True):
    at: datetime
    actor: Actor
    usuario: str | None = None
    retroactivo: bool = False
    repetida: bool = False  # the same input from the same origin, recorded again on purpose
    archivo: str | None = None  # the operator's file this input was imported from

    def __post_init__(self) -> None:
        msgspec.structs.force_setattr(self, "at", momento(self.at))
        ciclo = getattr(self, "ciclo", None)
        if ciclo is not None and not isinstance(ciclo, Ciclo):  # built from fields, not decoded
            msgspec.structs.force_setattr(self, "ciclo", _ciclo(ciclo))
        _revisar("usuario", self.usuario, MAX_USUARIO)
        _revisar("archivo", self.archivo, MAX_ARCHIVO)
        for campo in ("motivo", "texto", "resumen"):
            _revisar(campo, getattr(self, campo, None), MAX_TEXTO)
        if (rfc := getattr(self, "rfc", None)) is not None:
            _revisar("rfc", rfc, MAX_RFC)
        if (rfcs := getattr(self, "rfcs", None)) is not None:
            _revisar_columna("rfc", rfcs, MAX_RFC, "rfcs")


def _acotado(maximo: int) -> Any:
    return Annotated[str, msgspec.Meta(max_length=maximo)]


# Bounded at decode by msgspec, in C; the shape of an RFC is judged per row by the engine, so
# that one bad RFC refuses one row, not the list.
Rfc = _acotado(MAX_RFC)


class FilaPadron(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    rfc: Rfc
    razon_social: _acotado(MAX_RAZON_SOCIAL)  # type: ignore[valid-type]
    folio: _acotado(MAX_FOLIO)  # type: ignore[valid-type]
    fecha_registro: date
    correo: _acotado(MAX_CORREO) | None = None  # type: ignore[valid-type]
    domicilio: _acotado(MAX_DOMICILIO) | None = None  # type: ignore[valid-type]
    fila: int | None = None


class Resultado(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    rfc: Rfc
    opinion: Opinion
    fila: int | None = None


_COLUMNAS_PADRON = (("rfc", MAX_RFC), ("razon_social", MAX_RAZON_SOCIAL), ("folio", MAX_FOLIO),
                    ("correo", MAX_CORREO), ("domicilio", MAX_DOMICILIO))


class Padron(_Entrada, frozen=True, kw_only=True, tag="padron"):
    ciclo: Ciclo
    contratistas: tuple[FilaPadron, ...]

    def __post_init__(self) -> None:
        super().__post_init__()
        # A registration beyond the range would end (three years on) where no date exists.
        fechas = list(map(attrgetter("fecha_registro"), self.contratistas))
        if fechas and (min(fechas) < AT_MIN.date() or max(fechas) > AT_MAX.date()):
            k = next(k for k, f in enumerate(fechas) if not AT_MIN.date() <= f <= AT_MAX.date())
            raise ValorNoValido(f"«fecha_registro»: fecha fuera del intervalo admitido "
                                f"({AT_MIN:%Y-%m-%d} a {AT_MAX:%Y-%m-%d}): {fechas[k]} "
                                f"(en $.contratistas[{k}])")


class Opiniones(_Entrada, frozen=True, kw_only=True, tag="opiniones"):
    ciclo: Ciclo
    ronda: Ronda
    resultados: tuple[Resultado, ...]
    completo: bool = False


class _ActoRfcs(_Entrada, frozen=True, kw_only=True):
    ciclo: Ciclo
    rfcs: tuple[Rfc, ...]
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
    """A specific criterion of the GT (numeral 8), with its reason (``texto``): ``excluir``
    takes the ``rfcs`` out of the cycle's procedure; ``mover_fecha_consulta`` moves the cycle's
    consultation date (D0) to ``fecha`` for its whole padrón, and so names no RFC."""

    rfcs: tuple[Rfc, ...] | None = None  # type: ignore[assignment]  # required to exclude
    texto: str
    efecto: Literal["excluir", "mover_fecha_consulta"]
    fecha: date | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.efecto == "excluir":
            if self.rfcs is None:
                raise ValorNoValido("un criterio «excluir» debe decir a quién excluye en «rfcs»")
            if self.fecha is not None:
                raise ValorNoValido("un criterio «excluir» no lleva «fecha»: solo un criterio "
                                    "«mover_fecha_consulta» mueve la fecha de consulta")
            return
        if self.fecha is None:
            raise ValorNoValido("un criterio «mover_fecha_consulta» debe decir la nueva fecha de "
                                "consulta en «fecha» (AAAA-MM-DD)")
        if self.rfcs is not None or self.filas is not None:
            raise ValorNoValido("un criterio «mover_fecha_consulta» mueve la fecha de consulta "
                                "de todo el padrón del ciclo: no lleva «rfcs» ni «filas»")
        if not AT_MIN.date() <= self.fecha <= AT_MAX.date():
            raise ValorNoValido(f"«fecha»: fecha fuera del intervalo admitido "
                                f"({AT_MIN:%Y-%m-%d} a {AT_MAX:%Y-%m-%d}): {self.fecha}")
        if not self.texto.strip():
            raise ValorNoValido("un criterio «mover_fecha_consulta» debe decir su motivo en "
                                "«texto»")


class CancelacionRegistro(_Entrada, frozen=True, kw_only=True, tag="cancelacion_registro"):
    """STPS cancels registrations outside a cycle's procedure, for a ``causa``: not renewed in
    time (Acuerdo REPSE DÉCIMO QUINTO g), at the contractor's own request (2023 reform),
    requirements no longer met, or another one, which ``motivo`` must then state. Every open
    procedure of theirs ends in ``concluido_sin_registro`` with the cause in its history.

    An input recorded before ``causa`` existed reads as ``otra``: its ``motivo``, always
    required then, is the cause it gave."""

    rfcs: tuple[Rfc, ...]
    causa: CausaCancelacion = "otra"
    motivo: str = ""
    filas: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.causa == "otra" and not self.motivo.strip():
            raise ValorNoValido("«motivo»: la causa «otra» debe decir el motivo de la "
                                "cancelación")


class Manifestacion(_Entrada, frozen=True, kw_only=True, tag="manifestacion"):
    ciclo: Ciclo
    rfc: Rfc
    resumen: str


class Renovacion(_Entrada, frozen=True, kw_only=True, tag="renovacion"):
    """A renewal recorded by STPS: the request (inside the renewal window), its resolution, or
    the contractor's requerimiento of a resolution once STPS's 20 hábil days passed."""

    rfc: Rfc
    resultado: ResultadoRenovacion


class Anulacion(_Entrada, frozen=True, kw_only=True, tag="anulacion"):
    entrada: int
    motivo: str


class CalendarioVigente(_Entrada, frozen=True, kw_only=True, tag="calendario"):
    """The closures and counting policies in force from ``at`` on."""

    cierre: tuple[Cierre, ...] = ()
    revisado: tuple[Revisado, ...] = ()
    politicas: Politicas = Politicas()


class FilaDeclaracion(msgspec.Struct, frozen=True, forbid_unknown_fields=True,
                      omit_defaults=True):
    """A report IMSS received (LSS art. 15 A) and the day it was filed; ``sin_contratos``: the
    contractor signed no contract in the period, so it does not owe the report."""

    rfc: Rfc
    fecha: date
    sin_contratos: bool = False
    fila: int | None = None


class _DePeriodo(_Entrada, frozen=True, kw_only=True):
    periodo: Periodo

    def __post_init__(self) -> None:
        super().__post_init__()
        if not isinstance(self.periodo, Periodo):  # built from fields, not decoded
            msgspec.structs.force_setattr(self, "periodo", _periodo(self.periodo))


class Declaraciones(_DePeriodo, frozen=True, kw_only=True, tag="declaraciones"):
    """IMSS's list of the four-monthly reports of ``periodo`` it received."""

    declaraciones: tuple[FilaDeclaracion, ...]


class Multa(_DePeriodo, frozen=True, kw_only=True, tag="multa"):
    """A fine IMSS imposed for a report not filed or filed late (LSS art. 304 B, fr. V)."""

    rfc: Rfc
    umas: int

    def __post_init__(self) -> None:
        super().__post_init__()
        if not UMAS_MIN <= self.umas <= UMAS_MAX:
            raise ValorNoValido(f"«umas»: la multa es de {UMAS_MIN} a {UMAS_MAX:,} veces el "
                                f"valor de la UMA (LSS art. 304 B, fracción V), no {self.umas:,}")


class InformeStps(_DePeriodo, frozen=True, kw_only=True, tag="informe_stps"):
    """IMSS informed STPS of these contractors' breach (LSS art. 15 A, last paragraph)."""

    rfcs: tuple[Rfc, ...]
    filas: tuple[int, ...] | None = None


class Reloj(_Entrada, frozen=True, kw_only=True, tag="reloj"):
    """Only advances the clock, firing every plazo that ended before ``at``."""


MAX_MEMBRETE = 300  # a name, a post, a place or an oficio number prefix


class Firmante(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Who signs the documents for one institution."""

    nombre: _acotado(MAX_MEMBRETE)  # type: ignore[valid-type]
    cargo: _acotado(MAX_MEMBRETE)  # type: ignore[valid-type]


class Membrete(_Entrada, frozen=True, kw_only=True, tag="membrete"):
    """The data block the GT fills once per store for the documents the institutions sign: the
    prefix of the oficio's number, the place the documents are dated in, and the signer of each
    institution. The latest one recorded is in force; it changes no contractor."""

    prefijo_oficio: _acotado(MAX_MEMBRETE)  # type: ignore[valid-type]
    lugar: _acotado(MAX_MEMBRETE)  # type: ignore[valid-type]
    imss: Firmante
    stps: Firmante

    def __post_init__(self) -> None:
        super().__post_init__()
        for campo, valor in (("prefijo_oficio", self.prefijo_oficio), ("lugar", self.lugar),
                             ("imss.nombre", self.imss.nombre), ("imss.cargo", self.imss.cargo),
                             ("stps.nombre", self.stps.nombre), ("stps.cargo", self.stps.cargo)):
            _revisar(campo, valor, MAX_MEMBRETE)
            if not valor.strip():
                raise ValorNoValido(f"el campo «{campo}» del membrete está vacío")


Entrada = (
    Padron | Opiniones | Exhorto | InicioCancelacion | Cancelacion | CancelacionImpedida
    | Criterio | CancelacionRegistro | Manifestacion | Renovacion | Anulacion
    | CalendarioVigente | Reloj | Declaraciones | Multa | InformeStps | Membrete
)
E = TypeVar("E", bound=_Entrada)
ENTRADAS: tuple[type, ...] = Entrada.__args__  # type: ignore[attr-defined]
TIPOS = tuple(t.__struct_config__.tag for t in ENTRADAS)

# Who may issue each input (spec book, each transition's «Quién»); an annulment: its input's
# actor, or the GT.
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
    "declaraciones": frozenset({"imss"}),
    "multa": frozenset({"imss"}),
    "informe_stps": frozenset({"imss"}),
    "membrete": frozenset({"gt"}),
}


class InputError(RepseError):
    """A line that is not a valid input: says which line and why."""

    def __init__(self, linea: int | None, motivo: str) -> None:
        self.linea, self.motivo = linea, motivo
        super().__init__(f"línea {linea}: {motivo}" if linea else motivo)


class ValorNoValido(RepseError, ValueError):
    """A field an input cannot have. A ValueError, so that msgspec reports it with its path
    when decoding or converting; a RepseError when an input is constructed directly."""


def _revisar_filas(entrada: Entrada) -> None:
    """The rows of a padrón or an opinions input: no control character, no text beyond its
    bound. Not in ``__post_init__``: on a million rows it would double the decoding time, so
    :func:`decode` runs it only when the line may hold a control character, and
    :func:`construir` always (a row struct passes ``convert`` unchecked)."""
    if isinstance(entrada, Padron):
        for campo, maximo in _COLUMNAS_PADRON:
            _revisar_columna(campo, list(map(attrgetter(campo), entrada.contratistas)), maximo,
                             "contratistas")
    elif isinstance(entrada, Opiniones):
        _revisar_columna("rfc", list(map(attrgetter("rfc"), entrada.resultados)), MAX_RFC,
                         "resultados")
    elif isinstance(entrada, Declaraciones):
        _revisar_columna("rfc", list(map(attrgetter("rfc"), entrada.declaraciones)), MAX_RFC,
                         "declaraciones")


# What a JSON line can carry a control character as: an escape (\n, \u001b, \u0085…), a raw
# DEL, or a raw C1 character in UTF-8. Scanned at memory speed; a false alarm only costs the
# exact check.
_ESCAPE_CONTROL = re.compile(rb"\\(?:[bfnrt]|u00[0189][0-9a-fA-F]|u007[fF])")
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")


def _quizas_control(raw: bytes) -> bool:
    # ``in`` first: a memchr, several times faster than the regex on a 150 MB line.
    return (b"\x7f" in raw or (b"\\" in raw and _ESCAPE_CONTROL.search(raw) is not None)
            or (b"\xc2" in raw and _C1_UTF8.search(raw) is not None))


def _ciclo(valor: object) -> Ciclo:
    if not isinstance(valor, str):
        raise ValorNoValido(f"ciclo no válido «{valor}»: se espera AAAA-1 (enero) o AAAA-2 "
                            "(julio)")
    try:
        return Ciclo.parse(valor)
    except PlanError as exc:
        raise ValorNoValido(str(exc)) from None


def _periodo(valor: object) -> Periodo:
    try:
        return Periodo.parse(valor if isinstance(valor, str) else repr(valor))
    except PlanError as exc:
        raise ValorNoValido(str(exc)) from None


def _dec_hook(tipo: type, valor: Any) -> Any:
    if tipo is Ciclo:
        return _ciclo(valor)
    if tipo is Periodo:
        return _periodo(valor)
    raise NotImplementedError


def _enc_hook(valor: Any) -> Any:
    if isinstance(valor, Ciclo | Periodo):
        return str(valor)
    raise NotImplementedError


_decoder = msgspec.json.Decoder(Entrada, dec_hook=_dec_hook)
_encoder = msgspec.json.Encoder(enc_hook=_enc_hook)


def tipo(entrada: Entrada) -> str:
    return entrada.__struct_config__.tag  # type: ignore[return-value]


def _motivo(exc: msgspec.ValidationError) -> str:
    """A msgspec validation error in Spanish, with its path unless it is the whole input."""
    reason, path = split_validation_error(str(exc))
    if "tag" in reason or "`$.tipo`" in str(exc):
        return f"tipo de entrada desconocido o ausente; tipos válidos: {', '.join(TIPOS)}"
    where = f" (en {path})" if path and path != "$" else ""
    return f"{spanish_validation_reason(reason)}{where}"


# ISO 8601 allows a time without seconds (2026-01-26T10:00-06:00); RFC 3339, which msgspec
# decodes, does not. Only the input's own ``at`` is completed, before decoding.
_AT_WITHOUT_SECONDS = re.compile(rb'("at"\s*:\s*"\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(?=[Z"+-])')


def decode(line: str | bytes, linea: int | None = None) -> Entrada:
    """Decode one JSON line into a typed input, or raise :class:`InputError` saying why."""
    raw = line.encode() if isinstance(line, str) else line
    raw = _AT_WITHOUT_SECONDS.sub(rb"\1:00", raw, count=1)
    try:
        entrada = _decoder.decode(raw)
        if _quizas_control(raw):
            _revisar_filas(entrada)
    except msgspec.ValidationError as exc:
        raise InputError(linea, _motivo(exc)) from None
    except msgspec.DecodeError as exc:
        raise InputError(linea, f"JSON mal formado: {exc}") from None
    except RecursionError:  # msgspec follows nesting on the C stack, even of unknown fields
        raise InputError(linea, "JSON anidado a demasiada profundidad") from None
    except ValorNoValido as exc:
        raise InputError(linea, str(exc)) from None
    return entrada


def construir(clase: type[E], **campos: Any) -> E:
    """The input ``clase`` built from Python values (a ``Ciclo`` or its text, an aware or
    naive ``at``, row structs), checked exactly as a decoded line; or :class:`InputError`."""
    try:
        entrada = msgspec.convert(campos, clase, dec_hook=_dec_hook)
        _revisar_filas(entrada)
    except msgspec.ValidationError as exc:
        raise InputError(None, _motivo(exc)) from None
    except ValorNoValido as exc:
        raise InputError(None, str(exc)) from None
    return entrada


def encode(entrada: Entrada) -> bytes:
    """The input in the public format: what the store keeps, once."""
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
