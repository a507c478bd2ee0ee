# Crosswalk — the two commands: `make run` and `make test`. Both install what is missing first.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)

APP := target/debug/crosswalk-desktop
CARGO_RUN_ARGS ?=

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help run test deps deps-test ui app dev bench bench-startup fuzz package test-package test-package-debug bindings lint fmt clean

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-19s %s\n", $$1, $$2}'

run: deps ui app ## Install what is missing, build, and open the app (demo mode without a connection)
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ] && command -v xvfb-run >/dev/null; then \
	  echo "No display found: running under a virtual X server (xvfb-run)."; \
	  xvfb-run -a $(APP) $(CARGO_RUN_ARGS); \
	else \
	  $(APP) $(CARGO_RUN_ARGS); \
	fi

test: deps-test ## Install what is missing and run every test (lints, unit, integration, e2e, browser)
	.ci/test-all.sh

deps: ## Install system packages, npm packages (what `make run` needs)
	.ci/install-deps.sh run

deps-test: ## Install everything `make test` needs, including tauri-driver and Chromium
	.ci/install-deps.sh test

ui: ## Build the UI into ui/dist
	npm --prefix ui run --silent build

app: ## Build the desktop app (debug)
	cargo build -p crosswalk --bin crosswalk-desktop

dev: deps ## Develop with hot reload: Vite dev server + the app reading from it
	@trap 'kill 0' EXIT; npm --prefix ui run dev & \
	  until curl -s -o /dev/null http://localhost:1420; do sleep 0.3; done; \
	  cargo run -p crosswalk --no-default-features --bin crosswalk-desktop -- $(CARGO_RUN_ARGS)

bench: deps .venv-bench/.ok-polars ## Run the benchmarks (ratios against baselines measured in the same run)
	cargo bench -p crosswalk-core --bench learners
	cargo bench -p crosswalk-core --bench enrollments
	CROSSWALK_BENCH_PYTHON=$(CURDIR)/.venv-bench/bin/python cargo bench -p crosswalk-core --bench grades
	$(MAKE) bench-startup

bench-startup: deps-test ui ## Start-up time and memory of the release app against a minimal Tauri 2 app
	cargo build --release --locked -p crosswalk --bin crosswalk-desktop
	cargo build --release --locked -p minimal-tauri-app -p crosswalk-sandbox -p crosswalk-cli
	cd tests/e2e && WEBKIT_DISABLE_DMABUF_RENDERER=1 LIBGL_ALWAYS_SOFTWARE=1 \
	  xvfb-run -a -s "-screen 0 1280x820x24" ../session.sh node ../bench/startup.mjs

package: deps ## Build the release app and this platform's installable package (.deb on Linux)
	.ci/package.sh

test-package: deps-test ## Install the built .deb, start it with a fresh profile, check it, purge it
	.ci/test-package.sh

test-package-debug: deps-test ## The install test on a .deb of the debug build `make test` made (CI; ~1.5 min)
	PACKAGE_PROFILE=debug .ci/package.sh
	PACKAGE_PROFILE=debug .ci/test-package.sh

fuzz: ## Fuzz every parser of outside input for FUZZ_SECONDS each (default 60; nightly + cargo-fuzz)
	.ci/fuzz.sh

# The grades benchmark's baselines are pandas and polars scripts; they live in a virtualenv of its own.
.venv-bench/.ok-polars:
	python3 -m venv .venv-bench || { $(SUDO) apt-get install -y python3-venv && python3 -m venv .venv-bench; }
	.venv-bench/bin/pip install --quiet pandas polars
	touch $@

bindings: ## Regenerate ui/src/bindings.ts from the Rust types
	UPDATE_BINDINGS=1 cargo test -p crosswalk-core --test bindings

lint: ## Lints only
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --features crosswalk/bridge -- -D warnings
	npm --prefix ui run --silent typecheck
	npm --prefix ui run --silent lint

fmt: ## Format Rust code
	cargo fmt --all

clean: ## Remove build outputs
	cargo clean
	rm -rf ui/dist artifacts gen
