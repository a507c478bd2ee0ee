#!/usr/bin/env bash
# The whole test pyramid, in the order that builds the desktop app once:
# lints → UI unit tests → UI build → Rust tests (real keyring session) → end-to-end in the real
# window → browser suite. Stops at the first failure with the failing step named.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; current="$*"; }
current=""
trap 'status=$?; [ $status -ne 0 ] && printf "\n\033[31mFAILED at: %s\033[0m\n" "$current"; exit $status' EXIT

step "Rust formatting (cargo fmt --check)"
cargo fmt --all -- --check

step "UI types (tsc --noEmit) and lint (eslint)"
npm --prefix ui run --silent typecheck
npm --prefix ui run --silent lint

step "UI unit tests (Vitest)"
npm --prefix ui run --silent test

step "UI build (Vite) — the desktop app embeds ui/dist"
npm --prefix ui run --silent build

step "Rust lints (clippy -D warnings)"
cargo clippy --workspace --all-targets --features crosswalk/bridge --locked -- -D warnings

step "Rust tests (workspace, inside a private D-Bus session with a real unlocked keyring)"
tests/session.sh cargo test --workspace --locked

step "End-to-end tests: the real app window (tauri-driver + WebKitWebDriver under Xvfb)"
cargo build --locked --workspace --bins
tests/e2e/run.sh

step "Browser tests (Playwright + Debian's Chromium): against the real core through crosswalk-bridge, and with mocked IPC"
cargo build --locked --features bridge --bin crosswalk-bridge
npm --prefix ui run --silent test:browser

current=""
printf '\n\033[32mAll test suites passed.\033[0m\n'
