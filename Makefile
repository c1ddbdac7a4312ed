# Two commands on a fresh machine:  make demo   and   make test
# Each sets up what it needs (a virtualenv in .venv, the Node gateway for the WeChat tests).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
GATEWAY := tests/wechat_gateway

.PHONY: demo test install bench lint clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "GridDesk needs Python 3.11 or newer (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,train,wechat]'
	@touch $@

install: $(VENV)/.installed

$(GATEWAY)/node_modules/.installed: $(GATEWAY)/package-lock.json
	npm ci --prefix $(GATEWAY) --no-audit --no-fund --loglevel=error
	@touch $@

demo: $(VENV)/.installed
	$(VENV)/bin/griddesk demo

NODE_DEPS := $(if $(wildcard $(GATEWAY)/package-lock.json),$(GATEWAY)/node_modules/.installed)

test: $(VENV)/.installed $(NODE_DEPS)
	$(VENV)/bin/pytest

bench: $(VENV)/.installed
	for b in bench/bench_*.py; do $(PY) $$b || exit 1; done

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy handlers

clean:
	rm -rf $(VENV) $(GATEWAY)/node_modules
