"""The GT scenarios pinned by the chart run through `repse replay` with the same traces."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from repse.core.api import replay_repo
from repse.core.table import TABLES
from repse.core.verificacion.scenario_inputs import RFC, entradas
from repse.core.verificacion.scenarios import ESCENARIOS, ejecutar
from repse.tui.cli import main


def write(tmp_path, clave: str) -> tuple[str, list]:
    steps = entradas(ESCENARIOS[clave])
    path = tmp_path / f"{clave}.jsonl"
    path.write_text("".join(json.dumps(obj, ensure_ascii=False) + "\n" for _, obj in steps))
    return str(path), steps


def expected_trace(clave: str) -> list[tuple]:
    """(moment, machine, event, source, target, fundamento) of every step the charts took."""
    escenario = ESCENARIOS[clave]
    states: dict[str, str] = {}
    out = []
    for paso in escenario.pasos:
        if paso.rechazo:
            continue
        table = TABLES[paso.chart]
        source = states.get(paso.maquina, table.states[table.initial])
        info = table.info[source, paso.evento]
        states[paso.maquina] = info.target
        out.append((datetime.fromisoformat(paso.fecha), paso.maquina, paso.evento, source,
                    info.target, info.fundamento))
    return out


@pytest.mark.parametrize("clave", list(ESCENARIOS))
def test_the_engine_replays_each_scenario_with_the_charts_trace(tmp_path, clave):
    path, steps = write(tmp_path, clave)
    repo = replay_repo(path, calendario=None)
    got = [(s.at, "registro" if s.carta == "registro" else f"expediente {s.ciclo}", s.evento,
            s.desde, s.hacia, s.fundamento) for s in repo.vista().historial(RFC)
           if s.carta not in ("nota", "declaracion")]  # the scenario's two charts
    assert got == expected_trace(clave)
    # Every step the scenario marks as refused is refused, with a reason, at its own line.
    refused_lines = {r.linea for r in repo.rechazos()}
    for line, (paso, _) in enumerate(steps, 1):
        assert (line in refused_lines) == paso.rechazo, (line, paso.evento)


@pytest.mark.parametrize("clave", list(ESCENARIOS))
def test_repse_replay_json_ends_in_the_scenarios_states(tmp_path, capsys, clave):
    path, _ = write(tmp_path, clave)
    assert main(["replay", path, "--json"]) == 0
    state = json.loads(capsys.readouterr().out)["contratistas"][RFC]
    final = ejecutar(ESCENARIOS[clave]).estados
    last_cycle = sorted(m for m in final if m.startswith("expediente"))[-1]
    assert (state["estado"], state["registro"]) == (final[last_cycle], final["registro"])
