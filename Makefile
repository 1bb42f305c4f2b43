# Vinh Danh: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
# When a PostgreSQL answers here, `make test` runs the database tests on it too.
PG_ADMIN_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run serve worker test lint install install-test chromium libreoffice redis fonts translations bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install fonts
	$(BIN)/vinhdanh db upgrade
	$(BIN)/vinhdanh demo
	$(BIN)/vinhdanh audit checkpoint
	$(BIN)/vinhdanh run --host $(HOST) --port $(PORT)

# Production: gunicorn with WORKERS processes (default 2 × CPUs + 1). The migrations run once
# here, before any app process starts; with several servers, run them once, then start each.
serve: install
	$(BIN)/vinhdanh db upgrade
	$(BIN)/vinhdanh serve --host $(HOST) --port $(PORT) $(if $(WORKERS),--workers $(WORKERS))

# The background job worker (needs VINHDANH_REDIS_URL; without it jobs run inline).
worker: install
	$(BIN)/vinhdanh worker

# Browser tests need Debian's chromium, and the PDF copies of Council documents LibreOffice
# Writer; install them when we may (root with apt), else those tests skip.
chromium:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	  && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "chromium is missing: browser tests will be skipped"; }

libreoffice:
	@command -v soffice >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	  && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui >/dev/null) \
	  || echo "LibreOffice is missing: the PDF tests will be skipped"; }

# The job-queue tests start a redis-server of their own (to stop it mid-run): install it when
# we may, else those tests skip.
redis:
	@command -v redis-server >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	  && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null) \
	  || echo "redis-server is missing: the job queue tests will be skipped"; }

# Certificates print Vietnamese with Liberation Serif 2 (Times New Roman's metrics; the older
# fonts-liberation lacks the Vietnamese letters), else DejaVu Serif: install it when we may.
LIBERATION2 := /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf
DEJAVU      := /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf
fonts:
	@[ -f $(LIBERATION2) ] || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	  && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-liberation2 >/dev/null 2>&1); }; \
	[ -f $(LIBERATION2) ] || [ -f $(DEJAVU) ] || echo "No font with Vietnamese letters (fonts-liberation2 or fonts-dejavu-core): certificates cannot be printed until root runs: apt-get install fonts-liberation2"

# Style and the architecture first (seconds), then the suite.
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: install-test chromium libreoffice redis fonts lint
	@if [ -z "$$VINHDANH_TEST_DATABASE_URL" ] && $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_ADMIN_URL)'.replace('+psycopg',''), connect_timeout=3).close()" 2>/dev/null; then \
	  export VINHDANH_TEST_DATABASE_URL=$(PG_ADMIN_URL); echo "PostgreSQL found: database tests run on SQLite and PostgreSQL"; \
	else echo "VINHDANH_TEST_DATABASE_URL=$${VINHDANH_TEST_DATABASE_URL:-<none: PostgreSQL tests skip>}"; fi; \
	$(BIN)/python -m pytest -n 2 --dist worksteal $(PYTEST_ARGS)

# Extract the Vietnamese source strings, merge the English PO fragments, compile.
translations: install-test
	$(BIN)/python -m web.support.translations

bench: install-test
	$(BIN)/python bench/transitions.py

clean:
	rm -rf $(VENV) instance test-output .pytest_cache .hypothesis
