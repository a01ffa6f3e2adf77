"""Reading the engine's state: contractors, obligations (the agenda), histories, statistics.

Everything here is derived from the engine's columns on demand; nothing is stored twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time

import msgspec
import numpy as np

from .cycle import HORA_LISTADO_INICIAL, HORA_LISTADOS, HORA_PADRON
from .motor import EXP, EXP_FINAL, OPINIONES, CicloEstado, Engine, instant
from .plazos import cutoff, next_habil_day
from .table import EXPEDIENTE, REGISTRO

ESTADOS_OBLIGACION = ("pendiente", "cumplida", "extemporanea", "vencida")
CLAVES = ("padron", "listado_inicial", "exhorto", "listado_segunda", "listado_tercera",
          "cancelacion", "actualizacion_diaria")


class Obligacion(msgspec.Struct, frozen=True):
    """One obligation of one institution: per cycle, key and due date (DOMAIN.md rule 7)."""

    ciclo: str
    clave: str
    responsable: str
    limite: datetime
    estado: str
    cumplida_en: datetime | None
    contratistas: int = 0  # how many contractors it concerns (0: the cycle as a whole)
    pendientes: int = 0  # of those, how many the act has not reached yet


class ProximoPlazo(msgspec.Struct, frozen=True):
    plazo: str
    fecha: date


class EstadoContratista(msgspec.Struct, frozen=True):
    estado: str | None
    ciclo: str | None
    opinion: str | None
    registro: str
    proximo_plazo: ProximoPlazo | None


class Paso(msgspec.Struct, frozen=True):
    """One line of a contractor's history."""

    at: datetime
    entrada: int
    evento: str
    actor: str
    ciclo: str | None
    carta: str  # expediente | registro | nota
    desde: str | None
    hacia: str | None
    fundamento: str
    nota: str = ""


def _status(limite: datetime, met: int, complete: bool, reloj: int) -> tuple[str, datetime | None]:
    """DOMAIN.md rule 7: at or before the cut-off *cumplida*, after it *extemporanea*; past the
    cut-off with nothing done *vencida* until met; otherwise *pendiente*."""
    lim = int(limite.timestamp())
    if complete:
        return ("cumplida" if met <= lim else "extemporanea"), instant(met)
    return ("vencida" if reloj > lim else "pendiente"), None


def _groups(c: CicloEstado, due: np.ndarray, met: np.ndarray, needs: np.ndarray, reloj: int,
            clave: str, responsable: str, hour: time | None) -> Iterator[Obligacion]:
    """One obligation per distinct due day among the procedures that ``needs`` it. A procedure
    that ended (final state) before the act no longer counts."""
    left = EXP_FINAL[c.estado] & (met == 0)
    mask = needs & (due > 0) & ~left
    if not mask.any():
        return
    dues, mets = due[mask], met[mask]
    for day in np.unique(dues).tolist():
        m = mets[dues == day]
        complete = bool((m > 0).all())
        limite = cutoff(date.fromordinal(day), hour)
        estado, en = _status(limite, int(m.max()), complete, reloj)
        yield Obligacion(c.nombre, clave, responsable, limite, estado, en, len(m),
                         int((m == 0).sum()))


def obligaciones(engine: Engine) -> list[Obligacion]:
    """The agenda: every obligation of each institution, by cut-off."""
    out: list[Obligacion] = []
    reloj = engine.reloj
    conjunto = engine.cal.conjunto()
    for c in engine.ciclos.values():
        d0 = date.fromordinal(c.d0)
        limite = cutoff(d0, HORA_PADRON)
        out.append(Obligacion(c.nombre, "padron", "stps", limite,
                              *_status(limite, c.padron_recibido_en, True, reloj)))
        received = max(d0, instant(c.padron_recibido_en).date())
        every = np.ones(len(c.estado), dtype=bool)
        day1 = np.full(len(c.estado), received.toordinal(), dtype=np.int32)
        out += _groups(c, day1, c.primera_consulta_recibida, every, reloj, "listado_inicial",
                       "imss", HORA_LISTADO_INICIAL)
        out += _groups(c, c.limite_exhorto, c.exhorto_notificado_en, every, reloj, "exhorto",
                       "gt", None)
        out += _groups(c, c.dia_segunda_consulta, c.segunda_consulta_recibida, every, reloj,
                       "listado_segunda", "imss", HORA_LISTADOS)
        out += _groups(c, c.dia_tercera_consulta, c.tercera_consulta_recibida, every, reloj,
                       "listado_tercera", "imss", HORA_LISTADOS)
        out += _groups(c, c.limite_cancelacion, c.cancelacion_resuelta_en, every, reloj,
                       "cancelacion", "stps", None)
        out += _daily(c, engine, conjunto, reloj)
    out.sort(key=lambda o: (o.limite, o.ciclo, CLAVES.index(o.clave)))
    return out


def _daily(c: CicloEstado, engine: Engine, conjunto, reloj: int) -> Iterator[Obligacion]:
    """While STPS cannot cancel, IMSS deposits updated opinions every hábil day by 12:00
    (numeral 7): one obligation per hábil day on which someone was suspended."""
    since = c.suspendida_desde[c.suspendida_desde > 0]
    if not len(since):
        return
    until = c.suspendida_hasta[c.suspendida_desde > 0]
    today = instant(reloj).date()
    first = next_habil_day(date.fromordinal(int(since.min())), conjunto)
    inputs_by_day: dict[int, int] = {}
    for t in c.actualizaciones_diarias:
        inputs_by_day.setdefault(instant(t).date().toordinal(), t)
    day = first
    while True:
        o = day.toordinal()
        active = ((since < o) & ((until == 0) | (until >= o))).any()
        if not active:
            if (until > 0).all() and o > int(until.max()):
                break
        else:
            limite = cutoff(day, HORA_LISTADOS)
            t = inputs_by_day.get(o)
            estado, en = _status(limite, t or 0, t is not None, reloj)
            yield Obligacion(c.nombre, "actualizacion_diaria", "imss", limite, estado, en)
        if day > today:
            break
        day = next_habil_day(day, conjunto)


# --------------------------------------------------------------------------------------------
def proximo_plazo(engine: Engine, c: CicloEstado | None, p: int, i: int) -> ProximoPlazo | None:
    reg = REGISTRO.states[engine.registro[i]]
    if c is not None:
        state = EXPEDIENTE.states[c.estado[p]]
        column = {"senalado": ("limite_exhorto", c.limite_exhorto),
                  "exhortado": ("fin_plazo_regularizacion", c.fin_plazo),
                  "segunda_consulta": ("segunda_consulta", c.dia_segunda_consulta),
                  "en_cancelacion": ("fin_plazo_audiencia", c.fin_plazo),
                  "tercera_consulta": ("tercera_consulta", c.dia_tercera_consulta),
                  "por_cancelar": ("cancelacion", c.limite_cancelacion)}.get(state)
        if column and column[1][p]:
            return ProximoPlazo(column[0], date.fromordinal(int(column[1][p])))
    if reg == "registro_por_renovar":
        return ProximoPlazo("fin_vigencia", date.fromordinal(int(engine.vence[i]) - 1))
    if reg == "registro_vigente":
        return ProximoPlazo("inicio_ventana_renovacion", date.fromordinal(int(engine.ventana[i])))
    return None


def contratistas(engine: Engine) -> dict[str, EstadoContratista]:
    """RFC → displayed state (that of its latest cycle), for every contractor."""
    ciclos, which = engine.ciclo_mostrado()
    return {rfc: estado_de(engine, i, ciclos[k] if k >= 0 else None)
            for i, (rfc, k) in enumerate(zip(engine.rfcs, which.tolist(), strict=True))}


def estado_de(engine: Engine, i: int, c: CicloEstado | None = None) -> EstadoContratista:
    """Contractor ``i``'s displayed state: that of cycle ``c``, by default its latest."""
    if c is None:
        c = engine.ultimo_ciclo_de(i)
    reg = REGISTRO.states[engine.registro[i]]
    if c is None:
        return EstadoContratista(None, None, None, reg, proximo_plazo(engine, None, -1, i))
    p = int(c.posicion_de[i])
    opinion = OPINIONES[c.opinion[p]] or None
    return EstadoContratista(EXPEDIENTE.states[c.estado[p]], c.nombre, opinion, reg,
                             proximo_plazo(engine, c, p, i))


def historial(engine: Engine, rfc: str) -> list[Paso]:
    """Every transition of one contractor, in effective-time order, with its legal basis."""
    i = engine.index[rfc]
    steps: list[Paso] = []
    for lote in engine.lotes:
        hits = np.flatnonzero(lote.idx == i)
        if not len(hits):
            continue
        k = int(hits[0])
        chart = REGISTRO if lote.ciclo is None else EXPEDIENTE
        src, dst = chart.states[lote.desde[k]], chart.states[lote.hacia[k]]
        info = chart.info[(src, lote.evento)]
        steps.append(Paso(instant(lote.at), lote.entrada, lote.evento, info.actor, lote.ciclo,
                          "registro" if lote.ciclo is None else "expediente", src, dst,
                          info.fundamento, lote.nota))
    for nota in engine.notas:
        if nota.idx == i:
            steps.append(Paso(instant(nota.at), nota.entrada, "manifestacion", "stps", nota.ciclo,
                              "nota", None, None, "Acuerdo REPSE, DÉCIMO QUINTO (audiencia)",
                              nota.texto))
    steps.sort(key=lambda s: (s.at, s.entrada))
    return steps


class Estadisticas(msgspec.Struct, frozen=True):
    ciclo: str
    padron: int
    negativa: int
    sin_opinion: int
    exhortados: int
    regularizados_ronda2: int
    regularizados_ronda3: int
    regularizados_diaria: int
    cancelados: int
    suspendidos: int
    excluidos: int
    por_estado: dict[str, int]


def estadisticas(engine: Engine, ciclo: str) -> Estadisticas:
    c = engine.ciclos[ciclo]
    count = {name: 0 for name in ("exh", "r2", "r3", "rd", "canc", "susp", "excl")}
    src_key = {"segunda_consulta": "r2", "tercera_consulta": "r3",
               "cancelacion_suspendida": "rd"}
    for lote in engine.lotes:
        if lote.ciclo != ciclo:
            continue
        if lote.evento == "exhorto_notificado":
            count["exh"] += len(lote.idx)
        elif lote.evento == "opinion_positiva":
            for state, key in src_key.items():
                count[key] += int((lote.desde == EXP[state]).sum())
        elif lote.evento in ("cancelacion", "registro_terminado"):
            count["canc"] += len(lote.idx)
        elif lote.evento == "cancelacion_impedida":
            count["susp"] += len(lote.idx)
        elif lote.evento == "criterio_exclusion":
            count["excl"] += len(lote.idx)
    states = np.bincount(c.estado, minlength=len(EXPEDIENTE.states))
    return Estadisticas(
        ciclo, len(c.contratista),
        int((c.opinion_ronda1 == OPINIONES.index("negativa")).sum()),
        int((c.opinion_ronda1 == OPINIONES.index("sin_opinion")).sum()),
        count["exh"], count["r2"], count["r3"], count["rd"], count["canc"], count["susp"],
        count["excl"],
        {s: int(n) for s, n in zip(EXPEDIENTE.states, states.tolist(), strict=True) if n},
    )
