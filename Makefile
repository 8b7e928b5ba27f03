# paved: `make setup`, `make test` (what CI runs), `make lint`, `make fmt`, `make demo`, `make bench`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.paved-setup-$(shell cat requirements/dev.txt pyproject.toml | sha256sum | cut -c1-16)
# Debian packages a test tier needs: git (the consumer repositories act runs in); docker.io,
# docker-registry and debootstrap (container-build: a real engine, a real registry, an offline
# base image); prometheus (promtool checks the metrics text; rollback-guard queries it); haproxy
# (deploy-strategy: the Docker-host router, weights through its runtime API); where no `kind`
# is installed (GitHub's runners have it), etcd-server, openssl and golang-go rsync jq make for
# the one-time build of kube-apiserver and kube-controller-manager from Debian's source
# (tests/components/kube_build.py); kubectl (Debian's kubernetes-client) only where none is
# installed, as the tests' reference view.
KUBE_PACKAGES := $(if $(shell command -v kind),,etcd-server openssl golang-go rsync jq make) \
	$(if $(shell command -v kubectl),,kubernetes-client)
APT_PACKAGES := git iproute2 docker.io docker-registry debootstrap prometheus haproxy $(KUBE_PACKAGES)

.PHONY: help setup apt test test-unit test-e2e lint fmt demo bench lock clean

help:
	@echo "make setup   install everything (Debian packages, venv, locked tools, act)"
	@echo "make test    run every test tier (what CI runs)"
	@echo "make lint    ruff, mypy, import-linter, actionlint, zizmor"
	@echo "make fmt     format and auto-fix"
	@echo "make demo    the composed pipeline under act, offline: v2 promoted, v3 rolled back"
	@echo "             PAVED_DEMO_TARGET=kubernetes make demo: the same path on the Kubernetes harness"
	@echo "make bench   print the action runtime's cold and warm overhead"

setup: apt $(STAMP)

apt:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

$(STAMP): requirements/dev.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "paved needs Python >= 3.11 as $(PYTHON)"; exit 3; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(BIN)/python -m pip check
	$(BIN)/act --version
	rm -f $(VENV)/.paved-setup-*
	touch $@

test: setup
	$(BIN)/python -m pytest

test-unit: setup
	$(BIN)/python -m pytest tests/unit

test-e2e: setup
	$(BIN)/python -m pytest tests/e2e

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/actionlint
	$(BIN)/zizmor --offline --pedantic --no-progress .github/workflows actions

fmt: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

demo: setup
	$(BIN)/python examples/demo.py

bench: setup
	$(BIN)/python benchmarks/action_overhead.py

# Regenerate the hash-pinned lock files (needs network to PyPI): one per requirements/*.in, so a
# capability's own lock (requirements/<capability>.in, read by gha/bootstrap.py) needs no edit here.
lock: setup
	$(BIN)/python -m pip install --quiet uv
	for spec in requirements/*.in; do \
	  $(BIN)/uv pip compile --quiet --generate-hashes --universal --python-version 3.11 "$$spec" -o "$${spec%.in}.txt"; \
	done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
