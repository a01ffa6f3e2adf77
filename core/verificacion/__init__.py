"""What checks the lifecycle charts, apart from the product: tooling the tests use; no product
module imports this package (an import-linter contract says so).

- :mod:`.paths` — paths through a chart's graph (shortest paths, a transition cover) and traces;
- :mod:`.scenarios` — the GT's hand-written scenarios, checked against the charts;
- :mod:`.scenario_inputs` — those scenarios as the engine's JSON Lines inputs.
"""
