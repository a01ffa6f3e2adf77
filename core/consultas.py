"""Read-only queries over an :class:`~repse.core.motor.Engine` that a screen needs and
``core.views`` lacks: the padrón as columns (to filter 150,000 rows in milliseconds), the latest
transitions, a contractor's running plazos and the inputs its procedures can take now.

Nothing here decides anything: states, plazos and events come from the engine's columns, the
compiled charts and ``core.views``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from . import views
from .motor import EXP_FINAL, OPINIONES, CicloEstado, Engine, instant
from .table import EXPEDIENTE, REGISTRO

SIN_ESTADO = -1  # a contractor no cycle's padrón includes (only its registration is known)

# The input that carries each procedure event, for "what can this contractor take now". Events
# the clock fires are listed under ``reloj``; registration events reach a procedure as
# ``registro_terminado``.
ENTRADA_DE_EVENTO: dict[str, str] = {
    "padron_recibido": "padron",
    "opinion_positiva": "opiniones",
    "opinion_negativa": "opiniones",
    "opinion_sin_opinion": "opiniones",
    "exhorto_notificado": "exhorto",
    "fin_plazo_regularizacion": "reloj",
    "inicio_cancelacion": "inicio_cancelacion",
    "fin_plazo_audiencia": "reloj",
    "cancelacion": "cancelacion",
    "cancelacion_impedida": "cancelacion_impedida",
    "criterio_exclusion": "criterio",
    "registro_terminado": "cancelacion_registro",
}


@dataclass
class Padron:
    """Every known contractor as columns, each with its displayed procedure (that of the latest
    cycle whose padrón included it)."""

    ciclos: list[CicloEstado]  # oldest first
    ciclo: np.ndarray  # int16: index into ``ciclos``; -1 without a cycle
    estado: np.ndarray  # int16: EXPEDIENTE state code; SIN_ESTADO without a cycle
    opinion: np.ndarray  # int8: index into engine.OPINIONES (0: none yet)

    def __len__(self) -> int:
        return len(self.estado)

    def conteos(self, ciclo: str | None = None) -> dict[str, int]:
        """Procedures per state, in chart order: of one cycle, or the displayed ones."""
        if ciclo is not None:
            codes = next(c.estado for c in self.ciclos if c.nombre == ciclo)
        else:
            codes = self.estado[self.estado >= 0]
        counts = np.bincount(codes.astype(np.int64), minlength=len(EXPEDIENTE.states))
        return dict(zip(EXPEDIENTE.states, counts.tolist(), strict=True))


def padron(engine: Engine) -> Padron:
    """The padrón's columns, computed from the engine's NumPy columns."""
    n = len(engine.rfcs)
    ciclos, which = engine.ciclo_mostrado()
    estado = np.full(n, SIN_ESTADO, dtype=np.int16)
    opinion = np.zeros(n, dtype=np.int8)
    for k, c in enumerate(ciclos):
        shown = which[c.contratista] == k
        estado[c.contratista[shown]] = c.estado[shown]
        opinion[c.contratista[shown]] = c.opinion[shown]
    return Padron(ciclos, which, estado, opinion)


class Busqueda:
    """``RFC razón social`` of every contractor in upper case, as one text scanned at C speed:
    a substring search over 150,000 names costs milliseconds."""

    def __init__(self, engine: Engine) -> None:
        lines = [f"{r} {n.upper()}" for r, n in
                 zip(engine.rfcs, engine.razon_social, strict=True)]
        self.textos = lines
        self.texto = "\n".join(lines)
        lengths = np.fromiter((len(x) + 1 for x in lines), dtype=np.int64, count=len(lines))
        self.inicios = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)

    def ids(self, q: str) -> np.ndarray:
        """Ids whose text contains ``q`` (already upper case, without a line break)."""
        if self.texto.count(q) > len(self.textos) // 8:  # most lines match: test each line
            return np.fromiter((i for i, t in enumerate(self.textos) if q in t),
                               dtype=np.int64)
        offsets = np.fromiter((m.start() for m in re.finditer(re.escape(q), self.texto)),
                              dtype=np.int64)
        return np.unique(np.searchsorted(self.inicios, offsets, side="right") - 1)


def clave_busqueda(engine: Engine) -> tuple[int, int, int]:
    """Changes when names may have changed (a new contractor or a padrón received)."""
    padrones = sum(1 for lote in engine.lotes if lote.evento == "padron_recibido")
    return id(engine), len(engine.rfcs), padrones


def filtrar(p: Padron, *, estado: int | None = None, opinion: int | None = None,
            texto: str = "", busqueda: Busqueda | None = None,
            dentro: np.ndarray | None = None) -> np.ndarray:
    """Contractor ids matching every filter given, in padrón order. ``texto`` matches a
    substring of the RFC or the razón social (case-insensitive, needs ``busqueda``);
    ``dentro`` narrows an earlier result (an incremental search that only grew)."""
    mask = np.ones(len(p), dtype=bool)
    if estado is not None:
        mask &= p.estado == estado
    if opinion is not None:
        mask &= p.opinion == opinion
    ids = np.flatnonzero(mask)
    if dentro is not None:
        ids = np.intersect1d(ids, dentro, assume_unique=True)
    q = " ".join(texto.upper().split())
    if q and busqueda is not None:
        if len(ids) < 5000:  # a narrow result: check its few lines
            textos = busqueda.textos
            ids = np.fromiter((i for i in ids.tolist() if q in textos[i]), dtype=np.int64)
        else:
            ids = np.intersect1d(ids, busqueda.ids(q), assume_unique=True)
    return ids


def fila(engine: Engine, p: Padron, i: int) -> views.EstadoContratista:
    """The displayed state of contractor ``i`` without scanning the padrón (``views.estado_de``
    given the cycle)."""
    k = int(p.ciclo[i])
    return views.estado_de(engine, i, p.ciclos[k] if k >= 0 else None)


@dataclass(frozen=True)
class Movimiento:
    """One event fired for many contractors by one input: the tablero's latest transitions."""

    at: datetime
    entrada: int
    ciclo: str | None
    evento: str
    contratistas: int
    pasos: tuple[tuple[str, str, int], ...]  # (from, to, how many), most frequent first


def ultimos_movimientos(engine: Engine, cuantos: int = 10) -> list[Movimiento]:
    """The latest batches of transitions, newest first."""
    out = []
    for lote in reversed(engine.lotes[-cuantos:]):
        chart = REGISTRO if lote.ciclo is None else EXPEDIENTE
        pairs, counts = np.unique(np.stack([lote.desde, lote.hacia]), axis=1,
                                  return_counts=True)
        order = np.argsort(-counts, kind="stable")
        pasos = tuple((chart.states[int(pairs[0, j])], chart.states[int(pairs[1, j])],
                       int(counts[j])) for j in order.tolist())
        out.append(Movimiento(instant(lote.at), lote.entrada, lote.ciclo, lote.evento,
                              len(lote.idx), pasos))
    return out


@dataclass(frozen=True)
class Expediente:
    """One procedure of one contractor: its cycle, state, opinion, running plazo and the
    inputs it can take now."""

    ciclo: str
    estado: str
    opinion: str | None
    final: bool
    plazo: views.ProximoPlazo | None
    admite: tuple[tuple[str, str], ...]  # (event, input tipo) the chart allows now


def expedientes(engine: Engine, i: int) -> list[Expediente]:
    """Every procedure of contractor ``i``, oldest cycle first."""
    out = []
    for c in engine.ciclos_ordenados():
        if i >= len(c.posicion_de) or c.posicion_de[i] < 0:
            continue
        p = int(c.posicion_de[i])
        code = int(c.estado[p])
        state = EXPEDIENTE.states[code]
        plazo = views.proximo_plazo(engine, c, p, i)
        if plazo is not None and plazo.plazo in ("inicio_ventana_renovacion", "fin_vigencia"):
            plazo = None  # the registration's plazo, listed apart
        admite = tuple((e, ENTRADA_DE_EVENTO.get(e, e))
                       for e in EXPEDIENTE.allowed_events(state))
        out.append(Expediente(c.nombre, state, OPINIONES[c.opinion[p]] or None,
                              bool(EXP_FINAL[code]), plazo, admite))
    return out


def plazo_registro(engine: Engine, i: int) -> views.ProximoPlazo | None:
    """The registration's own next plazo (renewal window, end of the term)."""
    return views.proximo_plazo(engine, None, -1, i)


def ciclo_actual(engine: Engine) -> CicloEstado | None:
    """The latest cycle opened (the one the tablero shows)."""
    return max(engine.ciclos.values(), key=lambda c: c.ciclo, default=None)


def recorrido(engine: Engine, i: int, ciclo: str) -> list[str]:
    """The states one procedure went through, in order (for the lifecycle drawing)."""
    states = [EXPEDIENTE.states[EXPEDIENTE.initial]]
    for lote in engine.lotes:
        if lote.ciclo != ciclo:
            continue
        hits = np.flatnonzero(lote.idx == i)
        if len(hits):
            target = EXPEDIENTE.states[int(lote.hacia[int(hits[0])])]
            if target != states[-1]:
                states.append(target)
    return states
