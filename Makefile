# Cadre's front door. `make demo` and `make test` are the two commands a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
FAST_STAMP := $(VENV)/.installed-fast

.DEFAULT_GOAL := help
.PHONY: help install install-fast install-dev coverage demo gettext test test-fast test-moved-clock lint format lock browser screenshots clean bench-mdgp bench-mdgp-kernels bench-golfer bench-formation bench-rotation bench-lint bench-web bench-web-cpu bench-web-processes bench-search bench-scale

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-17s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

install: $(STAMP)  ## create .venv and install what Cadre runs on from requirements.lock (no development tools)

# The fast extra: numba, which compiles the MDGP solver's kernel (`cadre mdgp` only; the web
# application, the demo and formation never use it). Without it the solver runs its NumPy kernel.
$(FAST_STAMP): $(STAMP) requirements-fast.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-fast.lock
	@# Compile the MDGP solver's numba kernel once now (cached on disk) rather than in a timed run.
	$(BIN)/python -c "from cadre.engine.grouping import warm_up; warm_up()"
	@touch $(FAST_STAMP)

install-fast: $(FAST_STAMP)  ## add numba from requirements-fast.lock: the MDGP solver's compiled kernel

$(DEV_STAMP): $(FAST_STAMP) requirements-dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-dev.lock
	@touch $(DEV_STAMP)

install-dev: $(DEV_STAMP)  ## add the test and lint tools from requirements-dev.lock

demo: install  ## migrate var/cadre.sqlite3, load the demo network once, serve on http://127.0.0.1:8000
	$(BIN)/cadre demo --serve

# Tests run in one process per core (pytest-xdist), a test file to a process so that what a
# module builds once is built once; PYTEST_WORKERS=0 runs them in this process.
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -p no:cacheprovider -n $(PYTEST_WORKERS) --dist loadfile
# COVERAGE=1 measures coverage on any test target and fails under the floor in pyproject.toml
# ([tool.coverage.report] fail_under). It about doubles the tests' time, so it is not the default.
ifneq ($(COVERAGE),)
PYTEST += --cov --cov-report=term
endif

test: install-dev browser gettext  ## the whole test suite on SQLite (browser tests included)
	$(PYTEST) $(PYTEST_ARGS)

test-fast: install-dev gettext  ## the suite without the browser tests
	$(PYTEST) -m "not browser" $(PYTEST_ARGS)

coverage: install-dev gettext  ## the suite without the browser tests, with coverage; fails under the floor in pyproject.toml
	$(PYTEST) -m "not browser" --cov --cov-report=term $(PYTEST_ARGS)

MOVED_CLOCK ?= +200d
test-moved-clock: install-dev gettext  ## the suite without the browser tests, clock moved by libfaketime (MOVED_CLOCK=+200d)
	bin/moved-clock "$(MOVED_CLOCK)" $(PYTEST) -m "not browser" $(PYTEST_ARGS)

browser:  ## make sure Debian's Chromium is there for the browser tests
	@bin/ensure-chromium

# The catalogue test (cadre catalogues --check) extracts the marked strings with GNU gettext.
gettext:
	@bin/ensure-gettext

SCREENSHOT_TESTS := tests/browser/test_navigation.py tests/browser/test_sso_journey.py \
	tests/browser/test_chat_settings_journey.py tests/browser/test_webhooks_journey.py \
	tests/browser/test_rsvp_counts_journey.py
screenshots: install-dev browser  ## the docs screenshots (navigation, single sign-on, Slack and Teams, webhooks, calendar) -> docs/images
	CADRE_SCREENSHOTS=docs/images $(BIN)/python -m pytest -p no:cacheprovider $(SCREENSHOT_TESTS)

lint: install-dev  ## ruff, mypy over cadre/ (django-stubs), the import layers (import-linter), and a check that no migration is missing
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/mypy
	$(BIN)/lint-imports
	DEBUG=1 $(BIN)/cadre makemigrations --check --dry-run

format: install-dev  ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

UV ?= uv
lock:  ## re-resolve requirements.lock, requirements-fast.lock and requirements-dev.lock from pyproject.toml (needs uv)
	$(UV) pip compile requirements.in --universal --python-version 3.11 --generate-hashes \
		--no-emit-package cadre -o requirements.lock
	$(UV) pip compile requirements-fast.in --universal --python-version 3.11 --generate-hashes \
		--no-emit-package cadre -o requirements-fast.lock
	$(UV) pip compile requirements-dev.in --universal --python-version 3.11 --generate-hashes \
		--no-emit-package cadre -o requirements-dev.lock

clean:  ## remove the virtualenv and local data
	rm -rf $(VENV) var

bench-mdgp: install-fast  ## MDGP solver on ../shared/benchmarks/mdgp at the literature's time limits; writes benchmarks/mdgp/RESULTS.md
	$(BIN)/python benchmarks/mdgp/run.py $(BENCH_ARGS)

bench-mdgp-kernels: install-fast  ## MDGP moves per second, numba kernel vs the NumPy one (no fast extra) -> benchmarks/mdgp/KERNELS.md
	$(BIN)/python benchmarks/mdgp/kernels.py $(BENCH_ARGS)

bench-golfer: install  ## Social Golfer: every best_known.csv row, 60 s each -> benchmarks/golfer/RESULTS.md
	$(BIN)/python benchmarks/golfer/run.py

bench-formation: install  ## cadre form vs random and greedy on the demo's applicants, plus 10,000 people -> benchmarks/formation/RESULTS.md
	$(BIN)/python benchmarks/formation/run.py $(BENCH_ARGS)

bench-rotation: install  ## virtual coffee: cadre rotate on 1,000 and 10,000 people, pairs and trios, 5 rounds -> benchmarks/rotation/RESULTS.md
	$(BIN)/python benchmarks/rotation/run.py $(BENCH_ARGS)

bench-lint: install  ## commitment and feedback checks on benchmarks/lint/*.csv (tune and holdout) -> benchmarks/lint/RESULTS.md
	$(BIN)/python benchmarks/lint/run.py

bench-web: install  ## member pages and the dashboards vs /healthz on the 10,000-person demo (requests/s) -> benchmarks/web/RESULTS.md
	$(BIN)/python benchmarks/web/run.py $(BENCH_ARGS)

bench-web-cpu: install  ## CPU per request of each page as a multiple of the floor page, 1,000 and 10,000 people, 1 and 3 years -> benchmarks/web/CPU.md
	$(BIN)/python benchmarks/web/cpu.py $(BENCH_ARGS)

bench-web-processes: install  ## requests/s of three member pages under gunicorn with 1, 2, 3 and 5 processes (ApacheBench) -> benchmarks/web/PROCESSES.md
	$(BIN)/python benchmarks/web/processes.py $(BENCH_ARGS)

bench-search: install  ## library search latency (p50/p95) on the 10,000-person demo plus 100,000 items and entries -> benchmarks/search/RESULTS.md
	$(BIN)/python benchmarks/search/run.py $(BENCH_ARGS)

bench-scale: install  ## 100,000 people on PostgreSQL (cadre_scale): build, size, formation, coffee, search, pages, reminder scan -> benchmarks/scale/RESULTS.md
	$(BIN)/python benchmarks/scale/run.py $(BENCH_ARGS)
