"""specs/ is generated from the charts and must be current: what reviewers read is what runs."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from repse.core import specs
from repse.core.calendars import calendarios
from repse.core.cycle import Ciclo, plan_ciclo
from repse.core.lifecycle import CHARTS, Expediente, Regla
from repse.tui.cli import main

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
FIX = "specs/ is out of date with the lifecycle charts: run `make specs` and commit the result"
TEXT_SUFFIXES = {".mmd", ".dot", ".md"}


def test_specs_are_current(tmp_path):
    specs.escribir(tmp_path)
    generated = sorted(p.name for p in tmp_path.iterdir() if p.suffix in TEXT_SUFFIXES)
    committed = sorted(p.name for p in SPECS.iterdir() if p.suffix in TEXT_SUFFIXES)
    assert generated == committed, FIX
    for name in generated:
        assert (SPECS / name).read_bytes() == (tmp_path / name).read_bytes(), f"{name}: {FIX}"


def test_specs_check_passes_on_the_committed_specs(capsys):
    assert main(["specs", "--check", "--dir", str(SPECS)]) == 0, FIX
    assert "al día" in capsys.readouterr().out


def test_specs_check_names_the_stale_files_and_the_fix(tmp_path, capsys):
    shutil.copytree(SPECS, tmp_path / "specs")
    (tmp_path / "specs" / "expediente.mmd").write_text("stateDiagram-v2\n", encoding="utf-8")
    (tmp_path / "specs" / "registro.dot").unlink()
    assert main(["specs", "--check", "--dir", str(tmp_path / "specs")]) == 1
    err = capsys.readouterr().err
    assert "expediente.mmd (distinto)" in err
    assert "registro.dot (falta)" in err
    assert "make specs" in err


def test_changing_a_transition_makes_specs_stale(monkeypatch):
    reglas = dict(Expediente.reglas)
    reglas["padron_recibido"] = Regla("stps", "Mecanismo, numeral 1 (cambiado)")
    monkeypatch.setattr(Expediente, "reglas", reglas)
    assert "ESPECIFICACION.md (distinto)" in specs.desactualizados(SPECS)


def test_specs_writes_every_file(tmp_path, capsys):
    assert main(["specs", "--dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    names = {p.name for p in tmp_path.iterdir()}
    assert {"expediente.mmd", "expediente.dot", "registro.mmd", "registro.dot",
            "ESPECIFICACION.md"} <= names
    if shutil.which("dot"):
        assert {"expediente.svg", "registro.svg"} <= names
        assert (tmp_path / "expediente.svg").read_text(encoding="utf-8").lstrip().startswith("<")
    else:
        assert "Graphviz (dot) no está instalado" in out


# --------------------------------------------------------------------------------------------
# Mermaid and DOT: basic syntax, and every state and transition drawn
# --------------------------------------------------------------------------------------------
MERMAID_LINE = re.compile(
    r"^(stateDiagram-v2|    direction (TB|LR)|\s*\}|"
    r"\s*state \"[^\"\n:;#{}<>]+\" as [a-z_]+( \{)?|"
    r"\s*(\[\*\]|[a-z_]+) --> [a-z_]+( : [a-z_]+(, [a-z_]+)*)?|"
    r"    classDef final [a-z:;,\-0-9 ]+|"
    r"    class [a-z_]+(, [a-z_]+)* final)$"
)


@pytest.mark.parametrize("name", list(CHARTS))
def test_mermaid_is_a_valid_state_diagram(name):
    chart = CHARTS[name]
    text = specs.mermaid(chart)
    assert text.startswith("stateDiagram-v2\n")
    for line in text.splitlines():
        assert MERMAID_LINE.match(line), f"line Mermaid may not parse: {line!r}"
    assert text.count("{") == text.count("}")
    for state in chart.states:
        assert f'state "{state.name}" as {state.id}' in text
    final = re.search(r"class (.+) final", text)[1].split(", ")
    assert final == [s.id for s in chart.final_states]
    _every_transition_drawn(chart, text, "-->", " : ", ", ")


@pytest.mark.parametrize("name", list(CHARTS))
def test_dot_declares_every_state_and_transition(name):
    chart = CHARTS[name]
    text = specs.dot(chart)
    assert text.startswith(f"digraph {chart.__name__} {{\n") and text.endswith("}\n")
    assert text.count("{") == text.count("}")
    assert text.count('"') % 2 == 0
    for state in chart.states:
        assert re.search(rf"^\s*{state.id} \[label=", text, re.M), state.id
    # DOT edge labels: events joined by an escaped line break.
    edges = [(source, target, label.split("\\n"), "ltail=cluster_abierto" in rest)
             for source, target, label, rest in re.findall(
                 r"^\s*([a-z_]+) -> ([a-z_]+) \[label=\"([^\"]*)\"(.*)\];$", text, re.M)]
    open_states = {s.id for s in chart.states if not s.final}
    for source, event, target in chart.transiciones():
        assert any(event in events and t == target and (s == source or
                                                        (ltail and source in open_states))
                   for s, t, events, ltail in edges), f"{source} --{event}--> {target} not drawn"


def _every_transition_drawn(chart, text, arrow, sep, joiner):
    arrows = {}
    for source, target, label in re.findall(rf"([a-z_]+) {arrow} ([a-z_]+){sep}(.+)", text):
        arrows[source, target] = label.split(joiner)
    open_states = {s.id for s in chart.states if not s.final}
    for source, event, target in chart.transiciones():
        drawn = event in arrows.get((source, target), [])
        grouped = source in open_states and event in arrows.get((specs.GRUPO, target), [])
        assert drawn or grouped, f"{source} --{event}--> {target} not drawn"
    # …and nothing is drawn that the chart does not do.
    chart_events = {(s, e, t) for s, e, t in chart.transiciones()}
    for (source, target), events in arrows.items():
        for event in events:
            sources = open_states if source == specs.GRUPO else {source}
            assert all((s, event, target) in chart_events for s in sources), (source, event)


# --------------------------------------------------------------------------------------------
# The spec book
# --------------------------------------------------------------------------------------------
def test_the_book_has_every_state_and_transition_with_its_fundamento():
    book = (SPECS / "ESPECIFICACION.md").read_text(encoding="utf-8")
    for chart in CHARTS.values():
        for state in chart.states:
            assert f"| `{state.id}` | {state.name} |" in book
        for source, event, target in chart.transiciones():
            regla = chart.regla(source, event)
            row = f"| `{source}` | `{event}` | `{target}` |"
            line = next(line for line in book.splitlines() if line.startswith(row))
            assert line.rstrip().endswith(f"| {regla.fundamento} |")
        assert specs.mermaid(chart) in book.replace("```mermaid\n", "").replace("```\n", "")
    assert book.count("```mermaid") == len(CHARTS) + 1  # and the Gantt


def test_the_gantt_is_the_nominal_plan_of_2026_1():
    cals = calendarios()
    plan = plan_ciclo(Ciclo(2026, 1), cals)
    text = specs.gantt(plan, cals)
    assert text in (SPECS / "ESPECIFICACION.md").read_text(encoding="utf-8")
    tasks = re.findall(r"^        (.+) :(milestone, )?([a-z0-9]+), (\S+), (\d+)d$", text, re.M)
    assert len(tasks) == len([line for line in text.splitlines() if line.startswith(" " * 8)])
    for name, _, _, start, _ in tasks:
        assert not set(name) & set(":;#"), name  # would break the Gantt syntax
        date.fromisoformat(start)
    by_key = {key: (date.fromisoformat(start), int(days)) for _, _, key, start, days in tasks}
    assert by_key["d0"][0] == plan.fecha_consulta == date(2026, 1, 26)
    assert by_key["exhorto"][0] == plan.exhorto
    assert by_key["d2"][0] == plan.segunda_consulta
    assert by_key["d3"][0] == plan.tercera_consulta
    start, days = by_key["regularizacion"]
    assert days == 30 and start == date(2026, 1, 30)
    start, days = by_key["prorroga"]  # 28 Feb 2026 is a Saturday: LFPA art. 29
    assert date.fromordinal(start.toordinal() + days - 1) == plan.fin_plazo_regularizacion
    start, days = by_key["audiencia"]
    assert date.fromordinal(start.toordinal() + days - 1) == plan.fin_plazo_audiencia
