# Two commands matter: `make run` and `make test`. Each sets up what it needs first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
CHROMIUM := /usr/bin/chromium
# glibc gives each busy thread its own malloc arena; Streamlit runs every script run in a new thread,
# so under load the server kept many part-empty arenas. Two are enough (docs/deploy.md, "Memory").
SERVER_ENV := MALLOC_ARENA_MAX=2

.PHONY: run test lint format unit app browser bench bench-load bench-render screenshots audit setup dev browser-deps clean

## make run: create .venv, install the pinned requirements, serve http://localhost:$(PORT)
run: $(VENV)/.runtime
	$(SERVER_ENV) $(BIN)/streamlit run serve.py --server.port $(PORT) --server.address 0.0.0.0

## make test: lint, unit, app (AppTest) and browser (Chromium + axe-core) tests
test: $(VENV)/.dev browser-deps
	$(MAKE) --no-print-directory lint
	$(BIN)/pytest tests/unit tests/app tests/browser

setup: $(VENV)/.runtime
dev: $(VENV)/.dev

$(VENV)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

## Browser tests need Debian's Chromium and npm's axe-core. Chromium is installed when we are root.
browser-deps: node_modules/axe-core/axe.min.js
	@if [ -x $(CHROMIUM) ]; then \
		echo "chromium: $$($(CHROMIUM) --version 2>/dev/null)"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "NOTE: $(CHROMIUM) is missing and we are not root, so browser tests will be SKIPPED."; \
		echo "      Install it with: sudo apt-get install -y chromium"; \
	fi

node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint: $(VENV)/.dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

unit: $(VENV)/.dev
	$(BIN)/pytest tests/unit
app: $(VENV)/.dev
	$(BIN)/pytest tests/app
browser: $(VENV)/.dev browser-deps
	$(BIN)/pytest tests/browser

## make bench: print per-page warm script-run times, the server's idle memory and the cost of oversized input
bench: $(VENV)/.dev
	$(BIN)/python benchmarks/page_times.py
	$(BIN)/python benchmarks/server_memory.py
	$(BIN)/python benchmarks/import_memory.py
	$(BIN)/python benchmarks/oversized_input.py

## make bench-load: simulated visitors over Streamlit's WebSocket protocol, site vs an empty app (about 7 min;
## BENCH_ARGS="--duration 10 --levels 5" for a 1-minute smoke run)
bench-load: $(VENV)/.dev
	$(BIN)/python benchmarks/load.py $(BENCH_ARGS)

## make bench-render: per page, level, viewport and cold/warm visit: last change on screen, first heading and
## layout shift in headless Chromium vs an empty app (about 35 min when quiet; BENCH_ARGS="--rounds 1 --pages
## home,compare --levels patient --viewports desktop" for a smoke run)
bench-render: $(VENV)/.dev browser-deps
	$(BIN)/python benchmarks/render.py $(BENCH_ARGS)

## make screenshots: refresh docs/screenshots/*.png (used by the README)
screenshots: $(VENV)/.dev browser-deps
	$(BIN)/python scripts/screenshots.py

## make audit: Lighthouse accessibility, best-practices and performance scores for every page (targets 95 / 90 / the empty app's less 5)
audit: $(VENV)/.dev browser-deps audit/node_modules/.bin/lighthouse
	$(BIN)/python scripts/audit.py

audit/node_modules/.bin/lighthouse: audit/package.json audit/package-lock.json
	cd audit && npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf $(VENV) node_modules audit/node_modules .pytest_cache .ruff_cache .hypothesis artifacts
