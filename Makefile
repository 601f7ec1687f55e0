# The two commands: `make up` runs a whole office, `make test` runs every test.
# Both install what they need: uv (from PyPI, into .uv/ when it is not on the PATH) and the
# locked dependencies (into .venv/).

PYTHON ?= python3
UV := $(or $(shell command -v uv 2>/dev/null),.uv/bin/uv)
ARGS ?=
# The tests run in as many worker processes as the machine has cores (pytest-xdist); each worker
# starts its own embedded NATS and PostgreSQL.
TEST_WORKERS ?= auto
# Python keeps compiled modules (a machine may turn that off with PYTHONDONTWRITEBYTECODE):
# without them every process the office or the tests start compiles each module again, and
# `wushe --help` takes 3.4 s instead of 1.3 s.
export PYTHONDONTWRITEBYTECODE :=

.PHONY: up test lint format bench sync schemas

up: sync
	$(UV) run wushe up --demo $(ARGS)

test: sync
	$(UV) run pytest -n $(TEST_WORKERS) --dist worksteal $(ARGS)

lint: sync
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	@# A cache of its own: one shared with a mypy run on a part of the tree goes stale and
	@# reports modules of the workspace as missing attributes.
	$(UV) run mypy --cache-dir .mypy_cache/lint libs/events/src libs/service/src \
		libs/embedded/src services/needs/src services/volunteers/src services/funds/src \
		services/reporting/src services/cli/src

format: sync
	$(UV) run ruff format .
	$(UV) run ruff check --fix .

bench: sync
	$(UV) run python -m bench $(ARGS)

schemas: sync
	$(UV) run python -m wushe_events.schemas

sync: $(UV)
	$(UV) sync --locked --all-packages --quiet

.uv/bin/uv:
	$(PYTHON) -m venv .uv
	.uv/bin/pip install --quiet --disable-pip-version-check "uv>=0.9,<0.14"
