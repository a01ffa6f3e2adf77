"""Snapshots: the engine's whole state as bytes (same state → same bytes), kept beside the store
only to reopen fast (eventsourcing's ``Mapper``). They are disposable: a snapshot written in
another format is ignored and the state replayed from the inputs. A cycle's columns are kept
as the value most rows hold and the rows that differ, and the whole is compressed (zlib at its
fastest level), so that a store keeping two of them grows by its inputs rather than by its
state, and reopening decodes little."""

from __future__ import annotations

import zlib

import msgspec
import numpy as np

from . import inputs
from .calendars import Calendarios, DatosCalendario, Politicas
from .cycle import Ciclo
from .declaraciones import Periodo
from .errors import Rechazo
from .motor import (
    COLUMNAS_DECLARACION,
    COLUMNAS_REGISTRO,
    CambioFechaConsulta,
    CicloEstado,
    Engine,
    Lote,
    Nota,
    PeriodoEstado,
)
from .motor.compartida import reservar, sellar

_POR_CONTRATISTA = (*COLUMNAS_REGISTRO, *COLUMNAS_DECLARACION)

# 2: domain-named columns, no engine refusals in the store; 3: renewal plazos; 4: a cycle's D0
# and the criteria that moved it; 5: compressed, sparse columns; 6: concluido_sin_registro (a
# procedure the registration ended was «cancelado» before); 7: no «suspendida_hasta» column;
# 8: the four-monthly reports (LSS art. 15 A); batches kept compact (below); the documents'
# membrete
# 9: the rows each input applied (the input log listed without a replay)
FORMATO = 9


class _LoteS(msgspec.Struct, array_like=True):
    """A batch of history. Its rows usually ascend close together and its from/to states are
    one each (a batch is one event over rows of one state), so it is kept as its first row and
    the one-byte steps to the next, and each state once; as arrays otherwise. The history of
    ten cycles of 150,000 contractors is four million transitions: 23 MB as arrays, 4 as
    steps (which compress well and decode with one sum)."""

    entrada: int
    at: int
    ciclo: str | None
    evento: str
    n: int  # rows
    primero: int | None  # the first row, ``idx`` the uint8 steps; None: ``idx`` is int32 rows
    idx: bytes
    desde: bytes  # one int8 when every row has it
    hacia: bytes
    nota: str


def _lote(lo: Lote) -> _LoteS:
    idx = lo.idx.astype(np.int64)
    pasos = np.diff(idx)
    if len(idx) > 1 and pasos.min() >= 1 and pasos.max() <= 255:
        primero, filas = int(idx[0]), pasos.astype(np.uint8).tobytes()
    else:
        primero, filas = None, idx.astype(np.int32).tobytes()
    return _LoteS(lo.entrada, lo.at, lo.ciclo, lo.evento, len(idx), primero, filas,
                  _estados(lo.desde), _estados(lo.hacia), lo.nota)


def _estados(v: np.ndarray) -> bytes:
    v = v.astype(np.int8)
    return v[:1].tobytes() if len(v) and (v == v[0]).all() else v.tobytes()


def _de_estados(b: bytes, n: int) -> np.ndarray:
    v = np.frombuffer(b, dtype=np.int8)
    return np.full(n, v[0], dtype=np.int8) if len(v) == 1 and n != 1 else v


def _de_lote(lo: _LoteS) -> Lote:
    if lo.primero is None:
        idx = np.frombuffer(lo.idx, dtype=np.int32)
    else:
        idx = np.empty(lo.n, dtype=np.int32)
        idx[0] = lo.primero
        np.cumsum(np.frombuffer(lo.idx, dtype=np.uint8), out=idx[1:])
        idx[1:] += lo.primero
    return Lote(lo.entrada, lo.at, lo.ciclo, lo.evento, idx, _de_estados(lo.desde, lo.n),
                _de_estados(lo.hacia, lo.n), lo.nota)


class _Columna(msgspec.Struct, array_like=True):
    """A cycle's column: most of its rows keep one value (a date not reached yet, a state
    nobody left), so it is kept as that value and the rows that differ; whole otherwise."""

    n: int
    fondo: bytes  # the value most rows hold (one element); empty: ``valores`` is the column
    idx: bytes  # int32 rows that differ from it
    valores: bytes


def _columna(v: np.ndarray) -> _Columna:
    idx = np.flatnonzero(v != v[0]) if len(v) else np.zeros(0, dtype=np.int64)
    if len(idx) * 4 > len(v):
        return _Columna(len(v), b"", b"", v.tobytes())
    return _Columna(len(v), v[:1].tobytes(), idx.astype(np.int32).tobytes(), v[idx].tobytes())


def _entera(valores: bytes, dtype: np.dtype) -> _Columna:
    """A column kept whole, as one kept sparse would be."""
    return _Columna(len(valores) // dtype.itemsize, b"", b"", valores)


def _llenar(v: np.ndarray, c: _Columna) -> None:
    """Fill ``v`` (``c.n`` rows) with the column ``c`` keeps."""
    if not c.fondo:
        v[:] = np.frombuffer(c.valores, dtype=v.dtype)
        return
    v[:] = np.frombuffer(c.fondo, dtype=v.dtype)[0]
    v[np.frombuffer(c.idx, dtype=np.int32)] = np.frombuffer(c.valores, dtype=v.dtype)


class _CicloS(msgspec.Struct, array_like=True):
    nombre: str
    columnas: dict[str, _Columna]
    posicion_de: bytes
    padron_recibido_en: int
    actualizaciones_diarias: list[int]
    d0: int
    fechas_consulta: list[CambioFechaConsulta]


class _EngineS(msgspec.Struct, array_like=True):
    formato: int
    datos: DatosCalendario
    politicas: Politicas
    reloj: int
    rfcs: list[str]
    razon_social: list[str]
    folio: list[str]
    correo: list[str | None]
    domicilio: list[str | None]
    arrays: dict[str, bytes]
    ciclos: list[_CicloS]
    lotes: list[_LoteS]
    notas: list[tuple[int, int, str, int, str]]
    rechazos: list[Rechazo]
    transiciones: int
    periodos: dict[str, dict[str, _Columna]]
    membrete: bytes | None  # the input in force, in the public format
    aceptadas: dict[int, int]


def _membrete(engine: Engine) -> bytes | None:
    """The membrete in force, in the public input format."""
    return inputs.encode(engine.membrete) if engine.membrete else None


def dump(engine: Engine) -> bytes:
    ciclos = [
        _CicloS(c.nombre, {name: _columna(getattr(c, name)) for name in c.columnas()},
                c.posicion_de.tobytes(), c.padron_recibido_en, list(c.actualizaciones_diarias),
                c.d0, list(c.fechas_consulta))
        for c in engine.ciclos.values()
    ]
    lotes = [_lote(lo) for lo in engine.lotes]
    state = _EngineS(
        FORMATO, engine.cal.datos, engine.cal.politicas, engine.reloj, engine.rfcs,
        engine.razon_social, engine.folio, engine.correo, engine.domicilio,
        {name: getattr(engine, name).tobytes() for name in _POR_CONTRATISTA}, ciclos, lotes,
        [(n.entrada, n.at, n.ciclo, n.idx, n.texto) for n in engine.notas], engine.rechazos,
        engine.transiciones,
        {k: {name: _columna(getattr(p, name)) for name in p.columnas()}
         for k, p in engine.periodos.items()},
        _membrete(engine), engine.aceptadas)
    return zlib.compress(msgspec.msgpack.encode(state), 1)


class _Diferencia(msgspec.Struct, array_like=True):
    """The rows of a column where a state differs from its base, and its values there."""

    idx: bytes  # int32
    valores: bytes


class _CicloR(msgspec.Struct, array_like=True):
    columnas: dict[str, _Diferencia]
    posicion_de: _Diferencia
    padron_recibido_en: int
    actualizaciones_diarias: list[int]
    d0: int
    fechas_consulta: list[CambioFechaConsulta]


class _RelativaS(msgspec.Struct, array_like=True):
    """A state kept as what differs from a base state (the snapshot of the log head, whose
    ``resumen`` it names) with the same contractors and cycles: a checkpoint of the latest
    cycle is then a few MB that a copy of the head's state turns back into the whole, instead
    of a whole snapshot to decode."""

    formato: int
    base: str
    datos: DatosCalendario
    politicas: Politicas
    reloj: int
    arrays: dict[str, _Diferencia]
    ciclos: dict[str, _CicloR]
    lotes: int  # the first this many of the base's batches
    notas: list[tuple[int, int, str, int, str]]
    rechazos: list[Rechazo]
    transiciones: int
    periodos: dict[str, dict[str, _Diferencia]]
    membrete: bytes | None
    aceptadas: dict[int, int]


def _diferencia(v: np.ndarray, base: np.ndarray) -> _Diferencia | None:
    if v.dtype != base.dtype or v.shape != base.shape:
        return None
    idx = np.flatnonzero(v != base)
    return _Diferencia(idx.astype(np.int32).tobytes(), v[idx].tobytes())


def _aplicar(v: np.ndarray, d: _Diferencia) -> None:
    v[np.frombuffer(d.idx, dtype=np.int32)] = np.frombuffer(d.valores, dtype=v.dtype)


def dump_relativo(engine: Engine, base: Engine, resumen: str) -> bytes | None:
    """``engine`` as what differs from ``base`` (the state of the snapshot whose summary is
    ``resumen``); None when they do not share their contractors, cycles and batches of
    history, or ``engine`` applied a batch ``base`` does not have: then only :func:`dump`
    keeps it."""
    if list(engine.ciclos) != list(base.ciclos) or len(engine.lotes) > len(base.lotes) \
            or any(a is not b for a, b in zip(engine.lotes, base.lotes, strict=False)):
        return None
    if any(getattr(engine, n) != getattr(base, n)
           for n in ("rfcs", "razon_social", "folio", "correo", "domicilio")):
        return None
    if any(k not in base.periodos for k in engine.periodos):
        return None  # (a checkpoint may miss periods the head's clock opened since: dropped)
    arrays = {n: _diferencia(getattr(engine, n), getattr(base, n)) for n in _POR_CONTRATISTA}
    periodos = {k: {n: _diferencia(getattr(p, n), getattr(base.periodos[k], n))
                    for n in p.columnas()} for k, p in engine.periodos.items()}
    if any(None in columnas.values() for columnas in periodos.values()):
        return None
    ciclos: dict[str, _CicloR] = {}
    for nombre, c in engine.ciclos.items():
        b = base.ciclos[nombre]
        columnas = {n: _diferencia(getattr(c, n), getattr(b, n)) for n in c.columnas()}
        posicion = _diferencia(c.posicion_de, b.posicion_de)
        if posicion is None or None in columnas.values():
            return None
        ciclos[nombre] = _CicloR(columnas, posicion, c.padron_recibido_en,  # type: ignore[arg-type]
                                 list(c.actualizaciones_diarias), c.d0, list(c.fechas_consulta))
    if None in arrays.values():
        return None
    state = _RelativaS(
        FORMATO, resumen, engine.cal.datos, engine.cal.politicas, engine.reloj,
        arrays, ciclos, len(engine.lotes),  # type: ignore[arg-type]
        [(n.entrada, n.at, n.ciclo, n.idx, n.texto) for n in engine.notas], engine.rechazos,
        engine.transiciones, periodos, _membrete(engine),  # type: ignore[arg-type]
        engine.aceptadas)
    return zlib.compress(msgspec.msgpack.encode(state), 1)


def base_de(data: bytes) -> str | None:
    """The summary of the snapshot a relative one is kept against; None for a whole one (or
    one that cannot be read: :func:`load` says which)."""
    try:
        s = _relativa(zlib.decompress(data))
    except zlib.error:
        return None
    return None if s is None else s.base


def _relativa(plano: bytes) -> _RelativaS | None:
    try:
        s = msgspec.msgpack.decode(plano, type=_RelativaS)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    return s if s.formato == FORMATO else None


def load(data: bytes, base: tuple[str, Engine] | None = None, *, compartida: bool = False
         ) -> Engine | None:
    """The engine a snapshot holds; None for a snapshot written in another format, or kept
    against a base other than ``base`` (the summary of the head's snapshot and its state).
    With ``compartida``, its columns are sealed and shared by its copies until they write them
    (``motor.compartida``): for a state never changed in place, the base of the others."""
    return leer(data, base, compartida=compartida)[0]


def leer(data: bytes, base: tuple[str, Engine] | None = None, *, compartida: bool = False
         ) -> tuple[Engine | None, str | None]:
    """What :func:`load` and :func:`base_de` say of a snapshot, decompressed once."""
    try:
        plano = zlib.decompress(data)
    except zlib.error:
        return None, None
    try:
        s = msgspec.msgpack.decode(plano, type=_EngineS)
    except (msgspec.DecodeError, msgspec.ValidationError):
        r = _relativa(plano)
        if r is None:
            return None, None
        if base is None or r.base != base[0]:
            return None, r.base
        return _de_relativa(r, base[1]), r.base
    if s.formato != FORMATO:
        return None, None
    return _de_entera(s, compartida), None


def _de_entera(s: _EngineS, compartida: bool) -> Engine:
    engine = Engine(Calendarios(s.datos, s.politicas))
    engine.reloj = s.reloj
    engine.rfcs, engine.razon_social, engine.folio = s.rfcs, s.razon_social, s.folio
    engine.correo, engine.domicilio = s.correo, s.domicilio
    engine.index = dict(zip(s.rfcs, range(len(s.rfcs)), strict=True))
    # Every column: what holds it, its name, and how it is kept; allocated at once (in one
    # memory file when ``compartida``), then filled.
    fuentes: list[tuple[object, str, _Columna]] = [
        (engine, name, _entera(s.arrays[name], getattr(engine, name).dtype))
        for name in _POR_CONTRATISTA]
    for k, columnas in s.periodos.items():
        p = engine.periodos[k] = PeriodoEstado(Periodo.parse(k))
        fuentes += [(p, name, columnas[name]) for name in p.columnas()]
    for cs in s.ciclos:
        c = CicloEstado(Ciclo.parse(cs.nombre), d0=cs.d0, fechas_consulta=cs.fechas_consulta)
        fuentes += [(c, name, cs.columnas[name]) for name in c.columnas()]
        fuentes.append((c, "posicion_de", _entera(cs.posicion_de, c.posicion_de.dtype)))
        c.padron_recibido_en, c.actualizaciones_diarias = (cs.padron_recibido_en,
                                                           cs.actualizaciones_diarias)
        engine.ciclos[c.nombre] = c
    arrays = reservar([(col.n, getattr(obj, name).dtype) for obj, name, col in fuentes],
                      compartida=compartida)
    for (obj, name, col), v in zip(fuentes, arrays, strict=True):
        _llenar(v, col)
        setattr(obj, name, v)
    sellar(arrays)
    engine.lotes = [_de_lote(lo) for lo in s.lotes]
    engine.notas = [Nota(*n) for n in s.notas]
    engine.rechazos = s.rechazos
    engine.aceptadas = s.aceptadas
    engine.transiciones = s.transiciones
    if s.membrete is not None:
        engine.membrete = inputs.decode(s.membrete)  # type: ignore[assignment]
    return engine


def _de_relativa(r: _RelativaS, base: Engine) -> Engine | None:
    engine = base.copia()
    if (r.datos, r.politicas) != (base.cal.datos, base.cal.politicas):
        engine.cal = Calendarios(r.datos, r.politicas)
    if list(r.ciclos) != list(engine.ciclos) or r.lotes > len(engine.lotes) \
            or set(r.arrays) != set(_POR_CONTRATISTA) \
            or any(k not in engine.periodos for k in r.periodos):
        return None
    engine.periodos = {k: engine.periodos[k] for k in r.periodos}
    engine.reloj, engine.transiciones = r.reloj, r.transiciones
    for name, d in r.arrays.items():
        _aplicar(getattr(engine, name), d)
    for nombre, cr in r.ciclos.items():
        c = engine.ciclos[nombre]
        if set(cr.columnas) != set(c.columnas()):
            return None
        for name, d in cr.columnas.items():
            _aplicar(getattr(c, name), d)
        _aplicar(c.posicion_de, cr.posicion_de)
        c.padron_recibido_en, c.actualizaciones_diarias = (cr.padron_recibido_en,
                                                           cr.actualizaciones_diarias)
        c.d0, c.fechas_consulta = cr.d0, cr.fechas_consulta
    for k, columnas in r.periodos.items():
        p = engine.periodos[k]
        if set(columnas) != set(p.columnas()):
            return None
        for name, d in columnas.items():
            _aplicar(getattr(p, name), d)
    engine.lotes = engine.lotes[:r.lotes]
    engine.membrete = inputs.decode(r.membrete) if r.membrete else None  # type: ignore[assignment]
    engine.notas = [Nota(*n) for n in r.notas]
    engine.rechazos = r.rechazos
    engine.aceptadas = r.aceptadas
    return engine
