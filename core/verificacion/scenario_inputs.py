"""The GT scenarios (``.scenarios``) as the engine's public input format, JSON Lines.

Each input step of a scenario becomes one input at its moment; clock steps become ``reloj``
inputs (a registration's clock step before the padrón is left to the engine, which fires it with
its own moment when the contractor appears); consequences are not inputs — the engine must
produce them by itself, and the tests compare its history with the scenario's trace.
"""

from __future__ import annotations

from datetime import date

from ..lifecycle import Expediente, Registro, parse_ronda
from .scenarios import Escenario, Paso

RFC = "MAB9307148T4"
RAZON_SOCIAL = "Servicios Especializados del Bajío, S.A. de C.V."
# The scenarios of a registration that expires or renews name its start; the others start
# mid-2024.
FECHA_REGISTRO = {"registro_vence_sin_renovar": date(2023, 2, 20),
                  "renovacion_afirmativa_ficta": date(2023, 5, 31)}
DEFAULT_FECHA_REGISTRO = date(2024, 6, 1)

_OPINION = {evento: opinion for opinion, evento in Expediente.opiniones.items()}
_RENOVACION = {evento: resultado for resultado, evento in Registro.renovaciones.items()}


def entrada(paso: Paso, escenario: Escenario, rfc: str = RFC) -> dict | None:
    """The input of one scenario step, or None for a consequence."""
    if paso.consecuencia:
        return None
    base = {"at": paso.fecha, "actor": paso.actor}
    e = paso.evento
    if paso.actor == "reloj":
        return {"tipo": "reloj", "at": paso.fecha, "actor": "gt"}
    if e == "padron_recibido":
        start = FECHA_REGISTRO.get(escenario.clave, DEFAULT_FECHA_REGISTRO)
        return {"tipo": "padron", **base, "ciclo": paso.ciclo, "contratistas": [
            {"rfc": rfc, "razon_social": RAZON_SOCIAL, "folio": "REPSE-0001",
             "fecha_registro": start.isoformat()}]}
    tipo = Expediente.entradas.get(e) if paso.chart == "expediente" else None
    if tipo == "opiniones":
        return {"tipo": "opiniones", **base, "ciclo": paso.ciclo,
                "ronda": parse_ronda(paso.ronda or ""),
                "resultados": [{"rfc": rfc, "opinion": _OPINION[e]}]}
    if tipo == "criterio":
        return {"tipo": "criterio", **base, "ciclo": paso.ciclo, "rfcs": [rfc],
                "texto": paso.nota, "efecto": "excluir"}
    if tipo in ("exhorto", "inicio_cancelacion", "cancelacion", "cancelacion_impedida"):
        extra = {"motivo": paso.nota} if e == "cancelacion_impedida" else {}
        return {"tipo": tipo, **base, "ciclo": paso.ciclo, "rfcs": [rfc], **extra}
    if e in _RENOVACION:
        return {"tipo": "renovacion", **base, "rfc": rfc, "resultado": _RENOVACION[e]}
    if e == "cancelacion_registro":
        return {"tipo": "cancelacion_registro", **base, "rfcs": [rfc],
                "causa": paso.causa or "otra", "motivo": paso.nota}
    raise ValueError(f"{escenario.clave}: no input for the step «{e}»")


def entradas(escenario: Escenario, rfc: str = RFC) -> list[tuple[Paso, dict]]:
    """(step, input) for every step that is an input, in order. A registration clock step
    dated before the padrón is skipped: there is no contractor yet to advance."""
    out: list[tuple[Paso, dict]] = []
    padron_seen = False
    for paso in escenario.pasos:
        padron_seen = padron_seen or paso.evento == "padron_recibido"
        obj = entrada(paso, escenario, rfc)
        if obj is None or (obj["tipo"] == "reloj" and not padron_seen):
            continue
        out.append((paso, obj))
    return out
