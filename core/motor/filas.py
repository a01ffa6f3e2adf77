"""Resolving an input's rows to procedures, and the Spanish wording of every row refusal."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np

from .. import inputs as inp
from ..cycle import DIAS_REGULARIZACION
from ..errors import Aviso, Rechazo
from ..etiquetas import ESTADO
from ..lifecycle import Expediente
from ..rfc import check_rfcs, normalize_rfc
from ..table import EXPEDIENTE
from .columnas import EXP, EXP_FINAL, EXP_TABLE, CicloEstado
from .tiempo import fecha, instant


@dataclass
class EnCurso:
    """The accepted count, row refusals and warnings of the input being applied."""

    aceptadas: int = 0
    rechazos: list[Rechazo] = field(default_factory=list)
    avisos: list[Aviso] = field(default_factory=list)


def resolve(index: dict[str, int], entrada: inp.Entrada, result: EnCurso, numero: int,
            c: CicloEstado, rfcs: Sequence[str], filas: Sequence[int | None]
            ) -> tuple[np.ndarray, list[int]]:
    """Map RFC rows to positions in cycle ``c`` (``index``: RFC → contractor id); refuse
    unknown, absent and repeated rows. Returns (positions, row indexes into ``rfcs``) of the rows
    that are in the cycle."""
    pos = c.posicion_de
    # The usual input (every row a distinct contractor of the cycle, its RFC as the index keeps
    # it) is mapped as arrays; any other takes the row-by-row path, which normalizes each RFC
    # and says why a row is refused. (An RFC found as typed is normalized: a key is.)
    get = index.get
    ids = np.array([get(r, -1) for r in rfcs], dtype=np.int64)
    if len(ids) and ids.min() >= 0 and ids.max() < len(pos):
        found = pos[ids]
        if found.min() >= 0 and (len(found) == 1 or np.diff(np.sort(found)).min() > 0):
            return found.astype(np.int32), list(range(len(rfcs)))
    archivo = entrada.archivo
    positions: list[int] = []
    rows: list[int] = []
    seen: dict[int, int] = {}
    tipo = inp.tipo(entrada)
    for k, raw in enumerate(rfcs):
        rfc = normalize_rfc(raw)
        i = index.get(rfc)
        motivo = None
        if i is None:
            check = check_rfcs([rfc])[0]
            motivo = check.error or "RFC desconocido: no está en ningún padrón recibido"
        elif i >= len(pos) or pos[i] < 0:
            motivo = f"no está en el padrón del ciclo {c.nombre}"
        elif pos[i] in seen:
            motivo = f"RFC repetido en la entrada (ya en la fila {seen[pos[i]]})"
        if motivo:
            result.rechazos.append(Rechazo(numero, tipo, rfc, motivo, archivo, filas[k]))
            continue
        seen[int(pos[i])] = filas[k] if filas[k] is not None else k + 1
        positions.append(int(pos[i]))
        rows.append(k)
    return np.array(positions, dtype=np.int32), rows


def refuse_not_allowed(entrada, result, numero, c, positions, rows, rfcs, filas, event,
                       explain: Callable[[int], str]) -> tuple[np.ndarray, list[int]]:
    """Keep the positions where ``event`` is allowed; refuse the rest with ``explain``."""
    allowed = EXP_TABLE[c.estado[positions], EXPEDIENTE.event_code(event)] >= 0
    for p, k in zip(positions[~allowed].tolist(),
                    [k for k, a in zip(rows, allowed.tolist(), strict=True) if not a],
                    strict=True):
        result.rechazos.append(Rechazo(numero, inp.tipo(entrada), normalize_rfc(rfcs[k]),
                                       explain(p), entrada.archivo, filas[k]))
    kept_rows = [k for k, a in zip(rows, allowed.tolist(), strict=True) if a]
    return positions[allowed], kept_rows


def premature(c: CicloEstado, positions: np.ndarray, ronda, today: int) -> dict[int, str]:
    """Opinions sent before the day the round may be consulted, with the reason why."""
    reasons: dict[int, str] = {}
    if ronda not in (2, 3):
        return reasons
    running, consult = (("exhortado", c.dia_segunda_consulta) if ronda == 2
                        else ("en_cancelacion", c.dia_tercera_consulta))
    plazo = ("de regularización (30 días naturales)" if ronda == 2
             else "para manifestar (5 días hábiles)")
    nombre = "segunda" if ronda == 2 else "tercera"
    espera = EXP[Expediente.rondas[ronda].espera]
    for p in positions.tolist():
        state = c.estado[p]
        if state == EXP[running] or (state == espera and consult[p] > today):
            last = int(c.fin_plazo[p])
            extra = ""
            if ronda == 2:
                notified = instant(int(c.exhorto_notificado_en[p])).date()
                bare = (notified + timedelta(days=DIAS_REGULARIZACION)).toordinal()
                if bare != last:
                    extra = (f", prorrogado porque su último día natural, {fecha(bare)}, "
                             "es inhábil (LFPA art. 29)")
            reasons[p] = (f"opinión prematura: el plazo {plazo} vence el {fecha(last)}"
                          f"{extra}; la {nombre} consulta procede a partir del "
                          f"{fecha(int(consult[p]))}")
    return reasons


def premature_mask(c: CicloEstado, positions: np.ndarray, ronda, today: int) -> np.ndarray:
    """Which ``positions`` may not yet be consulted in round ``ronda``."""
    if ronda == 2:
        return c.dia_segunda_consulta[positions] > today
    if ronda == 3:
        return c.dia_tercera_consulta[positions] > today
    return np.zeros(len(positions), dtype=bool)


def state_reason(c: CicloEstado, p: int, accion: str, esperado: str) -> str:
    """Why ``accion`` does not apply to the procedure at ``p`` in its current state."""
    estado = ESTADO[EXPEDIENTE.states[c.estado[p]]]  # the label the operator sees, not the id
    if EXP_FINAL[c.estado[p]]:
        return f"el expediente del ciclo {c.nombre} ya concluyó en «{estado}»"
    return f"{accion} no procede en el estado «{estado}» (procede en «{ESTADO[esperado]}»)"


def aviso(numero: int, tipo: str, archivo: str | None, fila: int | None, k: int, rfc: str,
          texto: str) -> Aviso:
    """A row warning: where it is (the file's row, or the ``k``-th of the input), which RFC,
    what."""
    return Aviso(numero, tipo, rfc, texto, archivo, fila or k + 1)
