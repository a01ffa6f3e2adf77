"""One demo cycle: who is listed at each round, and the files and LEEME.txt that tell it.

About 12 % of the padrón is listed at round 1 (Negativa and Sin opinión), about half of them at
round 2, fewer at round 3; a few of those STPS cannot cancel, and the daily updates follow them.
Same seed, same cycle → the same bytes (the XLSX too: :func:`repse.core.exports.xlsx_bytes` fixes
its dates).
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import numpy as np

from ..calendars import calendarios
from ..cycle import Ciclo, plan_ciclo
from ..errors import DemoError
from ..plazos import next_habil_day
from .archivos import (
    ResumenDemo,
    a_las,
    escribir_acto,
    escribir_diaria,
    escribir_opiniones_ronda1,
    escribir_opiniones_ronda2,
    escribir_opiniones_ronda3,
    escribir_padron,
)
from .contratistas import NANDU, generar_padron
from .leeme import leeme

MINIMO_CONTRATISTAS = 50  # below this, some step of the cycle would have nobody
PROPORCION_RONDA1 = 0.12  # listed at round 1 (the GT sees 10–15 % of the padrón per cycle)
PROPORCION_NEGATIVA = 0.65  # of those listed, Negativa (the rest Sin opinión)
SIGUEN_RONDA2 = 0.5  # of those exhorted, still listed at round 2
SIGUEN_RONDA3 = 0.6  # of those in the cancellation procedure, still listed at round 3
IMPEDIDAS = 0.05  # of those listed at round 3, cancellations STPS cannot execute
DIAS_DIARIOS = 3  # daily updates of the impeded universe
MOTIVO_IMPEDIDA = "Suspensión concedida en juicio de amparo"


def _azar(semilla: int, ciclo: Ciclo) -> tuple[random.Random, np.random.RandomState]:
    """The demo's two sources of randomness, both from the seed and the cycle: numpy's
    RandomState draws the padrón's columns at once (its streams are frozen across numpy
    versions, NEP 19); random.Random makes the few single choices."""
    clave = f"repse-demo/{semilla}/{ciclo}".encode()
    semillas = np.frombuffer(hashlib.sha256(clave).digest(), dtype="<u4")
    return random.Random(clave), np.random.RandomState(semillas)



def generar_demo(contratistas: int, semilla: int, destino: Path,
                 ciclo: Ciclo | None = None) -> ResumenDemo:
    """Write the demo files of ``ciclo`` (default 2026-1) for ``contratistas`` contractors into
    ``destino`` (created if needed) and return what was written."""
    if contratistas < MINIMO_CONTRATISTAS:
        raise DemoError(f"se necesitan al menos {MINIMO_CONTRATISTAS} contratistas para que cada "
                        f"paso del ciclo tenga a alguien (se pidieron {contratistas})")
    ciclo = ciclo or Ciclo(2026, 1)
    cals = calendarios()
    plan = plan_ciclo(ciclo, cals)
    rng, rs = _azar(semilla, ciclo)
    destino = Path(destino)
    destino.mkdir(parents=True, exist_ok=True)
    d0 = plan.fecha_consulta

    padron = generar_padron(rs, contratistas, d0)
    por_rfc = {c.rfc: c for c in padron}
    nandu = next(c for c in padron if c.razon_social == NANDU)

    # Who is listed at each round. ÑANDÚ is listed at rounds 1 and 2, so that its Ñ travels
    # through the Latin-1 file and the XLSX.
    otros = [c.rfc for c in padron if c is not nandu]
    n1 = round(contratistas * PROPORCION_RONDA1)
    ronda1 = [nandu.rfc, *rng.sample(otros, n1 - 1)]
    negativas = set(rng.sample(ronda1, round(n1 * PROPORCION_NEGATIVA)))
    opinion = {rfc: "negativa" if rfc in negativas else "sin_opinion" for rfc in ronda1}
    ronda2 = [nandu.rfc, *rng.sample(ronda1[1:], round(n1 * SIGUEN_RONDA2) - 1)]
    ronda3 = rng.sample([r for r in ronda2 if r != nandu.rfc], round(len(ronda2) * SIGUEN_RONDA3))
    impedidas = sorted(rng.sample(ronda3, max(1, round(len(ronda3) * IMPEDIDAS))))
    canceladas = sorted(set(ronda3) - set(impedidas))
    # A contractor not listed anywhere carries an RFC whose check digit fails (accepted, warned).
    listados = set(ronda1)
    aviso_rfc = next(c.rfc for c in padron if c.rfc not in listados)

    archivos = [
        escribir_padron(rng, rs, destino, padron, aviso_rfc, plan),
        escribir_opiniones_ronda1(rng, destino, [por_rfc[r] for r in ronda1], opinion, plan),
        escribir_acto(destino, "exhorto", "Exhorto notificado (IMSS y STPS)",
                       [por_rfc[r] for r in ronda1], a_las(plan.exhorto, 12), repetida=True),
        escribir_opiniones_ronda2(destino, [por_rfc[r] for r in ronda2], opinion, plan),
        escribir_acto(destino, "inicio_cancelacion",
                       "Inicio del procedimiento de cancelación (STPS)",
                       [por_rfc[r] for r in ronda2], a_las(plan.inicio_cancelacion, 13),
                       sep=";", bom=True),
        escribir_opiniones_ronda3(rng, destino, [por_rfc[r] for r in ronda3], opinion, plan),
        escribir_acto(destino, "cancelacion", "Cancelación de los registros (STPS)",
                       [por_rfc[r] for r in canceladas], a_las(plan.tercera_consulta, 15)),
        escribir_acto(destino, "cancelacion_impedida", "Cancelación impedida (STPS)",
                       [por_rfc[r] for r in impedidas], a_las(plan.tercera_consulta, 16),
                       motivo=MOTIVO_IMPEDIDA),
    ]
    dia = plan.tercera_consulta
    conjunto = cals.conjunto()
    for k in range(1, DIAS_DIARIOS + 1):
        dia = next_habil_day(dia, conjunto)
        siguen = impedidas[: len(impedidas) - (k - 1) * (len(impedidas) // DIAS_DIARIOS)]
        archivos.append(escribir_diaria(destino, k, [por_rfc[r] for r in siguen], opinion,
                                         a_las(dia, 11)))

    resumen = ResumenDemo(
        ciclo=str(ciclo), semilla=semilla, contratistas=contratistas, destino=str(destino),
        archivos=tuple(archivos), negativas_ronda1=len(negativas),
        sin_opinion_ronda1=n1 - len(negativas), ronda2=len(ronda2), ronda3=len(ronda3),
        cancelados=len(canceladas), impedidos=len(impedidas))
    (destino / "LEEME.txt").write_text(leeme(resumen, plan), encoding="utf-8", newline="\n")
    return resumen

