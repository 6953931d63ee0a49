# The two front-door commands: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
DB     ?= $(HOME)/.local/share/Rovaseutu/desk.sqlite3
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: run test test-fast lint translations compile-translations screenshots clean bench

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Installs exactly what CI tested (constraints.txt), then the app itself.
$(STAMP): $(PY) pyproject.toml constraints.txt
	$(PIP) install --quiet -c constraints.txt -e .
	touch $@

$(DEVSTAMP): $(STAMP)
	$(PIP) install --quiet -c constraints.txt -e '.[dev]'
	touch $@

compile-translations: $(STAMP)
	$(PY) scripts/i18n.py compile

run: $(STAMP) compile-translations
	$(PY) -m app --demo

test: $(DEVSTAMP) compile-translations
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -q

test-fast: $(DEVSTAMP) compile-translations
	$(PY) -m pytest -q -x tests/unit

lint: $(DEVSTAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# After changing user-visible strings: extract, merge into fi/sv/en, then translate fi and sv.
translations: $(STAMP)
	$(PY) scripts/i18n.py update
	$(PY) scripts/i18n.py check || true

screenshots: $(STAMP) compile-translations
	mkdir -p shots
	for lang in fi sv; do for view in login customers customer; do \
	  $(PY) -m app --db shots/demo.sqlite3 --demo --lang $$lang \
	    --screenshot shots/$$view-$$lang.png --view $$view || exit 1; done; done

# Performance against raw baselines (benchmarks/README.md); rows 5-6 need
# DESK_BENCH_PG_URL pointing at a PostgreSQL role that may create databases.
bench: $(DEVSTAMP) compile-translations
	$(PY) -m benchmarks.run

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
