"""Scenarios the model itself asks for: paths through a chart's graph, and their traces.

What XState's graph tools do and no Python state-machine library offers:

- :func:`shortest_paths` — the shortest sequence of events from the initial state to every state
  (breadth-first, events tried in declaration order, so the result is deterministic);
- :func:`transition_cover` — a set of paths from the initial state that fires every transition
  at least once. Each path walks greedily to the nearest transition not yet covered and, when none
  is reachable, on to the nearest final state, so every path is a complete procedure.

Paths are computed on the compiled table; :func:`trace` then replays a path on a real chart
instance, so a pinned trace shows what python-statemachine actually did.

>>> from repse.core.table import EXPEDIENTE
>>> [t.event for t in shortest_paths(EXPEDIENTE)["exhortado"]]
['padron_recibido', 'opinion_negativa', 'exhorto_notificado']
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable

from ..lifecycle import Chart
from ..table import CompiledChart, TransitionInfo

Path = tuple[TransitionInfo, ...]


def _outgoing(chart: CompiledChart, state: str) -> list[TransitionInfo]:
    return [chart.info[state, e] for e in chart.allowed_events(state)]


def _bfs(
    chart: CompiledChart, start: str, goal: Callable[[TransitionInfo], bool]
) -> Path | None:
    """Shortest path from ``start`` whose last transition satisfies ``goal``."""
    routes: dict[str, Path] = {start: ()}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        for t in _outgoing(chart, state):
            if goal(t):
                return (*routes[state], t)
            if t.target not in routes:
                routes[t.target] = (*routes[state], t)
                queue.append(t.target)
    return None


def shortest_paths(chart: CompiledChart) -> dict[str, Path]:
    """The shortest path from the initial state to every reachable state (state order)."""
    initial = chart.states[chart.initial]
    routes: dict[str, Path] = {initial: ()}
    queue = deque([initial])
    while queue:
        state = queue.popleft()
        for t in _outgoing(chart, state):
            if t.target not in routes:
                routes[t.target] = (*routes[state], t)
                queue.append(t.target)
    return {s: routes[s] for s in chart.states if s in routes}


def transition_cover(chart: CompiledChart) -> dict[str, Path]:
    """Paths that together fire every transition of ``chart`` at least once.

    Keyed by ``"<source>-<event>"`` of the last transition each path covers for the first
    time: a name taken from the chart, unique because each transition is first covered once.
    """
    uncovered = dict.fromkeys(chart.info)
    paths: dict[str, Path] = {}
    while uncovered:
        state, path, last_new = chart.states[chart.initial], (), None
        while route := _bfs(chart, state, lambda t: (t.source, t.event) in uncovered):
            path += route
            for t in route:
                if (t.source, t.event) in uncovered:
                    del uncovered[t.source, t.event]
                    last_new = t
            state = route[-1].target
        if not chart.is_final(state):
            closing = _bfs(chart, state, lambda t: chart.is_final(t.target))
            assert closing is not None, f"{chart.name}: «{state}» no llega a un estado final"
            path += closing
        assert last_new is not None
        paths[f"{last_new.source}-{last_new.event}"] = path
    return paths


def uncovered_transitions(chart: CompiledChart, paths: Iterable[Path]) -> list[tuple[str, str]]:
    """The ``(source, event)`` pairs of ``chart`` that no path fires."""
    fired = {(t.source, t.event) for path in paths for t in path}
    return [key for key in chart.info if key not in fired]


def unreachable_states(chart: CompiledChart) -> list[str]:
    reachable = shortest_paths(chart)
    return [s for s in chart.states if s not in reachable]


def current_state(machine: Chart) -> str:
    """The id of the one active state of a flat lifecycle chart."""
    (value,) = machine.configuration_values
    return machine.states_map[value].id


def trace(chart_cls: type[Chart], events: Iterable[str]) -> Path:
    """Replay ``events`` on a new instance of ``chart_cls`` and record each step as the chart
    did it: source and target read from the instance, metadata from the chart's rules."""
    machine = chart_cls()
    steps: list[TransitionInfo] = []
    for event in events:
        source = current_state(machine)
        machine.send(event)
        target = current_state(machine)
        regla = chart_cls.regla(source, event)
        steps.append(TransitionInfo(source, event, target, regla.actor, regla.fundamento,
                                    regla.plazo))
    return tuple(steps)


def format_step(n: int, step: TransitionInfo, prefix: str = "") -> str:
    """One trace line: number, input event, actor, source → target, fundamento, plazo."""
    plazo = step.plazo or "—"
    return (f"{n:>2}. {prefix}{step.event} [{step.actor}] {step.source} → {step.target}"
            f" | {step.fundamento} | plazo: {plazo}")


def format_path(chart: CompiledChart, title: str, path: Path) -> str:
    """A readable trace of ``path`` on ``chart``, as pinned in the snapshots."""
    initial = chart.states[chart.initial]
    end = path[-1].target if path else initial
    lines = [f"{chart.name}: {title}", f"Estado inicial: {initial}"]
    lines += [format_step(i, step) for i, step in enumerate(path, 1)]
    final = " (final)" if chart.is_final(end) else ""
    lines.append(f"Estado al terminar: {end}{final} — {len(path)} pasos")
    return "\n".join(lines) + "\n"

