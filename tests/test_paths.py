"""Model-derived scenarios: the chart itself says which paths must be pinned.

The shortest path to every state and a set of paths that fires every transition are computed
from the compiled table, replayed on real chart instances and pinned as readable traces under
``snapshots/test_paths/``. The test ids come from the chart: a new state or transition has no
pinned trace yet, so the suite fails until someone reads the new trace and accepts it."""

from __future__ import annotations

import itertools

import pytest

from repse.core.lifecycle import CHARTS
from repse.core.table import TABLES
from repse.core.verificacion.paths import (
    format_path,
    shortest_paths,
    trace,
    transition_cover,
    uncovered_transitions,
    unreachable_states,
)

FIX = ("the lifecycle chart changed: read the new trace, then run "
       "`.venv/bin/python -m pytest --snapshot-update` and `make specs`, and commit both")

SHORTEST = [(name, state, path) for name, table in TABLES.items()
            for state, path in shortest_paths(table).items()]
COVER = [(name, key, path) for name, table in TABLES.items()
         for key, path in transition_cover(table).items()]


@pytest.mark.parametrize(("name", "state", "path"), SHORTEST,
                         ids=[f"{n}-{s}" for n, s, _ in SHORTEST])
def test_shortest_path(name, state, path, snapshot):
    replayed = trace(CHARTS[name], [t.event for t in path])
    assert replayed == path  # the chart does what the table says
    text = format_path(TABLES[name], f"camino más corto a «{state}»", replayed)
    assert text == snapshot, FIX


@pytest.mark.parametrize(("name", "key", "path"), COVER, ids=[f"{n}-{k}" for n, k, _ in COVER])
def test_transition_cover(name, key, path, snapshot):
    replayed = trace(CHARTS[name], [t.event for t in path])
    assert replayed == path
    text = format_path(TABLES[name], f"recorrido que cubre «{key}»", replayed)
    assert text == snapshot, FIX


@pytest.mark.parametrize("name", list(TABLES))
def test_every_state_and_transition_has_a_pinned_path(name):
    table = TABLES[name]
    assert unreachable_states(table) == [], FIX
    pinned_states = {s for n, s, _ in SHORTEST if n == name}
    assert pinned_states == set(table.states), FIX
    cover = [p for n, _, p in COVER if n == name]
    assert uncovered_transitions(table, cover) == [], FIX
    assert {(t.source, t.event) for p in cover for t in p} == set(table.info), FIX


@pytest.mark.parametrize("name", list(TABLES))
def test_every_cover_path_is_a_complete_procedure(name):
    table = TABLES[name]
    for path in transition_cover(table).values():
        assert path[0].source == table.states[table.initial]
        assert table.is_final(path[-1].target)
        for before, after in itertools.pairwise(path):
            assert before.target == after.source


def test_paths_are_deterministic():
    for table in TABLES.values():
        assert transition_cover(table) == transition_cover(table)
        assert shortest_paths(table) == shortest_paths(table)
