"""Snapshots: the engine's whole state as bytes (same state → same bytes), kept beside the store
only to reopen fast (eventsourcing's ``Mapper``). They are disposable: a snapshot written in
another format is ignored and the state replayed from the inputs."""

from __future__ import annotations

import msgspec
import numpy as np

from .calendars import Calendarios, DatosCalendario, Politicas
from .cycle import Ciclo
from .errors import Rechazo
from .motor import COLUMNAS_REGISTRO, CicloEstado, Engine, Lote, Nota

FORMATO = 4  # 2: domain-named columns, no engine refusals in the store; 3: renewal plazos;
# 4: concluido_sin_registro (a procedure the registration ended was «cancelado» before)


class _LoteS(msgspec.Struct, array_like=True):
    entrada: int
    at: int
    ciclo: str | None
    evento: str
    idx: bytes
    desde: bytes
    hacia: bytes
    nota: str


class _CicloS(msgspec.Struct, array_like=True):
    nombre: str
    columnas: dict[str, bytes]
    posicion_de: bytes
    padron_recibido_en: int
    actualizaciones_diarias: list[int]


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


def dump(engine: Engine) -> bytes:
    ciclos = [
        _CicloS(c.nombre, {name: getattr(c, name).tobytes() for name in c.columnas()},
                c.posicion_de.tobytes(), c.padron_recibido_en, list(c.actualizaciones_diarias))
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
        engine.transiciones)
    return msgspec.msgpack.encode(state)


def load(data: bytes) -> Engine | None:
    """The engine a snapshot holds; None for a snapshot written in another format."""
    try:
        s = msgspec.msgpack.decode(data, type=_EngineS)
    except (msgspec.DecodeError, msgspec.ValidationError):
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
        c = CicloEstado(Ciclo.parse(cs.nombre))
        for name in c.columnas():
            dtype = getattr(c, name).dtype
            setattr(c, name, np.frombuffer(cs.columnas[name], dtype=dtype).copy())
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
    return engine
