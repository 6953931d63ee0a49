# The two front-door commands: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
DB     ?= $(HOME)/.local/share/Rovaseutu/desk.sqlite3
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: run test test-fast test-dates test-dates-full lint translations compile-translations screenshots clean bench bench-load \
        bundle bundle-tarball bundle-check chaos

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

test: lint compile-translations
	$(PY) -m pytest -q

test-fast: $(DEVSTAMP) compile-translations
	$(PY) -m pytest -q -x tests/unit

# The unit and GUI tests with the clock moved (libfaketime: `apt-get install faketime`), so a
# time bomb fails now rather than on its day: a 29 February, 23.50 in Helsinki on New
# Year's Eve, and a day years ahead. Monotonic time moves with it (libfaketime's sleeps
# fail with EINVAL when only the wall clock is faked). Not the benchmark smoke run: it
# drives a PostgreSQL server whose clock is not moved, and waits on it in real time.
FAKE_DAYS = "2028-02-29 10:00:00" "2026-12-31 21:50:00" "2033-06-15 07:30:00"
# The GUI tests (most of the time of a run) once, at the date that crosses the most
# boundaries within minutes: 23.50 in Helsinki on New Year's Eve (day, month and year);
# the unit tests, where the services and rules count days, at all three, the three runs
# at once (each in its own temporary folder under DATES_LOG, with its log; they share no
# file but the wheel test's build folder, so that test is left to `make test`). CI stays
# well within its time this way; `make test-dates-full` runs the GUI tests at every date.
# Left out at the moved date (they run in `make test`): the layout and style tests, which
# render every view at every text size, and the other "fits at 150 %" tests; a quarter
# of the GUI tests' time, and about the size of the text, not about the day.
GUI_FAKE_DAY = 2026-12-31 21:50:00
GUI_DATES_SKIP = --ignore=tests/gui/test_layout.py --ignore=tests/gui/test_style.py -k "not 150"
DATES_LOG = /tmp/desk-test-dates
test-dates: $(DEVSTAMP) compile-translations
	@rm -rf $(DATES_LOG) && mkdir -p $(DATES_LOG)
	@for when in $(FAKE_DAYS); do \
	  tag=$$(echo "$$when" | tr -c '0-9\n' '-'); \
	  ( TZ=UTC faketime -f "@$$when" \
	      $(PY) -m pytest -q -p no:cacheprovider tests/unit --basetemp=$(DATES_LOG)/tmp-$$tag \
	        --ignore=tests/unit/test_benchmarks_smoke.py \
	        --deselect tests/unit/test_translations_install.py::test_the_wheel_carries_the_catalogs \
	      > $(DATES_LOG)/unit-$$tag.log 2>&1; echo $$? > $(DATES_LOG)/unit-$$tag.rc ) & \
	done; wait
	@failed=0; for when in $(FAKE_DAYS); do \
	  tag=$$(echo "$$when" | tr -c '0-9\n' '-'); \
	  echo "== unit tests on $$when UTC"; tail -n 15 $(DATES_LOG)/unit-$$tag.log; \
	  [ "$$(cat $(DATES_LOG)/unit-$$tag.rc)" = 0 ] || { failed=1; cat $(DATES_LOG)/unit-$$tag.log; }; \
	done; exit $$failed
	@echo "== GUI tests on $(GUI_FAKE_DAY) UTC"
	@TZ=UTC faketime -f "@$(GUI_FAKE_DAY)" $(PY) -m pytest -q -p no:cacheprovider tests/gui \
	  $(GUI_DATES_SKIP)

test-dates-full: $(DEVSTAMP) compile-translations
	@for when in $(FAKE_DAYS); do \
	  echo "== tests on $$when UTC"; \
	  TZ=UTC faketime -f "@$$when" \
	    $(PY) -m pytest -q -p no:cacheprovider tests/unit tests/gui \
	      --ignore=tests/unit/test_benchmarks_smoke.py || exit 1; \
	done

# The sync chaos, model and SIGKILL tests at scale, as the real staff roles (docs/chaos.md):
# per seed, one hypothesis run of the model (`@seed`), the chaos of CHAOS_CLIENTS desks
# and CHAOS_KILLS kills of each SIGKILL case (two cases: 20 seeds x 2 x 25 = 1,000 kills).
# Needs DESK_TEST_PG_URL (or PostgreSQL binaries for a throwaway server). About 75 min on 2 CPUs.
CHAOS_SEEDS   ?= $(shell seq 1 20)
CHAOS_CLIENTS ?= 5
CHAOS_STEPS   ?= 500
CHAOS_KILLS   ?= 25
chaos: $(DEVSTAMP)
	@for seed in $(CHAOS_SEEDS); do \
	  echo "== chaos seed $$seed: $(CHAOS_CLIENTS) clients, $(CHAOS_STEPS) steps, 2x$(CHAOS_KILLS) kills"; \
	  DESK_TEST_SEED=$$seed DESK_CHAOS_CLIENTS=$(CHAOS_CLIENTS) DESK_CHAOS_STEPS=$(CHAOS_STEPS) \
	  DESK_CHAOS_EXAMPLES=1 DESK_CHAOS_KILLS=$(CHAOS_KILLS) \
	    $(PY) -m pytest -q -p no:cacheprovider -s -o faulthandler_timeout=0 tests/integration/test_sync_model.py \
	      tests/integration/test_sync_faults.py || exit 1; \
	done

# The code's health without running it: the layers, the types, ruff's rules. No
# `ruff format --check`: the code keeps its compact, hand-wrapped style (formatting
# would add some 4,500 lines across 227 files); ruff check holds line length and imports.
lint: $(DEVSTAMP)
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	$(VENV)/bin/ruff check .

# After changing user-visible strings: extract, merge into fi/sv/en, then translate fi and sv.
translations: $(STAMP)
	$(PY) scripts/i18n.py update
	$(PY) scripts/i18n.py check || true

screenshots: $(STAMP) compile-translations
	mkdir -p shots
	for lang in fi sv; do for view in login queue today appointments appointments-day customers customer \
	    caseload plan feedback reports sync kiosk first-run; do \
	  $(PY) -m app --db shots/demo.sqlite3 --demo --lang $$lang \
	    --screenshot shots/$$view-$$lang.png --view $$view || exit 1; done; done

# Performance against raw baselines (benchmarks/README.md). Rows 5-6 use the PostgreSQL
# of DESK_BENCH_PG_URL (a role that may create databases), else DESK_TEST_PG_URL, else a
# throwaway server started for the run (tests/pg_server.py).
bench: $(DEVSTAMP) compile-translations
	$(PY) -m benchmarks.run

# Twenty desks at once (#28 item 5): 20 workstation processes against one central
# PostgreSQL (as for bench) through a busy day compressed into ten minutes; about 15 min
# in all. Opt-in: not part of bench or test. benchmarks/README.md has its figures.
bench-load: $(DEVSTAMP) compile-translations
	$(PY) -m benchmarks.load

# The one-folder program in dist/desk/ (installer/desk.spec), no Python needed to run it.
VERSION = $(shell $(PY) -c 'import app; print(app.__version__)')
bundle: $(DEVSTAMP) compile-translations
	$(VENV)/bin/pyinstaller --noconfirm --log-level WARN --distpath dist \
	  --workpath build/pyinstaller installer/desk.spec

# The bundle, the .desktop file and the icon as one tarball for Linux workstations.
bundle-tarball: bundle
	rm -rf build/tarball && mkdir -p build/tarball/desk-$(VERSION)
	cp -a dist/desk/. build/tarball/desk-$(VERSION)/
	cp installer/linux/desk.desktop installer/linux/install.sh resources/icons/desk.png \
	  build/tarball/desk-$(VERSION)/
	tar -C build/tarball -czf dist/desk-$(VERSION)-linux-x86_64.tar.gz desk-$(VERSION)
	@echo dist/desk-$(VERSION)-linux-x86_64.tar.gz

# Starts the bundled program: its version, then the sign-in window rendered offscreen.
bundle-check: bundle
	$(PY) installer/check_bundle.py dist/desk

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .mypy_cache
