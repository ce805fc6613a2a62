# Two commands set everything up on a fresh machine: `make lab` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888

.PHONY: lab lab-headless test test-fast lint typecheck format bench report clean chromium plotly-basic

# Keyed on pip, not python: a venv interrupted before ensurepip finished has a python
# and no pip (and venv will not add it to an existing one), so it is made afresh here
# instead of failing every later target.
$(BIN)/pip:
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Re-install only when a requirements file, pyproject.toml or the compiled reader's
# source changed (the editable install builds newsnb/io/_native.c in place).
$(STAMP): $(BIN)/pip pyproject.toml binder/requirements.txt tests/requirements.txt newsnb/io/_native.c
	$(BIN)/pip install --quiet -r binder/requirements.txt -r tests/requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

# Jupyter refuses to run as root without --allow-root (containers, CI machines).
LAB_FLAGS := $(if $(filter 0,$(shell id -u)),--allow-root)

## lab: JupyterLab on the quickstart notebook (sample corpus built in)
lab: $(STAMP)
	$(BIN)/jupyter lab $(LAB_FLAGS) notebooks/01-quickstart.ipynb

## lab-headless: the same for a server: no browser, listens on all interfaces
lab-headless: $(STAMP)
	$(BIN)/jupyter lab $(LAB_FLAGS) --no-browser --ip=0.0.0.0 --port=$(PORT) notebooks/01-quickstart.ipynb

# Debian's Chromium for the browser tests (Playwright cannot download its own here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || echo "could not install chromium: browser tests will skip"; \
	  else echo "chromium missing and not root: browser tests will skip (apt-get install chromium)"; fi; }

## test: the whole suite (lint, types, unit, doctests, the README, notebooks, browser): what CI runs
test: $(STAMP) chromium lint typecheck
	$(BIN)/python -m pytest newsnb tests

## test-fast: the edit loop (about 1.5 minutes on 2 cores): lint, types, every test not marked slow or browser
test-fast: $(STAMP) lint typecheck
	$(BIN)/python -m pytest -q -m "not slow and not browser" newsnb tests

## report: report.html, the standalone HTML report of a 2,000-record sample corpus
report: $(STAMP)
	$(BIN)/newsnb report --sample 2000 -o report.html

## bench: the benchmarks (figures in the README); writes sample corpora to benchmarks/data
bench: $(STAMP)
	$(BIN)/python benchmarks/load.py
	$(BIN)/python benchmarks/analysis.py
	$(BIN)/python benchmarks/explorer.py
	$(BIN)/python benchmarks/explorer_browser.py

## plotly-basic: refresh the Explorer's plotly.js (plotly's basic bundle, from npm) to the
## plotly.js version of the installed plotly package (a test fails when they differ)
plotly-basic: $(STAMP)
	@version=$$($(BIN)/python -c "import pathlib, plotly, re; t = (pathlib.Path(plotly.__file__).parent / 'package_data' / 'plotly.min.js').read_text()[:400]; print(re.search(r'v(\d+\.\d+\.\d+)', t)[1])"); \
	  tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent plotly.js-basic-dist-min@$$version >/dev/null && tar xzf *.tgz && \
	  cp package/plotly-basic.min.js $(CURDIR)/newsnb/app/static/plotly-basic.min.js && \
	  cp package/LICENSE $(CURDIR)/newsnb/app/static/plotly-basic.LICENSE && rm -rf $$tmp && \
	  echo "newsnb/app/static/plotly-basic.min.js is now plotly.js $$version (basic)"

lint: $(STAMP)
	$(BIN)/ruff format --check newsnb tests benchmarks
	$(BIN)/ruff check newsnb tests benchmarks

## typecheck: mypy on the package (strict on the core; see [tool.mypy] in pyproject.toml)
typecheck: $(STAMP)
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format newsnb tests benchmarks
	$(BIN)/ruff check --fix newsnb tests benchmarks

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache
