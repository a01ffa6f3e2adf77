# Every target creates .venv on first use and reinstalls only when pyproject.toml changes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run demo test lint specs bench clean servidor-demo

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "repse necesita Python 3.11 o posterior ($(PYTHON))"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# pip relays setuptools' notices about any editable install and the machine's index
	@# warnings even with -q; a newcomer reads them as errors. They go to a log, shown whole
	@# only when the installation fails.
	@echo "Instalando repse en $(VENV)/ (registro en $(VENV)/instalacion.log)…"
	@{ $(BIN)/python -m pip install -q --upgrade pip && \
	   $(BIN)/python -m pip install -q -e '.[test]'; } > $(VENV)/instalacion.log 2>&1 || \
	  { cat $(VENV)/instalacion.log; echo "repse: la instalación falló"; exit 1; }
	@touch $(STAMP)

## run: the main job — the plan of the next cycle
run: $(STAMP)
	@$(BIN)/repse plan

## demo: a generated padrón of 150,000 contractors in a simulation store, opened in the TUI
demo: $(STAMP)
	@$(BIN)/repse demo

## test: lint, the layer contracts (pyproject.toml, [tool.importlinter]), then the whole test suite
## (it starts its own PostgreSQL, installed from Debian's packages if missing)
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	@bash tests/instalar-postgresql
	$(BIN)/python -m pytest

## servidor-demo: a throw-away PostgreSQL with two users (IMSS, STPS) to try two offices at once
servidor-demo: $(STAMP)
	@bash tests/instalar-postgresql
	@$(BIN)/python -m tests.pg

## specs: regenerate specs/ (diagrams and the spec book) from the lifecycle charts
specs: $(STAMP)
	$(BIN)/repse specs

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

## bench: a full cycle at 150,000 and 1,000,000 contractors, with baselines; then ten cycles of
## 150,000 and what a correction costs at the end of them; a period of four-monthly reports
## of 150,000 against a round of opinions; the 18,000 exhorto letters as PDF
bench: $(STAMP)
	@bash tests/instalar-postgresql
	$(BIN)/python -m bench
	$(BIN)/python -m bench.historia
	$(BIN)/python -m bench.declaraciones
	$(BIN)/python -m bench.documentos

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
