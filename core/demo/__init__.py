"""Demo files to rehearse a whole cycle from files alone (``repse demo-datos``): tooling, not the
product — no product module imports this package (an import-linter contract says so).

:func:`generar_demo` writes, for one cycle, the files the operators would receive — the padrón,
the opinion lists of every round and of the daily updates, and the RFC lists of each act — and a
``LEEME.txt`` with the nominal date of each step and the ``repse importar`` line that loads it.

- :mod:`.contratistas` — realistic contractors: names, RFCs with valid check digits, folios;
- :mod:`.archivos` — the files of a cycle, each messy in its own way, and what each must give;
- :mod:`.ciclo` — who is listed at each round, and :func:`generar_demo`;
- :mod:`.leeme` — LEEME.txt, the only place that spells the CLI's command lines.
"""

from .archivos import ArchivoDemo, ResumenDemo
from .ciclo import generar_demo

__all__ = ["ArchivoDemo", "ResumenDemo", "generar_demo"]
