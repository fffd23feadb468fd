# The two commands: `make run` and `make test` (and `make bench`). All install what is missing first (Debian, as root).
SHELL := /bin/bash
# What `make run` needs, and what `make test` needs on top (a QR decoder, a browser, a Python venv).
RUN_PACKAGES := postgresql libcurl4-openssl-dev libqrencode-dev libssl-dev pkg-config ca-certificates python3-venv
# nginx and docker-compose only check the deployment files (deploy-check); nothing runs them.
DEPLOY_PACKAGES := nginx docker-compose
TEST_PACKAGES := zbar-tools chromium chromium-driver python3-venv curl $(DEPLOY_PACKAGES)
# What `make bench` needs on top of RUN_PACKAGES: the load generator, nginx in front, curl, a Python venv,
# and Debian's Go with lib/pq for the Go baseline (bench/baseline-go, built offline: no module download).
BENCH_PACKAGES := wrk nginx curl python3-venv golang-go golang-github-lib-pq-dev
SWIFT ?= swift

SOURCES := Package.swift Shared Services Tests Fuzz

.PHONY: deps test-deps build run test fuzz browser-test s3-venv contract-test contract-venv api-docs bench bench-venv bench-go lint format deploy-check clean

deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(RUN_PACKAGES)"

test-deps: deps
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(TEST_PACKAGES)"

# Installs those of $(PACKAGES) that are missing (apt-get, as root).
install-packages:
	@missing=""; \
	for package in $(PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" != 0 ]; then echo "missing packages:$$missing (run make as root to install them)"; exit 1; fi; \
		echo "installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing || exit 1; \
		case " $$missing " in *" nginx "*) (systemctl disable --now nginx || service nginx stop) >/dev/null 2>&1 || true;; esac; \
	fi

build: deps api-docs
	$(SWIFT) build -c release --product messenger

# The Swagger UI and ReDoc files of /docs and /redoc (a pinned wheel, unpacked into .build/api-docs;
# never committed). The gateway answers 503 on those two pages without them.
api-docs:
	bash docs/api/assets.sh .build/api-docs

run: build
	.build/release/messenger serve

lint:
	$(SWIFT) format lint --strict --recursive $(SOURCES)

format:
	$(SWIFT) format format --in-place --recursive $(SOURCES)

# Tests log at warning level unless LOG_LEVEL says otherwise, so failures stand out.
test: test-deps lint deploy-check s3-venv contract-venv api-docs
	$(SWIFT) build --build-tests
	LOG_LEVEL=$${LOG_LEVEL:-warning} $(SWIFT) test --skip-build
	$(MAKE) --no-print-directory contract-test
	$(MAKE) --no-print-directory browser-test
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=30

# Coverage-guided fuzzing (libFuzzer, `swiftc -sanitize=fuzzer,address`) of every parser that reads
# client bytes: each target in Fuzz/ runs FUZZ_SECONDS (default 300; `make test` runs 30). A crash fails
# the run and leaves its input in .build/fuzz/crash-*.
FUZZ_SECONDS ?= 300
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash Fuzz/run.sh

# QR login in two headless Chromium browsers (Selenium, exact pins in Tests/Browser/requirements.txt).
BROWSER_VENV := .build/browser-venv
browser-test: api-docs
	test -x $(BROWSER_VENV)/bin/python || python3 -m venv $(BROWSER_VENV)
	$(BROWSER_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r Tests/Browser/requirements.txt
	$(BROWSER_VENV)/bin/python Tests/Browser/qr_login_test.py

# The S3-compatible server the Swift tests start (moto_server, exact pins in Tests/S3/requirements.txt),
# and botocore, which checks our SigV4 signatures.
S3_VENV := .build/s3-venv
s3-venv:
	test -x $(S3_VENV)/bin/python || python3 -m venv $(S3_VENV)
	$(S3_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -r Tests/S3/requirements.txt

# The API contract against the product: schemathesis (exact pins in Tests/Contract/requirements.txt)
# runs every operation of the served /openapi.json against `messenger serve` on loopback.
CONTRACT_VENV := .build/schemathesis-venv
contract-venv:
	test -x $(CONTRACT_VENV)/bin/python || python3 -m venv $(CONTRACT_VENV)
	$(CONTRACT_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r Tests/Contract/requirements.txt

contract-test: contract-venv
	$(SWIFT) build --product messenger
	bash Tests/Contract/run.sh

# The deployment files: nginx -t on nginx/nginx.conf (a copy with loopback upstreams, see
# nginx/check.sh) and docker-compose's own validation of docker-compose.yml with .env.example.
deploy-check:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(DEPLOY_PACKAGES)"
	bash nginx/check.sh
	docker-compose --env-file .env.example -f docker-compose.yml config -q

# Benchmarks (not part of `make test`): bench/run.sh starts the release binary, nginx and the load tools
# on loopback and prints one table; see BENCHMARKS.md. BENCH_DURATION, BENCH_HUBS... shorten a run.
BENCH_VENV := .build/bench-venv
bench-venv:
	test -x $(BENCH_VENV)/bin/python || python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt

# The Go baseline of scenario 9: Debian's golang-go and golang-github-lib-pq-dev (GOPATH mode, offline).
bench-go:
	env GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= GOCACHE=$(CURDIR)/.build/go-cache \
		go build -o .build/baseline-go bench/baseline-go/main.go

bench: build
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(BENCH_PACKAGES)"
	@$(MAKE) --no-print-directory bench-venv
	@$(MAKE) --no-print-directory bench-go
	bash bench/run.sh --self-check
	BENCH_PYTHON=$(BENCH_VENV)/bin/python bash bench/run.sh

clean:
	rm -rf .build
