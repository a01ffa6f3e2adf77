"""The lifecycle charts compiled into flat transition tables.

The engine runs a whole padrón (up to 1,000,000 contractors) as columns of state codes; it never
instantiates one python-statemachine object per contractor. Each chart is compiled once into a
state × event table of target codes. The table is derived from the chart and a property test
drives both with the same random events, so it cannot drift from the specification.

>>> s = EXPEDIENTE.state_code("senalado")
>>> EXPEDIENTE.states[EXPEDIENTE.step(s, EXPEDIENTE.event_code("exhorto_notificado"))]
'exhortado'
>>> EXPEDIENTE.step(s, EXPEDIENTE.event_code("opinion_positiva"))  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
repse.core.table.EventoNoPermitido: Expediente: el evento «opinion_positiva» no procede en el \
estado «senalado»; eventos permitidos: exhorto_notificado, criterio_exclusion, ...
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .errors import RepseError
from .lifecycle import Actor, Chart, ChartDefinitionError, Declaracion, Expediente, Registro

NOT_ALLOWED = -1


class EventoNoPermitido(RepseError):
    """An event that the chart does not allow in the given state."""

    def __init__(self, chart: str, state: str, event: str, permitidos: list[str]) -> None:
        self.chart, self.state, self.event = chart, state, event
        if permitidos:
            motivo = f"eventos permitidos: {', '.join(permitidos)}"
        else:
            motivo = "es un estado final y no admite ningún evento"
        super().__init__(f"{chart}: el evento «{event}» no procede en el estado «{state}»; "
                         f"{motivo}")


class NombreDesconocido(RepseError, KeyError):
    """A state id or event name that the chart does not declare."""

    def __init__(self, chart: str, que: str, nombre: str) -> None:
        super().__init__(f"{chart}: {que} desconocido «{nombre}»")

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


@dataclass(frozen=True)
class TransitionInfo:
    """One transition of a chart with the metadata a trace or a letter cites."""

    source: str
    event: str
    target: str
    actor: Actor
    fundamento: str
    plazo: str


@dataclass(frozen=True)
class CompiledChart:
    """A chart as a flat table: ``targets[state * len(events) + event]`` is the target state
    code, or ``-1`` when the chart does not allow that event in that state."""

    name: str
    states: tuple[str, ...]
    events: tuple[str, ...]
    targets: tuple[int, ...]
    initial: int
    finals: frozenset[int]
    info: Mapping[tuple[str, str], TransitionInfo]
    _state_codes: Mapping[str, int] = field(init=False, repr=False, compare=False)
    _event_codes: Mapping[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_state_codes", {s: i for i, s in enumerate(self.states)})
        object.__setattr__(self, "_event_codes", {e: i for i, e in enumerate(self.events)})

    def state_code(self, state_id: str) -> int:
        try:
            return self._state_codes[state_id]
        except KeyError:
            raise NombreDesconocido(self.name, "estado", state_id) from None

    def event_code(self, event: str) -> int:
        try:
            return self._event_codes[event]
        except KeyError:
            raise NombreDesconocido(self.name, "evento", event) from None

    def step(self, state: int, event: int) -> int:
        """The target of ``event`` from ``state`` (codes); refused with a Spanish message."""
        target = self.targets[state * len(self.events) + event]
        if target == NOT_ALLOWED:
            state_id = self.states[state]
            raise EventoNoPermitido(
                self.name, state_id, self.events[event], self.allowed_events(state_id)
            )
        return target

    def allowed_events(self, state_id: str) -> list[str]:
        """The events the chart accepts in ``state_id``, in declaration order."""
        row = self.state_code(state_id) * len(self.events)
        return [e for i, e in enumerate(self.events) if self.targets[row + i] != NOT_ALLOWED]

    def is_final(self, state_id: str) -> bool:
        return self.state_code(state_id) in self.finals


def compile_chart(chart_cls: type[Chart]) -> CompiledChart:
    """Compile ``chart_cls`` into its table. Refuses what a table cannot express: a guarded
    transition, or two transitions from one state on one event. (The chart's own metadata was
    checked when its class was defined.)"""
    states = tuple(s.id for s in chart_cls.states)
    events = tuple(str(e) for e in chart_cls.events)
    codes = {s: i for i, s in enumerate(states)}
    ev_codes = {e: i for i, e in enumerate(events)}
    targets = [NOT_ALLOWED] * (len(states) * len(events))
    info: dict[tuple[str, str], TransitionInfo] = {}
    for state in chart_cls.states:
        for transition in state.transitions:
            if any(True for _ in transition.cond) or len(transition.targets) != 1:
                raise ChartDefinitionError(
                    f"{chart_cls.__name__}: {transition} tiene condición o varios destinos; "
                    "la tabla compilada no puede expresarla"
                )
    for source, event, target in chart_cls.transiciones():
        key = codes[source] * len(events) + ev_codes[event]
        if targets[key] != NOT_ALLOWED:
            raise ChartDefinitionError(
                f"{chart_cls.__name__}: dos transiciones desde «{source}» con «{event}»"
            )
        targets[key] = codes[target]
        regla = chart_cls.regla(source, event)
        info[source, event] = TransitionInfo(
            source, event, target, regla.actor, regla.fundamento, regla.plazo
        )
    assert chart_cls.initial_state is not None
    return CompiledChart(
        name=chart_cls.__name__,
        states=states,
        events=events,
        targets=tuple(targets),
        initial=codes[chart_cls.initial_state.id],
        finals=frozenset(codes[s.id] for s in chart_cls.final_states),
        info=MappingProxyType(info),
    )


EXPEDIENTE: CompiledChart = compile_chart(Expediente)
REGISTRO: CompiledChart = compile_chart(Registro)
DECLARACION: CompiledChart = compile_chart(Declaracion)
TABLES: Mapping[str, CompiledChart] = {"expediente": EXPEDIENTE, "registro": REGISTRO,
                                       "declaracion": DECLARACION}
