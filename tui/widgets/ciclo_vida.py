"""A compact drawing of the procedure's lifecycle (the ``Expediente`` chart), one line per
state with where it can go, the contractor's path ticked and its current state highlighted."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.widgets import Static

from ...core.etiquetas import ESTADO, EVENTO
from ...core.table import EXPEDIENTE


def _grafo() -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
    """Targets per state, leaving apart the events every non-final state accepts (drawn once,
    as a footnote); and those universal events with their target."""
    finals = {EXPEDIENTE.states[c] for c in EXPEDIENTE.finals}
    open_states = set(EXPEDIENTE.states) - finals
    sources: dict[str, set[str]] = {}
    for (src, event) in EXPEDIENTE.info:
        sources.setdefault(event, set()).add(src)
    universal = [e for e in EXPEDIENTE.events if sources.get(e) == open_states]
    targets_of = {e: info.target for (_, e), info in EXPEDIENTE.info.items()}
    targets: dict[str, list[str]] = {s: [] for s in EXPEDIENTE.states}
    for (src, event), info in EXPEDIENTE.info.items():
        if event in universal or info.target == src or info.target in targets[src]:
            continue
        targets[src].append(info.target)
    return targets, [(e, targets_of[e]) for e in universal]


class CicloVida(Static):
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "ciclo--actual", "ciclo--recorrido", "ciclo--otro", "ciclo--flecha"}

    def __init__(self, **kwargs) -> None:
        super().__init__("", **kwargs)
        self._estado: str | None = None
        self._recorrido: list[str] = []

    def actualizar(self, estado: str | None, recorrido: list[str]) -> None:
        self._estado, self._recorrido = estado, recorrido
        self.update(self._texto())

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self.is_mounted and self._recorrido:
            self.update(self._texto())

    def _texto(self) -> Text:
        targets, universal = _grafo()
        style = self.get_component_rich_style
        width = max(len(ESTADO[s]) for s in EXPEDIENTE.states)
        finals = {EXPEDIENTE.states[c] for c in EXPEDIENTE.finals}
        text = Text(no_wrap=True, overflow="ellipsis")
        for state in EXPEDIENTE.states:
            if state == self._estado:
                mark, st = "▶ ", style("ciclo--actual")
            elif state in self._recorrido:
                mark, st = "✓ ", style("ciclo--recorrido")
            else:
                mark, st = "  ", style("ciclo--otro")
            name = ESTADO[state] + (" ◼" if state in finals else "")
            text.append(mark + f"{name:<{width + 2}}", st)
            if targets[state]:
                text.append(" ─▶ ", style("ciclo--flecha"))
                text.append(" · ".join(ESTADO[t] for t in targets[state]), style("ciclo--otro"))
            text.append("\n")
        notes = " · ".join(f"{EVENTO[e]} ─▶ {ESTADO[target]}" for e, target in universal)
        text.append(f"Desde cualquier estado no final: {notes}. ◼ = final.",
                    style("ciclo--flecha"))
        return text
