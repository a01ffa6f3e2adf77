"""The contractor lifecycle: the single source of truth of what the software does.

Three python-statemachine charts, written to read like the legal texts (the Mecanismo,
numerales 1–9; LFT art. 15; LSS art. 15 A):

- :class:`Expediente` — the procedure of one contractor in one cycle. Its final states end the
  procedure; a new cycle opens a new procedure (a final state takes no transition out).
- :class:`Registro` — the contractor's REPSE registration and its three-year term.
- :class:`Declaracion` — one contractor's four-monthly report of its contracts to IMSS (LSS art.
  15 A), which every registered contractor owes besides the Mecanismo's cycle.

Every transition carries a :class:`Regla` (who fires it, its legal basis, the plazo it starts or
ends) declared in the class's ``reglas`` mapping, every state a Spanish ``descripcion``, and the
way each chart affects the other is declared in its ``efectos``. Each chart also says which input
carries each of its events (``entradas``); the procedure chart says which state awaits each round
of opinions (``rondas``) and which event each opinion fires (``opiniones``); the registration
chart, which event each renewal result fires (``renovaciones``). A chart is checked when its
class is defined: a mismatch raises :class:`ChartDefinitionError` there. Diagrams, the spec book,
the compiled table, the engine and the traces are all derived from these classes.

Events that do not fit the current state are refused, loudly:

>>> exp = Expediente()
>>> exp.send("padron_recibido")
>>> exp.send("opinion_negativa")
>>> exp.send("exhorto_notificado")
>>> exp.send("opinion_positiva")   # premature: the 30-day plazo is running
Traceback (most recent call last):
...
statemachine.exceptions.TransitionNotAllowed: Can't Opinión positiva when in Exhortado.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import ClassVar, Literal, get_args

from statemachine import Event, State, StateChart

from .errors import RepseError

Actor = Literal["imss", "stps", "gt", "reloj", "registro", "expediente"]
Ronda = Literal[1, 2, 3, "diaria"]
"""A round of opinions: the three consultations (numerales 1, 3 and 5) and the daily update of a
suspended cancellation (numeral 7)."""
RONDAS: tuple[Ronda, ...] = (1, 2, 3, "diaria")
Opinion = Literal["positiva", "negativa", "sin_opinion"]
ResultadoRenovacion = Literal["solicitada", "otorgada", "negada", "requerimiento"]
CausaCancelacion = Literal["no_renovacion", "voluntaria", "requisitos", "otra"]
"""Why STPS cancels a registration outside a cycle's procedure (input ``cancelacion_registro``)."""
CAUSAS: Mapping[CausaCancelacion, str] = {
    "no_renovacion": "no renovó en el plazo establecido (Acuerdo REPSE, DÉCIMO QUINTO, inciso g)",
    "voluntaria": "a petición del propio contratista (Acuerdo REPSE, reforma DOF 03-02-2023)",
    "requisitos": "dejó de cumplir los requisitos del registro (LFT art. 15; Acuerdo REPSE, "
                  "DÉCIMO QUINTO)",
    "otra": "otra causa (LFT art. 15: la STPS cancelará en cualquier tiempo)",
}
"""Each cause as the history and the spec book state it, with its legal basis."""
"""What a renewal input records: the request, STPS's resolution, or the contractor's
requerimiento of a resolution once STPS's 20 hábil days passed (STPS records the filing)."""

ACTOR_NOMBRE: Mapping[str, str] = {
    "imss": "IMSS",
    "stps": "STPS",
    "gt": "GT (IMSS y STPS)",
    "reloj": "Reloj (vence un plazo)",
    "registro": "Registro (consecuencia)",
    "expediente": "Expediente (consecuencia)",
}


class ChartDefinitionError(RepseError):
    """A chart whose metadata does not match its transitions (a transition without fundamento,
    a rule for a transition that does not exist, an effect naming an unknown event)."""


@dataclass(frozen=True)
class Regla:
    """What a reviewer needs to check one transition against the law.

    ``actor`` fires it; ``fundamento`` is its legal basis; ``plazo`` describes the plazo rule it
    starts or ends ("" when none).
    """

    actor: Actor
    fundamento: str
    plazo: str = ""


@dataclass(frozen=True)
class Consulta:
    """A round of opinions: ``espera`` is the state that awaits it (an opinion of the round is
    accepted only from there) and ``nombre`` how a refusal names it."""

    espera: str
    nombre: str


def parse_ronda(valor: Ronda | str) -> Ronda:
    """The round an operator typed (``"2"``, ``" diaria "``), or a Spanish error.

    >>> parse_ronda("2"), parse_ronda("Diaria")
    (2, 'diaria')
    """
    if valor in RONDAS:
        return valor  # type: ignore[return-value]
    texto = valor.strip().lower() if isinstance(valor, str) else ""
    for ronda in RONDAS:
        if texto == str(ronda):
            return ronda
    raise RepseError(f"ronda no válida «{valor}»: se espera 1, 2, 3 o diaria")


@dataclass(frozen=True)
class Efecto:
    """How one chart moves the other: when ``evento`` fires in this chart, ``dispara`` is fired
    in the chart ``en`` (``"expediente"`` or ``"registro"``) for ``alcance``."""

    evento: str
    en: Literal["expediente", "registro"]
    dispara: str
    alcance: str
    fundamento: str
    causa: str = ""
    """What the history of each row it reaches records as the cause (``{ciclo}``: the cycle of
    the procedure that fired it); "" when the input that fired it states its own cause."""


class Estado(State):
    """A state with the Spanish description a reviewer reads in the spec book and the TUI."""

    def __init__(self, name: str, descripcion: str, **kwargs) -> None:
        super().__init__(name, **kwargs)
        self.descripcion = descripcion


CHARTS: dict[str, type[Chart]] = {}
"""The charts by the name inputs and traces use for them (filled as each is defined)."""


class _Definicion(type(StateChart)):  # type: ignore[misc]
    """Checks a chart when its class is defined, as python-statemachine checks its own rules:
    a chart whose metadata does not match its transitions cannot exist."""

    def __init__(cls, name, bases, attrs) -> None:
        super().__init__(name, bases, attrs)
        if not cls.states:
            return  # the abstract base
        validar(cls)
        if attrs.get("clave"):  # declared here: a subclass does not replace its chart
            CHARTS[cls.clave] = cls
        for chart in (cls, *CHARTS.values()):  # effects between charts, once both exist
            _validar_efectos(chart)


class Chart(StateChart, metaclass=_Definicion):
    """Base of the lifecycle charts: nothing that does not fit passes silently.

    ``allow_event_without_transition = False`` turns an event with no transition from the
    current state (or an unknown event, or any event after a final state) into
    ``TransitionNotAllowed``; ``catch_errors_as_events = False`` lets errors propagate instead of
    becoming ``error.execution`` events.
    """

    allow_event_without_transition = False
    catch_errors_as_events = False

    titulo: ClassVar[str] = ""
    """Spanish title of the chart in the spec book."""

    reglas: ClassVar[Mapping[str, Regla | Mapping[str, Regla]]] = {}
    """Per event: one :class:`Regla` for all its transitions, or one per source state id."""

    efectos: ClassVar[tuple[Efecto, ...]] = ()

    entradas: ClassVar[Mapping[str, str]] = {}
    """Per event, the type of the input that carries it (``reloj`` for the clock)."""

    clave: ClassVar[str] = ""
    """The name inputs and traces use for the chart (``"expediente"``); empty: not registered."""

    @classmethod
    def validar_propio(cls, eventos: set[str]) -> None:
        """Check what only this chart declares (its rounds, its renewal results)."""

    @classmethod
    def transiciones(cls) -> Iterator[tuple[str, str, str]]:
        """Every ``(source id, event, target id)``, states in document order."""
        for state in cls.states:
            for transition in state.transitions:
                for event in transition.events:
                    yield state.id, str(event), transition.target.id

    @classmethod
    def regla(cls, source: str, event: str) -> Regla:
        """The rule of the transition from ``source`` on ``event``."""
        entry = cls.reglas.get(event)
        if isinstance(entry, Mapping):
            entry = entry.get(source)
        if entry is None:
            raise ChartDefinitionError(
                f"{cls.__name__}: la transición {source} --{event}--> no tiene regla "
                "(actor, fundamento, plazo) en «reglas»"
            )
        return entry


def validar(chart: type[Chart]) -> None:
    """Check that ``chart``'s metadata and transitions agree exactly.

    Every transition has a rule with an actor and a non-empty fundamento; every rule names a
    transition that exists; every state has a description; every event names the input that
    carries it. Run when the chart's class is defined.
    """
    transiciones = list(chart.transiciones())
    for source, event, _target in transiciones:
        regla = chart.regla(source, event)
        if not regla.fundamento.strip():
            raise ChartDefinitionError(
                f"{chart.__name__}: la transición {source} --{event}--> no tiene fundamento"
            )
        if regla.actor not in ACTOR_NOMBRE:
            raise ChartDefinitionError(
                f"{chart.__name__}: actor desconocido «{regla.actor}» en {source} --{event}-->"
            )
    existentes = {(s, e) for s, e, _ in transiciones}
    eventos = {e for _, e, _ in transiciones}
    for event, entry in chart.reglas.items():
        if event not in eventos:
            raise ChartDefinitionError(f"{chart.__name__}: regla para un evento inexistente "
                                       f"«{event}»")
        if isinstance(entry, Mapping):
            for source in entry:
                if (source, event) not in existentes:
                    raise ChartDefinitionError(
                        f"{chart.__name__}: regla para una transición inexistente "
                        f"{source} --{event}-->"
                    )
    for state in chart.states:
        if not getattr(state, "descripcion", "").strip():
            raise ChartDefinitionError(f"{chart.__name__}: el estado «{state.id}» no tiene "
                                       "descripción")
    sin_entrada = [e for _, e, _ in transiciones if e not in chart.entradas]
    if sin_entrada:
        raise ChartDefinitionError(f"{chart.__name__}: el evento «{sin_entrada[0]}» no dice qué "
                                   "entrada lo lleva en «entradas»")
    _validar_mapa(chart, "entradas", chart.entradas.keys(), eventos)
    for efecto in chart.efectos:
        if efecto.evento not in eventos:
            raise ChartDefinitionError(f"{chart.__name__}: efecto de un evento inexistente "
                                       f"«{efecto.evento}»")
    chart.validar_propio(eventos)


def _validar_mapa(chart: type[Chart], nombre: str, eventos, existentes) -> None:
    for event in eventos:
        if event not in existentes:
            raise ChartDefinitionError(f"{chart.__name__}: «{nombre}» nombra un evento "
                                       f"inexistente «{event}»")


def _validar_claves(chart: type[Chart], nombre: str, mapa: Mapping, claves: tuple) -> None:
    if set(mapa) != set(claves):
        raise ChartDefinitionError(f"{chart.__name__}: «{nombre}» debe declarar exactamente "
                                   f"{', '.join(map(str, claves))}")


def _validar_efectos(chart: type[Chart]) -> None:
    """The effects of ``chart`` on a chart already defined fire events that chart has."""
    for efecto in chart.efectos:
        otro = CHARTS.get(efecto.en)
        if otro is not None and efecto.dispara not in {str(e) for e in otro.events}:
            raise ChartDefinitionError(f"{chart.__name__}: el efecto dispara «{efecto.dispara}», "
                                       f"que no es evento de {efecto.en}")


# --------------------------------------------------------------------------------------------
# Plazo rules, as the reviewer reads them (spec book, «Reglas de cómputo», rules 1–5)
# --------------------------------------------------------------------------------------------
PLAZO_EXHORTO = (
    "Inicia: el exhorto se envía dentro de los 3 días hábiles siguientes a la obtención de la "
    "opinión (numeral 2); calendario conjunto IMSS y STPS."
)
PLAZO_REGULARIZACION = (
    "Inicia: 30 días naturales para regularizarse, desde el día siguiente a la notificación "
    "(LFPA art. 38); si el último día es inhábil se prorroga al siguiente día hábil (LFPA art. "
    "29; regla 2); calendario conjunto IMSS y STPS."
)
PLAZO_AUDIENCIA = (
    "Inicia: 5 días hábiles para manifestar lo que a su derecho convenga, desde el día "
    "siguiente a la notificación (LFPA arts. 28 y 38; regla 3); calendario de la STPS."
)
PLAZO_DIARIO = (
    "Inicia: el IMSS deposita la opinión actualizada cada día hábil, a más tardar a las 12:00 "
    "(numeral 7); calendario conjunto IMSS y STPS."
)
TERMINA_TODO = "Termina: todo plazo en curso del expediente."
TERMINA_RESOLVER = "Termina: el plazo de la STPS para resolver la renovación."
PLAZO_RESOLVER = (
    "Inicia: la STPS resuelve en 20 días hábiles, desde el día siguiente a la solicitud (LFT "
    "art. 15, tercer párrafo, «veinte días»; Acuerdo REPSE, que los cuenta hábiles; LFPA art. "
    "28; regla 3); calendario de la STPS, procedimiento de renovación (un cierre que exceptúa "
    "las renovaciones no los detiene)."
)
NUEVA_VIGENCIA = " Inicia: una nueva vigencia de tres años, contada desde el fin de la anterior."
CANCELA_STPS = ("LFT art. 15 (la STPS cancelará en cualquier tiempo); Acuerdo REPSE, DÉCIMO "
                "QUINTO (causas, entre ellas la no renovación, inciso g) y, desde la reforma DOF "
                "03-02-2023, la petición del propio contratista); Mecanismo, numeral 6")

# The rules of a negativa and of a sin opinión, which follow the same path.
_NO_POSITIVA: Mapping[str, Regla] = {
    "en_consulta": Regla("imss", "Mecanismo, numerales 1 y 2", PLAZO_EXHORTO),
    "segunda_consulta": Regla("imss", "Mecanismo, numerales 3 y 4"),
    "tercera_consulta": Regla(
        "imss", "Mecanismo, numerales 5, 6 y 9",
        "Inicia: la STPS cancela el mismo día de la tercera consulta (numeral 6); calendario "
        "de la STPS.",
    ),
    "cancelacion_suspendida": Regla(
        "imss", "Mecanismo, numeral 7",
        "Sigue: la actualización diaria del día hábil siguiente (numeral 7).",
    ),
}


class Expediente(Chart):
    """The procedure of one contractor in one cycle (Mecanismo, numerales 1–8)."""

    titulo = "Expediente: el procedimiento de un contratista en un ciclo"

    registrado = Estado(
        "Registrado",
        "Punto de partida del expediente de un ciclo: el contratista tiene registro REPSE y la "
        "STPS aún no entrega al IMSS el padrón del ciclo que lo incluye (numeral 1).",
        initial=True,
    )
    en_consulta = Estado(
        "En consulta",
        "La STPS entregó el padrón del ciclo con este contratista (último lunes de enero o "
        "julio, a más tardar a las 10:00). El IMSS genera ese mismo día la opinión de "
        "cumplimiento (ronda 1) y deposita a las 18:00 los listados Negativa y Sin opinión "
        "(numeral 1).",
    )
    al_corriente = Estado(
        "Al corriente",
        "Opinión positiva en la ronda 1: el contratista está al corriente en la fecha de "
        "consulta. El expediente del ciclo termina.",
        final=True,
    )
    senalado = Estado(
        "Señalado",
        "Opinión negativa o sin opinión en la ronda 1: aparece en el listado que le corresponde "
        "(los listados Negativa y Sin opinión van siempre separados). El IMSS y la STPS deben "
        "enviarle el exhorto dentro de los 3 días hábiles siguientes a la obtención de la "
        "opinión (numeral 2).",
    )
    exhortado = Estado(
        "Exhortado",
        "Exhorto notificado, con la fecha de consulta: corre el plazo de 30 días naturales "
        "para regularizarse ante el IMSS (numeral 2). Una opinión recibida en este estado es "
        "prematura y se rechaza.",
    )
    segunda_consulta = Estado(
        "Segunda consulta",
        "Venció el plazo de regularización: el IMSS genera la segunda opinión el día hábil "
        "siguiente (D2) y deposita a las 12:00 los listados de quienes siguen con opinión "
        "Negativa o Sin opinión (numerales 3 y 4).",
    )
    regularizado = Estado(
        "Regularizado",
        "Opinión positiva en la ronda 2, en la ronda 3 o en una actualización diaria: el "
        "contratista se regularizó y sale del procedimiento. El expediente del ciclo termina.",
        final=True,
    )
    por_iniciar_cancelacion = Estado(
        "Por iniciar cancelación",
        "Siguió con opinión Negativa o Sin opinión en la ronda 2: la STPS debe iniciar el "
        "procedimiento de cancelación del registro REPSE (numeral 4).",
    )
    en_cancelacion = Estado(
        "En cancelación",
        "La STPS inició el procedimiento de cancelación: corre el plazo de 5 días hábiles para "
        "que el contratista manifieste lo que a su derecho convenga (numeral 4; Acuerdo REPSE, "
        "DÉCIMO QUINTO).",
    )
    tercera_consulta = Estado(
        "Tercera consulta",
        "Venció el plazo de 5 días hábiles: el IMSS genera la tercera opinión el día hábil "
        "siguiente (D3) y remite por oficio, a más tardar a las 12:00, el listado de quienes "
        "siguen con opinión Negativa o Sin opinión (numerales 5, 6 y 9).",
    )
    por_cancelar = Estado(
        "Por cancelar",
        "Siguió con opinión Negativa o Sin opinión en la ronda 3: la STPS debe cancelar el "
        "registro REPSE ese mismo día (numeral 6).",
    )
    cancelacion_suspendida = Estado(
        "Cancelación suspendida",
        "La STPS no pudo cancelar: pidió al IMSS la opinión actualizada de este universo, que "
        "el IMSS deposita cada día hábil a más tardar a las 12:00 (numeral 7). Una "
        "actualización que sigue negativa o sin opinión se registra y el expediente permanece "
        "aquí; puede seguir abierto cuando empieza el ciclo siguiente.",
    )
    cancelado = Estado(
        "Cancelado",
        "La STPS canceló el registro REPSE en este procedimiento (numeral 6). El expediente "
        "termina y con él el registro del contratista.",
        final=True,
    )
    excluido = Estado(
        "Excluido",
        "Un criterio específico del GT excluyó al contratista del procedimiento de este ciclo "
        "(numeral 8); el texto del criterio queda en el historial. El expediente termina.",
        final=True,
    )
    # Last, so that the codes of the other states stay those of earlier versions.
    concluido_sin_registro = Estado(
        "Concluido sin registro",
        "El registro del contratista terminó mientras el expediente estaba abierto: venció sin "
        "renovación, o la STPS lo canceló fuera de este procedimiento (a petición del "
        "contratista, por dejar de cumplir los requisitos, por otra causa, o por la cancelación "
        "en el expediente de otro ciclo). La causa queda en el historial. No es una "
        "cancelación del mecanismo: el expediente termina sin resolverse.",
        final=True,
    )

    padron_recibido = Event(registrado.to(en_consulta), name="Padrón recibido")
    opinion_positiva = Event(
        en_consulta.to(al_corriente)
        | segunda_consulta.to(regularizado)
        | tercera_consulta.to(regularizado)
        | cancelacion_suspendida.to(regularizado),
        name="Opinión positiva",
    )
    # A negativa and a sin opinión follow the same path; only the lists keep them apart.
    _no_positiva = (
        en_consulta.to(senalado)
        | segunda_consulta.to(por_iniciar_cancelacion)
        | tercera_consulta.to(por_cancelar)
        | cancelacion_suspendida.to.itself()
    )
    opinion_negativa = Event(_no_positiva, name="Opinión negativa")
    opinion_sin_opinion = Event(_no_positiva, name="Sin opinión")
    del _no_positiva  # not an event of its own
    exhorto_notificado = Event(senalado.to(exhortado), name="Exhorto notificado")
    fin_plazo_regularizacion = Event(
        exhortado.to(segunda_consulta), name="Fin del plazo de regularización"
    )
    inicio_cancelacion = Event(
        por_iniciar_cancelacion.to(en_cancelacion), name="Inicio del procedimiento de cancelación"
    )
    fin_plazo_audiencia = Event(
        en_cancelacion.to(tercera_consulta), name="Fin del plazo para manifestar"
    )
    cancelacion = Event(
        por_cancelar.to(cancelado) | cancelacion_suspendida.to(cancelado),
        name="Cancelación del registro",
    )
    cancelacion_impedida = Event(
        por_cancelar.to(cancelacion_suspendida), name="Cancelación impedida"
    )
    criterio_exclusion = Event(excluido.from_.any(), name="Criterio específico del GT")
    registro_terminado = Event(concluido_sin_registro.from_.any(), name="Registro terminado")

    reglas: ClassVar[Mapping[str, Regla | Mapping[str, Regla]]] = {
        "padron_recibido": Regla(
            "stps", "Mecanismo, numerales 1 y 9 (padrón por oficio)",
            "Corte: el IMSS deposita la opinión de la ronda 1 y los listados el mismo día, a "
            "más tardar a las 18:00 (numeral 1).",
        ),
        "opinion_positiva": {
            "en_consulta": Regla("imss", "Mecanismo, numeral 1"),
            "segunda_consulta": Regla("imss", "Mecanismo, numeral 3"),
            "tercera_consulta": Regla("imss", "Mecanismo, numeral 5"),
            "cancelacion_suspendida": Regla(
                "imss", "Mecanismo, numeral 7",
                "Termina: la actualización diaria para este contratista.",
            ),
        },
        "opinion_negativa": _NO_POSITIVA,
        "opinion_sin_opinion": _NO_POSITIVA,
        "exhorto_notificado": Regla(
            "gt", "Mecanismo, numeral 2; LFPA art. 38",
            "Termina: la ventana de 3 días hábiles para enviar el exhorto. "
            + PLAZO_REGULARIZACION,
        ),
        "fin_plazo_regularizacion": Regla(
            "reloj", "Mecanismo, numerales 2 y 3",
            "Termina: los 30 días naturales. La segunda consulta es el primer día hábil "
            "siguiente al último día del plazo (regla 4); listados a las 12:00 (numeral 4); "
            "calendario conjunto IMSS y STPS.",
        ),
        "inicio_cancelacion": Regla(
            "stps", "Mecanismo, numeral 4; Acuerdo REPSE, DÉCIMO QUINTO", PLAZO_AUDIENCIA,
        ),
        "fin_plazo_audiencia": Regla(
            "reloj", "Mecanismo, numerales 4 y 5",
            "Termina: los 5 días hábiles. La tercera consulta es el primer día hábil siguiente "
            "al último día del plazo (regla 4); listado por oficio a las 12:00 (numerales 6 y "
            "9); calendario conjunto IMSS y STPS.",
        ),
        "cancelacion": {
            "por_cancelar": Regla(
                "stps", "Mecanismo, numeral 6; LFT art. 15; Acuerdo REPSE, DÉCIMO QUINTO",
                "Termina: la cancelación el mismo día de la tercera consulta (fin del día); "
                "calendario de la STPS.",
            ),
            "cancelacion_suspendida": Regla(
                "stps", "Mecanismo, numerales 6 y 7; LFT art. 15; Acuerdo REPSE, DÉCIMO QUINTO",
                "Termina: la actualización diaria para este contratista.",
            ),
        },
        "cancelacion_impedida": Regla("stps", "Mecanismo, numeral 7", PLAZO_DIARIO),
        "criterio_exclusion": Regla(
            "gt", "Mecanismo, numeral 8 (criterios específicos del GT)", TERMINA_TODO
        ),
        "registro_terminado": Regla(
            "registro",
            "LFT art. 15; Acuerdo REPSE, DÉCIMO QUINTO (sin registro no hay procedimiento que "
            "seguir: un registro vencido o cancelado concluye todo expediente abierto, sin "
            "cancelarlo)",
            TERMINA_TODO,
        ),
    }

    rondas: ClassVar[Mapping[Ronda, Consulta]] = {
        1: Consulta("en_consulta", "ronda 1"),
        2: Consulta("segunda_consulta", "ronda 2 (segunda consulta)"),
        3: Consulta("tercera_consulta", "ronda 3 (tercera consulta)"),
        "diaria": Consulta("cancelacion_suspendida", "actualización diaria"),
    }
    """The state awaiting each round of opinions (numerales 1, 3, 5 and 7): an opinion of a
    round is accepted only from that state; the engine checks the round, the chart the state."""

    opiniones: ClassVar[Mapping[Opinion, str]] = {
        "positiva": "opinion_positiva",
        "negativa": "opinion_negativa",
        "sin_opinion": "opinion_sin_opinion",
    }
    """The event each opinion fires."""

    # The clock fires the ends of plazos; a registration's end reaches a procedure as
    # ``registro_terminado``.
    entradas: ClassVar[Mapping[str, str]] = {
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

    clave = "expediente"

    @classmethod
    def validar_propio(cls, eventos: set[str]) -> None:
        """Every round awaits a state where every opinion is a transition."""
        _validar_mapa(cls, "opiniones", cls.opiniones.values(), eventos)
        _validar_claves(cls, "opiniones", cls.opiniones, get_args(Opinion))
        _validar_claves(cls, "rondas", cls.rondas, RONDAS)
        desde = {(s, e) for s, e, _ in cls.transiciones()}
        for ronda, consulta in cls.rondas.items():
            for event in cls.opiniones.values():
                if (consulta.espera, event) not in desde:
                    raise ChartDefinitionError(
                        f"{cls.__name__}: la ronda {ronda} espera «{consulta.espera}», donde "
                        f"«{event}» no es una transición")

    efectos = (
        Efecto(
            evento="cancelacion",
            en="registro",
            dispara="cancelacion_registro",
            alcance="el registro del contratista",
            fundamento="Mecanismo, numeral 6: la cancelación del procedimiento es la cancelación "
                       "del registro REPSE",
            causa="cancelación en el expediente del ciclo {ciclo} (Mecanismo, numeral 6)",
        ),
    )


class Registro(Chart):
    """The contractor's REPSE registration: a three-year term and its renewal."""

    titulo = "Registro: el registro REPSE del contratista y su renovación"
    clave = "registro"

    registro_vigente = Estado(
        "Vigente",
        "Registro REPSE vigente: tres años desde el inicio de su periodo vigente (Acuerdo REPSE, "
        "DÉCIMO TERCERO); la «fecha_registro» del padrón es ese inicio. La vigencia termina a "
        "las 00:00 del aniversario (un registro del 29 de febrero, el 1 de marzo).",
        initial=True,
    )
    registro_por_renovar = Estado(
        "Por renovar",
        "Abrió la ventana de renovación: los tres meses naturales anteriores al mes en que "
        "termina la vigencia (Acuerdo REPSE, DÉCIMO SEXTO, y su calendario, reforma DOF "
        "21-02-2024: un registro otorgado el 10-09-2021 renueva del 01-06-2024 al 31-08-2024). "
        "Una solicitud fuera de la ventana se rechaza. Sin solicitud, o con la renovación "
        "negada, la vigencia corre hasta su fin.",
    )
    registro_en_renovacion = Estado(
        "En renovación",
        "Renovación solicitada en tiempo: la STPS debe resolver en 20 días hábiles (LFT art. "
        "15, tercer párrafo; el Acuerdo REPSE los cuenta hábiles). El registro no vence "
        "mientras la solicitud espera su resolución.",
    )
    registro_sin_respuesta = Estado(
        "Sin respuesta",
        "Pasaron los 20 días hábiles sin resolución de la STPS: el contratista puede requerirle "
        "que resuelva (LFT art. 15, tercer párrafo). El registro no vence mientras tanto.",
    )
    registro_requerido = Estado(
        "Requerido",
        "El contratista requirió a la STPS la resolución: la STPS tiene tres días hábiles; "
        "transcurridos sin que se notifique la resolución, la renovación se tiene por "
        "efectuada (afirmativa ficta, LFT art. 15, tercer párrafo).",
    )
    registro_vencido = Estado(
        "Vencido",
        "Terminó la vigencia sin renovación otorgada: procede la cancelación (Acuerdo REPSE, "
        "DÉCIMO QUINTO, inciso g). Todo expediente abierto del contratista concluye sin "
        "registro.",
    )
    registro_cancelado = Estado(
        "Cancelado",
        "La STPS canceló el registro (LFT art. 15; Acuerdo REPSE, DÉCIMO QUINTO): cuando un "
        "expediente del contratista termina en cancelación (numeral 6), o fuera de un ciclo, "
        "con una causa: no renovación (inciso g), a petición del contratista (reforma DOF "
        "03-02-2023), requisitos que dejó de cumplir u otra. Todo otro expediente abierto del "
        "contratista concluye sin registro.",
        final=True,
    )

    inicio_ventana_renovacion = Event(
        registro_vigente.to(registro_por_renovar), name="Inicio de la ventana de renovación"
    )
    renovacion_solicitada = Event(
        registro_por_renovar.to(registro_en_renovacion), name="Renovación solicitada"
    )
    # STPS may resolve until the afirmativa ficta takes effect.
    renovacion_otorgada = Event(
        registro_vigente.from_(registro_en_renovacion, registro_sin_respuesta,
                               registro_requerido),
        name="Renovación otorgada",
    )
    renovacion_negada = Event(
        registro_por_renovar.from_(registro_en_renovacion, registro_sin_respuesta,
                                   registro_requerido),
        name="Renovación negada",
    )
    fin_plazo_resolucion = Event(
        registro_en_renovacion.to(registro_sin_respuesta),
        name="Fin del plazo para resolver la renovación",
    )
    renovacion_requerida = Event(
        registro_sin_respuesta.to(registro_requerido), name="Requerimiento de resolución"
    )
    afirmativa_ficta = Event(
        registro_requerido.to(registro_vigente), name="Afirmativa ficta"
    )
    fin_vigencia = Event(registro_por_renovar.to(registro_vencido), name="Fin de la vigencia")
    cancelacion_registro = Event(
        registro_cancelado.from_.any(), name="Cancelación del registro"
    )

    reglas: ClassVar[Mapping[str, Regla | Mapping[str, Regla]]] = {
        "inicio_ventana_renovacion": Regla(
            "reloj", "Acuerdo REPSE, DÉCIMO SEXTO (calendario de la reforma DOF 21-02-2024)",
            "Inicia: la ventana de renovación, a las 00:00 del primer día del tercer mes "
            "anterior al mes del aniversario; cierra el último día del mes anterior al del "
            "aniversario. Un registro del 29 de febrero renueva como los de febrero (el "
            "calendario los lista por mes de otorgamiento). Con la política «ventana_renovacion» "
            "= «tres_meses»: desde el mismo día tres meses antes del aniversario (o el último "
            "de ese mes) hasta el fin de la vigencia.",
        ),
        "renovacion_solicitada": Regla(
            "stps", "LFT art. 15; Acuerdo REPSE, DÉCIMO SEXTO", PLAZO_RESOLVER,
        ),
        "renovacion_otorgada": Regla(
            "stps",
            "LFT art. 15 («deberá ser renovado cada tres años»); Acuerdo REPSE, DÉCIMO TERCERO",
            TERMINA_RESOLVER + NUEVA_VIGENCIA,
        ),
        "renovacion_negada": Regla(
            "stps", "LFT art. 15 (la STPS negará el registro a quien no cumpla los requisitos)",
            TERMINA_RESOLVER + " La vigencia corre hasta su fin (si ya terminó, el registro "
            "vence en ese momento); dentro de la ventana puede solicitarse otra vez.",
        ),
        "fin_plazo_resolucion": Regla(
            "reloj", "LFT art. 15, tercer párrafo; Acuerdo REPSE (renovación)",
            "Termina: los 20 días hábiles de la STPS para resolver, a las 00:00 del día "
            "siguiente al último. Desde ahí el contratista puede requerir la resolución.",
        ),
        "renovacion_requerida": Regla(
            "stps", "LFT art. 15, tercer párrafo (la STPS registra el requerimiento del "
            "contratista)",
            "Inicia: tres días hábiles para notificar la resolución, desde el día siguiente al "
            "requerimiento; calendario de la STPS, procedimiento de renovación.",
        ),
        "afirmativa_ficta": Regla(
            "reloj", "LFT art. 15, tercer párrafo («se tendrá por efectuado el registro»); "
            "afirmativa ficta",
            "Termina: los tres días hábiles sin resolución notificada." + NUEVA_VIGENCIA,
        ),
        "fin_vigencia": Regla(
            "reloj", "Acuerdo REPSE, DÉCIMO TERCERO (vigencia de tres años) y DÉCIMO QUINTO, "
            "inciso g)",
            "Termina: la vigencia de tres años, a las 00:00 del aniversario.",
        ),
        "cancelacion_registro": {
            "registro_vigente": Regla("stps", CANCELA_STPS),
            "registro_por_renovar": Regla(
                "stps", CANCELA_STPS, "Termina: la vigencia y la ventana de renovación."
            ),
            "registro_en_renovacion": Regla("stps", CANCELA_STPS, TERMINA_RESOLVER),
            "registro_sin_respuesta": Regla("stps", CANCELA_STPS),
            "registro_requerido": Regla("stps", CANCELA_STPS, TERMINA_RESOLVER),
            "registro_vencido": Regla(
                "stps", "Acuerdo REPSE, DÉCIMO QUINTO, inciso g) (registro no renovado)",
            ),
        },
    }

    renovaciones: ClassVar[Mapping[str, str]] = {
        "solicitada": "renovacion_solicitada",
        "otorgada": "renovacion_otorgada",
        "negada": "renovacion_negada",
        "requerimiento": "renovacion_requerida",
    }
    """The event each result of a renewal input fires."""

    entradas: ClassVar[Mapping[str, str]] = {
        "inicio_ventana_renovacion": "reloj",
        "renovacion_solicitada": "renovacion",
        "renovacion_otorgada": "renovacion",
        "renovacion_negada": "renovacion",
        "fin_plazo_resolucion": "reloj",
        "renovacion_requerida": "renovacion",
        "afirmativa_ficta": "reloj",
        "fin_vigencia": "reloj",
        "cancelacion_registro": "cancelacion_registro",
    }

    @classmethod
    def validar_propio(cls, eventos: set[str]) -> None:
        _validar_mapa(cls, "renovaciones", cls.renovaciones.values(), eventos)
        _validar_claves(cls, "renovaciones", cls.renovaciones, get_args(ResultadoRenovacion))

    efectos = (
        Efecto(
            evento="fin_vigencia",
            en="expediente",
            dispara="registro_terminado",
            alcance="cada expediente abierto del contratista",
            fundamento="Acuerdo REPSE, DÉCIMO QUINTO, inciso g): el registro no renovado se "
                       "cancela",
            causa="el registro venció sin renovación otorgada (Acuerdo REPSE, DÉCIMO TERCERO y "
                  "DÉCIMO QUINTO, inciso g)",
        ),
        Efecto(
            evento="cancelacion_registro",
            en="expediente",
            dispara="registro_terminado",
            alcance="cada expediente abierto del contratista",
            fundamento="LFT art. 15: sin registro no hay procedimiento que seguir",
        ),
    )


# --------------------------------------------------------------------------------------------
# The four-monthly contract reports (LSS art. 15 A; LINFONAVIT art. 29 Bis)
# --------------------------------------------------------------------------------------------
PLAZO_DECLARACION = (
    "Termina: el plazo de la declaración del cuatrimestre, a más tardar el día 17 de mayo, "
    "septiembre o enero siguiente (LSS art. 15 A, tercer párrafo); con la política "
    "«prorroga_declaracion», un 17 inhábil para el IMSS se prorroga al siguiente día hábil (CFF "
    "art. 12, quinto párrafo, de aplicación supletoria por LSS art. 9); calendario del IMSS."
)
INFRACCION_DECLARACION = ("LSS art. 304 A, fracción XXII («no presentar o presentar fuera del "
                          "plazo legal establecido» la información del art. 15 A)")
MULTA_DECLARACION = (INFRACCION_DECLARACION + " y art. 304 B, fracción V (multa de 500 a 2000 "
                     "veces el valor de la UMA)")
INFORME_DECLARACION = ("LSS art. 15 A, último párrafo («El Instituto informará a la Secretaría "
                       "del Trabajo y Previsión Social del incumplimiento»); Mecanismo, numeral "
                       "9 (correo electrónico institucional)")


class Declaracion(Chart):
    """One contractor's report of the contracts it signed in one four-month period."""

    titulo = "Declaración: la información cuatrimestral de contratos de un contratista"
    clave = "declaracion"

    pendiente = Estado(
        "Pendiente",
        "El contratista tuvo registro vigente en algún momento del cuatrimestre y debe "
        "proporcionar al IMSS la información de los contratos celebrados en él (LSS art. 15 A, "
        "tercer párrafo; el INFONAVIT la pide en las mismas fechas, LINFONAVIT art. 29 Bis); "
        "aún no vence su plazo. Si la lista del IMSS lo marca «sin contratos» en el periodo, no "
        "la debe.",
        initial=True,
    )
    presentada = Estado(
        "Presentada",
        "El IMSS recibió la declaración a más tardar el día de vencimiento: la obligación del "
        "cuatrimestre está cumplida.",
        final=True,
    )
    omisa = Estado(
        "Omisa",
        "Terminó el día de vencimiento sin declaración: infracción del LSS art. 304 A, fracción "
        "XXII («no presentar»), multa de 500 a 2000 UMA (art. 304 B, fracción V).",
    )
    extemporanea = Estado(
        "Extemporánea",
        "El contratista presentó la declaración después del vencimiento: infracción del LSS "
        "art. 304 A, fracción XXII («presentar fuera del plazo legal establecido»).",
    )
    multada = Estado(
        "Multada",
        "El IMSS impuso la multa de 500 a 2000 veces el valor de la UMA vigente el día de la "
        "infracción (LSS art. 304 B, fracción V).",
    )
    informada = Estado(
        "Informada a la STPS",
        "El IMSS informó a la STPS del incumplimiento (LSS art. 15 A, último párrafo), por "
        "correo electrónico institucional (Mecanismo, numeral 9): queda para los efectos de la "
        "Ley Federal del Trabajo. El expediente de la declaración termina aquí.",
        final=True,
    )

    declaracion_presentada = Event(pendiente.to(presentada), name="Declaración presentada")
    fin_plazo_declaracion = Event(pendiente.to(omisa), name="Fin del plazo de la declaración")
    declaracion_extemporanea = Event(omisa.to(extemporanea), name="Declaración extemporánea")
    multa_impuesta = Event(multada.from_(omisa, extemporanea), name="Multa impuesta")
    informe_stps = Event(informada.from_(omisa, extemporanea, multada),
                         name="Informe a la STPS")

    reglas: ClassVar[Mapping[str, Regla | Mapping[str, Regla]]] = {
        "declaracion_presentada": Regla(
            "imss", "LSS art. 15 A, tercer párrafo; LINFONAVIT art. 29 Bis", PLAZO_DECLARACION,
        ),
        "fin_plazo_declaracion": Regla(
            "reloj", "LSS art. 15 A, tercer párrafo; " + INFRACCION_DECLARACION,
            "Termina: el plazo de la declaración, al fin del día de vencimiento (00:00 del día "
            "siguiente).",
        ),
        "declaracion_extemporanea": Regla("imss", INFRACCION_DECLARACION),
        "multa_impuesta": Regla("imss", MULTA_DECLARACION),
        "informe_stps": Regla("imss", INFORME_DECLARACION),
    }

    # A filing is one row of IMSS's filing list: on time or late, the engine tells by its date.
    entradas: ClassVar[Mapping[str, str]] = {
        "declaracion_presentada": "declaraciones",
        "fin_plazo_declaracion": "reloj",
        "declaracion_extemporanea": "declaraciones",
        "multa_impuesta": "multa",
        "informe_stps": "informe_stps",
    }
