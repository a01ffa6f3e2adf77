"""The paths that matter to the GT, written by hand as data, and their traces.

Each :class:`Escenario` is a sequence of :class:`Paso`: an event on one chart (the registration,
or the expediente of one cycle), the actor that issues it, the nominal moment it happens
(ISO 8601 in America/Mexico_City, taken from ``repse plan --ciclo 2026-1 --json`` and, for the
second cycle, ``--ciclo 2026-2``) and, for opinions, the round. ``.scenario_inputs`` turns
each input step into a timestamped input of the engine; steps marked ``consecuencia`` are not
inputs but what one chart does to the other (the charts' ``efectos``), and :func:`ejecutar`
checks that each scenario lists exactly those. A step marked ``rechazo`` must be refused by the
chart.

>>> trace = ejecutar(ESCENARIOS["excluido_por_criterio"])
>>> trace.estados
{'registro': 'registro_vigente', 'expediente 2026-1': 'excluido'}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from statemachine.exceptions import TransitionNotAllowed

from ..lifecycle import CAUSAS, CHARTS, Actor, CausaCancelacion, Chart, Expediente, parse_ronda
from ..table import TABLES, CompiledChart, EventoNoPermitido, TransitionInfo
from .paths import current_state, format_step

ChartName = Literal["expediente", "registro"]
Ronda = Literal["1", "2", "3", "diaria"]


@dataclass(frozen=True)
class Paso:
    """One step of a scenario."""

    chart: ChartName
    evento: str
    actor: Actor
    fecha: str = ""
    """ISO 8601 moment of the step (``2026-01-26T10:00-06:00``); "" where it does not matter."""
    ciclo: str = ""
    """The cycle of the expediente (``2026-1``); "" for the registration."""
    ronda: Ronda | None = None
    """The round of an opinion (``Expediente.rondas``)."""
    nota: str = ""
    """What happens, in the GT's words (Spanish)."""
    consecuencia: bool = False
    """Not an input: one chart's effect on the other, fired at the same moment."""
    rechazo: bool = False
    """The input does not fit the state: the chart (and so the engine) must refuse it."""
    causa: CausaCancelacion | None = None
    """The cause a registration cancelled outside a cycle states (``cancelacion_registro``)."""

    @property
    def maquina(self) -> str:
        return f"expediente {self.ciclo}" if self.chart == "expediente" else "registro"

    @property
    def momento(self) -> datetime | None:
        return datetime.fromisoformat(self.fecha) if self.fecha else None


@dataclass(frozen=True)
class Escenario:
    clave: str
    titulo: str
    descripcion: str
    pasos: tuple[Paso, ...]


class EscenarioInvalido(AssertionError):
    """A scenario that does not match the charts (a missing or extra consequence, a refusal
    that the chart accepts, an actor or round that is not the chart's)."""


# --------------------------------------------------------------------------------------------
# Nominal moments (repse plan --ciclo 2026-1 --json; --ciclo 2026-2 for the padrón of July)
# --------------------------------------------------------------------------------------------
D0 = "2026-01-26"
PADRON = f"{D0}T10:00-06:00"
RONDA_1 = f"{D0}T18:00-06:00"
EXHORTO = "2026-01-29T10:00-06:00"  # the last day of its window (3 hábil days)
FIN_REGULARIZACION = "2026-03-03T00:00-06:00"  # the plazo ended with 2026-03-02 (prórroga)
RONDA_2 = "2026-03-03T12:00-06:00"  # D2
INICIO_CANCELACION = "2026-03-03T13:00-06:00"
FIN_AUDIENCIA = "2026-03-11T00:00-06:00"  # the 5 hábil days ended with 2026-03-10
RONDA_3 = "2026-03-11T12:00-06:00"  # D3
CANCELACION = "2026-03-11T17:00-06:00"  # the same day as D3 (numeral 6)
DIARIA_1 = "2026-03-12T12:00-06:00"
DIARIA_2 = "2026-03-13T12:00-06:00"
PADRON_2026_2 = "2026-07-27T10:00-06:00"
RONDA_1_2026_2 = "2026-07-27T18:00-06:00"
C1 = "2026-1"


def _exp(evento: str, actor: Actor, fecha: str, ronda: Ronda | None = None, nota: str = "",
         ciclo: str = C1, **kw) -> Paso:
    return Paso("expediente", evento, actor, fecha, ciclo, ronda, nota, **kw)


def _reg(evento: str, actor: Actor, fecha: str, nota: str = "", **kw) -> Paso:
    return Paso("registro", evento, actor, fecha, nota=nota, **kw)


def _inicio(opinion: str = "opinion_negativa") -> tuple[Paso, ...]:
    """Padrón, a round-1 opinion that is not positiva, the exhorto and the end of its plazo."""
    return (
        _exp("padron_recibido", "stps", PADRON, nota="La STPS entrega el padrón por oficio."),
        _exp(opinion, "imss", RONDA_1, "1", "Aparece en el listado de la ronda 1."),
        _exp("exhorto_notificado", "gt", EXHORTO,
             nota="Exhorto conjunto; plazo de regularización del 2026-01-30 al 2026-02-28 "
                  "(sábado), prorrogado al lunes 2026-03-02."),
        _exp("fin_plazo_regularizacion", "reloj", FIN_REGULARIZACION,
             nota="Venció el plazo de regularización; D2 es el martes 2026-03-03."),
    )


def _hasta_tercera(opinion: str = "opinion_negativa") -> tuple[Paso, ...]:
    """From the padrón to a round-3 opinion that is not positiva."""
    return (
        *_inicio(opinion),
        _exp(opinion, "imss", RONDA_2, "2", "Sigue en el listado de la ronda 2."),
        _exp("inicio_cancelacion", "stps", INICIO_CANCELACION,
             nota="Plazo para manifestar: 03-04, 03-05, 03-06, 03-09 y 03-10."),
        _exp("fin_plazo_audiencia", "reloj", FIN_AUDIENCIA,
             nota="Venció el plazo de 5 días hábiles; D3 es el miércoles 2026-03-11."),
        _exp(opinion, "imss", RONDA_3, "3", "Sigue en el listado que el IMSS remite por oficio."),
    )


def _impedida() -> tuple[Paso, ...]:
    """To a cancellation impeded at D3 and a first daily update that is still negativa."""
    return (
        *_hasta_tercera(),
        _exp("cancelacion_impedida", "stps", CANCELACION,
             nota="La STPS no puede cancelar y pide al IMSS la opinión diaria."),
        _exp("opinion_negativa", "imss", DIARIA_1, "diaria",
             "Actualización diaria: sigue negativa."),
    )


_CANCELA_REGISTRO = _reg("cancelacion_registro", "stps", CANCELACION,
                         "La cancelación del procedimiento cancela el registro.",
                         consecuencia=True)

ESCENARIOS: Mapping[str, Escenario] = {e.clave: e for e in (
    Escenario(
        "paga_durante_exhorto",
        "El contratista que paga durante el exhorto",
        "Regulariza su adeudo antes de que venza el plazo de 30 días naturales. La opinión "
        "positiva que el IMSS envía antes de la segunda consulta es prematura y se rechaza; la "
        "de la segunda consulta lo regulariza.",
        (
            *_inicio()[:3],
            _exp("opinion_positiva", "imss", "2026-02-16T12:00-06:00", "2",
                 "El contratista pagó el 2026-02-13; una opinión antes de D2 es prematura.",
                 rechazo=True),
            _inicio()[3],
            _exp("opinion_positiva", "imss", RONDA_2, "2",
                 "Ya no aparece en los listados de la ronda 2 (listado completo)."),
        ),
    ),
    Escenario(
        "cancelado_tercera_consulta",
        "El contratista cancelado en la tercera consulta",
        "Sigue con opinión negativa en las tres rondas; la STPS cancela su registro el mismo "
        "día de la tercera consulta, y con él termina su registro REPSE.",
        (
            *_hasta_tercera(),
            _exp("cancelacion", "stps", CANCELACION, nota="La STPS cancela el mismo día (D3)."),
            _CANCELA_REGISTRO,
        ),
    ),
    Escenario(
        "cancelacion_impedida_regulariza",
        "Cancelación impedida y regularización en una actualización diaria",
        "La STPS no puede cancelar y pide opiniones diarias; una actualización sigue negativa "
        "y se registra, la siguiente es positiva y el contratista queda regularizado.",
        (
            *_impedida(),
            _exp("opinion_positiva", "imss", DIARIA_2, "diaria",
                 "Actualización diaria: positiva."),
        ),
    ),
    Escenario(
        "sin_opinion_siempre",
        "Sin opinión en todas las rondas",
        "El contratista no tiene registro patronal vigente ni trabajadores: «Sin opinión» en "
        "las tres rondas. Sigue el mismo camino que una opinión negativa, en su propio listado.",
        (
            *_hasta_tercera("opinion_sin_opinion"),
            _exp("cancelacion", "stps", CANCELACION, nota="La STPS cancela el mismo día (D3)."),
            _CANCELA_REGISTRO,
        ),
    ),
    Escenario(
        "registro_vence_sin_renovar",
        "El registro vence sin renovación durante el procedimiento",
        "Registro del 2023-02-20: su vigencia de tres años termina durante el plazo del "
        "exhorto y no se solicita la renovación. El registro vencido termina el expediente; la "
        "STPS cancela después el registro no renovado.",
        (
            _reg("inicio_ventana_renovacion", "reloj", "2025-11-01T00:00-06:00",
                 "Abre la ventana de renovación: noviembre a enero, los tres meses naturales "
                 "anteriores al mes del aniversario."),
            *_inicio()[:3],
            _reg("fin_vigencia", "reloj", "2026-02-20T00:00-06:00",
                 "Termina la vigencia de tres años sin renovación solicitada."),
            _exp("registro_terminado", "registro", "2026-02-20T00:00-06:00",
                 nota="El registro vencido concluye el expediente abierto sin cancelarlo: no lo "
                      "canceló el mecanismo.", consecuencia=True),
            _reg("renovacion_solicitada", "stps", "2026-02-23T10:00-06:00",
                 "Solicitud fuera de la ventana de renovación.", rechazo=True),
            _reg("cancelacion_registro", "stps", "2026-02-23T12:00-06:00",
                 "La STPS cancela el registro no renovado (DÉCIMO QUINTO, inciso g).",
                 causa="no_renovacion"),
        ),
    ),
    Escenario(
        "renovacion_afirmativa_ficta",
        "La STPS no resuelve la renovación: afirmativa ficta",
        "Registro del 2023-05-31, al corriente en la ronda 1: su ventana de renovación va de "
        "febrero a abril de 2026 y su vigencia termina a las 00:00 del 2026-05-31. La STPS no "
        "resuelve la solicitud en 20 días hábiles; el contratista le requiere la resolución y, "
        "tres días hábiles después sin resolución notificada, la renovación se tiene por "
        "efectuada (LFT art. 15, tercer párrafo). Sin cierres de la STPS publicados para 2026 "
        "en los datos: cuentan los días de descanso obligatorio de la LFT art. 74.",
        (
            _exp("padron_recibido", "stps", PADRON, nota="La STPS entrega el padrón por oficio."),
            _exp("opinion_positiva", "imss", RONDA_1, "1", "Opinión positiva: al corriente."),
            _reg("inicio_ventana_renovacion", "reloj", "2026-02-01T00:00-06:00",
                 "Abre la ventana de renovación: febrero a abril, los tres meses naturales "
                 "anteriores al mes del aniversario (mayo)."),
            _reg("renovacion_solicitada", "stps", "2026-03-02T10:00-06:00",
                 "Solicitud en tiempo. La STPS tiene 20 días hábiles, del 2026-03-03 al "
                 "2026-03-31 (el lunes 2026-03-16 es de descanso obligatorio)."),
            _reg("renovacion_requerida", "stps", "2026-03-20T10:00-06:00",
                 "Requerimiento prematuro: corren los 20 días de la STPS.", rechazo=True),
            _reg("fin_plazo_resolucion", "reloj", "2026-04-01T00:00-06:00",
                 "Pasaron los 20 días hábiles sin resolución."),
            _reg("renovacion_requerida", "stps", "2026-04-02T10:00-06:00",
                 "El contratista requiere la resolución y la STPS lo registra: tres días "
                 "hábiles, 2026-04-03, 2026-04-06 y 2026-04-07."),
            _reg("afirmativa_ficta", "reloj", "2026-04-08T00:00-06:00",
                 "Sin resolución notificada: la renovación se tiene por efectuada; la nueva "
                 "vigencia corre desde el aniversario, 2026-05-31, hasta las 00:00 del "
                 "2029-05-31."),
        ),
    ),
    Escenario(
        "excluido_por_criterio",
        "Contratista excluido por un criterio del GT",
        "Tras la ronda 1, el GT fija un criterio específico (numeral 8) que excluye al "
        "contratista del procedimiento de este ciclo.",
        (
            *_inicio()[:2],
            _exp("criterio_exclusion", "gt", "2026-01-27T12:00-06:00",
                 nota="Criterio del GT: se excluye del ciclo a quien tiene un convenio de pago "
                      "en parcialidades vigente."),
            _exp("exhorto_notificado", "gt", EXHORTO,
                 nota="El exhorto a un contratista excluido no procede.", rechazo=True),
        ),
    ),
    Escenario(
        "impedido_al_abrir_siguiente_ciclo",
        "Procedimiento impedido de un ciclo cuando el siguiente abre otro",
        "La cancelación del ciclo 2026-1 sigue impedida cuando el padrón de 2026-2 abre un "
        "expediente nuevo; los dos corren a la vez. Cuando la STPS por fin cancela en el ciclo "
        "2026-1, el registro cancelado concluye el expediente de 2026-2 sin registro: el "
        "mecanismo de 2026-2 no lo canceló.",
        (
            *_impedida(),
            _exp("padron_recibido", "stps", PADRON_2026_2, ciclo="2026-2",
                 nota="El padrón de julio abre el expediente 2026-2; el de 2026-1 sigue abierto."),
            _exp("opinion_negativa", "imss", RONDA_1_2026_2, "1", ciclo="2026-2",
                 nota="Aparece en el listado de la ronda 1 del ciclo 2026-2."),
            _exp("opinion_negativa", "imss", RONDA_1_2026_2, consecuencia=True,
                 nota="La misma opinión es la actualización diaria del expediente 2026-1 "
                      "(política opinion_actualiza_suspendidos)."),
            _exp("cancelacion", "stps", "2026-07-28T13:00-06:00",
                 nota="La STPS cancela en el expediente 2026-1 (numerales 6 y 7)."),
            _reg("cancelacion_registro", "stps", "2026-07-28T13:00-06:00",
                 "La cancelación del procedimiento cancela el registro.", consecuencia=True),
            _exp("registro_terminado", "registro", "2026-07-28T13:00-06:00", ciclo="2026-2",
                 nota="El registro cancelado concluye el expediente 2026-2 sin registro.",
                 consecuencia=True),
        ),
    ),
    Escenario(
        "cancelacion_voluntaria",
        "El contratista pide la cancelación de su registro durante el exhorto",
        "Señalado en la ronda 1 y exhortado, el contratista pide a la STPS cancelar su propio "
        "registro (causa que agregó la reforma DOF 03-02-2023). El expediente concluye sin "
        "registro, no cancelado: el mecanismo no lo canceló, y la segunda consulta ya no lo "
        "alcanza.",
        (
            *_inicio()[:3],
            _reg("cancelacion_registro", "stps", "2026-02-10T11:00-06:00",
                 "La STPS registra la cancelación que pidió el contratista.", causa="voluntaria"),
            _exp("registro_terminado", "registro", "2026-02-10T11:00-06:00",
                 nota="El registro cancelado concluye el expediente abierto sin cancelarlo.",
                 consecuencia=True),
            _exp("opinion_negativa", "imss", RONDA_2, "2",
                 "Una opinión de la segunda consulta ya no tiene expediente que mover.",
                 rechazo=True),
        ),
    ),
)}


# --------------------------------------------------------------------------------------------
# Running a scenario on the real charts
# --------------------------------------------------------------------------------------------
@dataclass
class Traza:
    """What the charts did with a scenario: one line per step, and each machine's last state."""

    escenario: Escenario
    lineas: list[str] = field(default_factory=list)
    estados: dict[str, str] = field(default_factory=dict)

    def texto(self) -> str:
        e = self.escenario
        lines = [f"Escenario: {e.titulo} ({e.clave})", e.descripcion, "", *self.lineas, "",
                 "Estados al terminar:"]
        lines += [f"  {maquina}: {estado}" for maquina, estado in self.estados.items()]
        expedientes = [m for m in self.estados if m.startswith("expediente")]
        if len(expedientes) > 1:
            lines.append(f"Se muestra el estado del ciclo más reciente: {expedientes[-1]}, "
                         f"{self.estados[expedientes[-1]]}.")
        return "\n".join(lines) + "\n"


def _consecuencias(paso: Paso, maquinas: Mapping[str, Chart],
                   causa: str) -> list[tuple[ChartName, str, str, str]]:
    """The steps ``paso`` causes in the other chart: (chart, event, cycle, the cause its history
    records — the effect's own, or else ``causa``, that of ``paso``)."""
    out: list[tuple[ChartName, str, str, str]] = []
    for efecto in CHARTS[paso.chart].efectos:
        if efecto.evento != paso.evento:
            continue
        texto = efecto.causa.format(ciclo=paso.ciclo) if efecto.causa else causa
        if efecto.en == "registro":
            if not maquinas["registro"].is_terminated:
                out.append(("registro", efecto.dispara, "", texto))
        else:  # every open expediente of the contractor, oldest cycle first
            out += [("expediente", efecto.dispara, nombre.split()[1], texto)
                    for nombre, m in maquinas.items()
                    if nombre.startswith("expediente") and not m.is_terminated]
    if paso.chart == "expediente" and paso.ronda is not None:
        # Policy opinion_actualiza_suspendidos (default on): the same opinion is the daily
        # update of every suspended procedure of an earlier cycle.
        out += [("expediente", paso.evento, nombre.split()[1], "")
                for nombre, m in maquinas.items()
                if nombre.startswith("expediente") and nombre.split()[1] < paso.ciclo
                and current_state(m) == "cancelacion_suspendida"]
    return out


def _refusal(table: CompiledChart, state: str, event: str) -> str | None:
    """The table's Spanish reason for refusing ``event`` in ``state``, or None."""
    try:
        table.step(table.state_code(state), table.event_code(event))
    except EventoNoPermitido as refused:
        return str(refused)
    return None


def _check(cond: bool, escenario: Escenario, n: int, motivo: str) -> None:
    if not cond:
        raise EscenarioInvalido(f"{escenario.clave}, paso {n}: {motivo}")


def ejecutar(escenario: Escenario) -> Traza:
    """Run ``escenario`` on real chart instances (one registration, one expediente per cycle)
    and return its trace. Raises :class:`EscenarioInvalido` when the scenario does not match
    the charts."""
    traza = Traza(escenario)
    maquinas: dict[str, Chart] = {"registro": CHARTS["registro"]()}
    pendientes: list[tuple[ChartName, str, str, str]] = []
    for n, paso in enumerate(escenario.pasos, 1):
        clave = (paso.chart, paso.evento, paso.ciclo)
        causa = CAUSAS[paso.causa] if paso.causa else ""
        if pendientes:
            _check(paso.consecuencia and clave == pendientes[0][:3], escenario, n,
                   f"se esperaba la consecuencia {pendientes[0][:3]}")
            causa = pendientes.pop(0)[3]
        else:
            _check(not paso.consecuencia, escenario, n, "consecuencia sin causa")
        machine = maquinas.setdefault(paso.maquina, CHARTS[paso.chart]())
        table = TABLES[paso.chart]
        source = current_state(machine)
        prefijo = f"{paso.fecha or '—'} · {paso.maquina} · "
        if paso.consecuencia:
            prefijo += "(consecuencia) "
        if paso.ronda is not None:
            espera = Expediente.rondas[parse_ronda(paso.ronda)].espera
            _check(espera == source or paso.rechazo, escenario, n,
                   f"la ronda {paso.ronda} no corresponde al estado «{source}»")
        if paso.rechazo:
            try:
                machine.send(paso.evento)
            except TransitionNotAllowed:
                pass
            else:
                _check(False, escenario, n, f"«{paso.evento}» debía rechazarse en «{source}»")
            motivo = _refusal(table, source, paso.evento)
            _check(motivo is not None, escenario, n, "la tabla acepta lo que el diagrama rechaza")
            traza.lineas.append(f"{n:>2}. {prefijo}{paso.evento} [{paso.actor}] RECHAZADO: "
                                f"{motivo}")
        else:
            machine.send(paso.evento)
            info = table.info[source, paso.evento]
            _check(info.actor == paso.actor, escenario, n,
                   f"el actor de «{paso.evento}» es «{info.actor}», no «{paso.actor}»")
            step = TransitionInfo(source, paso.evento, current_state(machine), info.actor,
                                  info.fundamento, info.plazo)
            traza.lineas.append(format_step(n, step, prefijo))
            pendientes += _consecuencias(paso, maquinas, causa)
            if causa:  # as the engine's history records it
                traza.lineas.append(f"    Causa: {causa}.")
        if paso.nota:
            traza.lineas.append(f"    {paso.nota}")
    _check(not pendientes, escenario, len(escenario.pasos),
           f"faltan consecuencias {[p[:3] for p in pendientes]}")
    traza.estados = {nombre: current_state(m) for nombre, m in maquinas.items()}
    return traza
