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
from .errors import Rechazo
from .motor import COLUMNAS_REGISTRO, CambioFechaConsulta, CicloEstado, Engine, Lote, Nota

# 2: domain-named columns, no engine refusals in the store; 3: renewal plazos; 4: a cycle's D0
# and the criteria that moved it; 5: compressed, sparse columns; 6: concluido_sin_registro (a
# procedure the registration ended was «cancelado» before); 7: no «suspendida_hasta» column;
# 8: the documents' membrete
FORMATO = 8


class _LoteS(msgspec.Struct, array_like=True):
    entrada: int
    at: int
    ciclo: str | None
    evento: str
    idx: bytes
    desde: bytes
    hacia: bytes
    nota: str


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


def _de_columna(c: _Columna, dtype: np.dtype) -> np.ndarray:
    if not c.fondo:
        return np.frombuffer(c.valores, dtype=dtype).copy()
    v = np.full(c.n, np.frombuffer(c.fondo, dtype=dtype)[0], dtype=dtype)
    v[np.frombuffer(c.idx, dtype=np.int32)] = np.frombuffer(c.valores, dtype=dtype)
    return v


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
    membrete: bytes | None  # the input in force, in the public format


def dump(engine: Engine) -> bytes:
    ciclos = [
        _CicloS(c.nombre, {name: _columna(getattr(c, name)) for name in c.columnas()},
                c.posicion_de.tobytes(), c.padron_recibido_en, list(c.actualizaciones_diarias),
                c.d0, list(c.fechas_consulta))
        for c in engine.ciclos.values()
    ]
    lotes = [_LoteS(lo.entrada, lo.at, lo.ciclo, lo.evento, lo.idx.astype(np.int32).tobytes(),
                    lo.desde.astype(np.int8).tobytes(), lo.hacia.astype(np.int8).tobytes(),
                    lo.nota) for lo in engine.lotes]
    state = _EngineS(
        FORMATO, engine.cal.datos, engine.cal.politicas, engine.reloj, engine.rfcs,
        engine.razon_social, engine.folio, engine.correo, engine.domicilio,
        {name: getattr(engine, name).tobytes() for name in COLUMNAS_REGISTRO}, ciclos, lotes,
        [(n.entrada, n.at, n.ciclo, n.idx, n.texto) for n in engine.notas], engine.rechazos,
        engine.transiciones, inputs.encode(engine.membrete) if engine.membrete else None)
    return zlib.compress(msgspec.msgpack.encode(state), 1)


def load(data: bytes) -> Engine | None:
    """The engine a snapshot holds; None for a snapshot written in another format."""
    try:
        s = msgspec.msgpack.decode(zlib.decompress(data), type=_EngineS)
    except (zlib.error, msgspec.DecodeError, msgspec.ValidationError):
        return None
    if s.formato != FORMATO:
        return None
    engine = Engine(Calendarios(s.datos, s.politicas))
    engine.reloj = s.reloj
    engine.rfcs, engine.razon_social, engine.folio = s.rfcs, s.razon_social, s.folio
    engine.correo, engine.domicilio = s.correo, s.domicilio
    engine.index = {rfc: i for i, rfc in enumerate(s.rfcs)}
    for name in COLUMNAS_REGISTRO:
        dtype = getattr(engine, name).dtype
        setattr(engine, name, np.frombuffer(s.arrays[name], dtype=dtype).copy())
    for cs in s.ciclos:
        c = CicloEstado(Ciclo.parse(cs.nombre), d0=cs.d0, fechas_consulta=cs.fechas_consulta)
        for name in c.columnas():
            dtype = getattr(c, name).dtype
            setattr(c, name, _de_columna(cs.columnas[name], dtype))
        c.posicion_de = np.frombuffer(cs.posicion_de, dtype=np.int32).copy()
        c.padron_recibido_en, c.actualizaciones_diarias = (cs.padron_recibido_en,
                                                           cs.actualizaciones_diarias)
        engine.ciclos[c.nombre] = c
    engine.lotes = [Lote(lo.entrada, lo.at, lo.ciclo, lo.evento,
                         np.frombuffer(lo.idx, dtype=np.int32),
                         np.frombuffer(lo.desde, dtype=np.int8),
                         np.frombuffer(lo.hacia, dtype=np.int8), lo.nota) for lo in s.lotes]
    engine.notas = [Nota(*n) for n in s.notas]
    engine.rechazos = s.rechazos
    engine.transiciones = s.transiciones
    if s.membrete is not None:
        engine.membrete = inputs.decode(s.membrete)  # type: ignore[assignment]
    return engine
