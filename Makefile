# taskfleet developer commands. `make up` and `make test` are the README's two commands: each
# installs what it needs first (Debian packages, the Python environment, the Go-built control
# plane), so both work from a fresh clone.
VENV ?= .venv
PYTHON ?= python3
UP_ARGS ?=
PYTEST_ARGS ?=

.PHONY: up test lint system tools install crds clean

up: system install tools  ## Run the whole stack locally until Ctrl-C
	$(VENV)/bin/taskfleet dev up $(UP_ARGS)

test: system install tools  ## Run every test (unit, integration against real servers, lint)
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install  ## ruff, mypy and the import-layer contract
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	PYTHONPATH=operator:worker:api $(VENV)/bin/lint-imports

system:  ## Debian packages: redis-server, PostgreSQL, openssl, Go
	bash tests/cluster/system-packages.sh

tools:  ## etcd, kube-apiserver, kubectl, helm built from their Go modules (cached)
	bash tests/cluster/build.sh

install: $(VENV)/.installed  ## The Python environment with taskfleet installed editable

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[dev]"
	touch $@

crds:  ## Copy the CRDs into the chart (tests fail when the copies differ)
	cp manifests/crds/*.yaml charts/taskfleet/crds/

clean:
	rm -rf $(VENV) .taskfleet-dev
