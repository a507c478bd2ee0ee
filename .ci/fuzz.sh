#!/usr/bin/env bash
# `make fuzz`: runs every fuzz target for FUZZ_SECONDS (default 60) with cargo-fuzz on the nightly
# toolchain, starting from the seeds in fuzz/seeds/<target>/ and growing fuzz/corpus/<target>/
# (minimised afterwards). A crash is copied into
# fuzz/regressions/<target>/ (which `make test` replays) and makes the run fail.
# FUZZ_TARGETS="a b" runs only those targets. Prints executions per target at the end. Built with
# debug assertions, so an integer overflow (in our code or a parser we use) is a crash here too.
# FUZZ_SANITIZER (default address) picks cargo-fuzz's sanitizer: `none` runs about three times as
# many inputs a second, at the cost of AddressSanitizer's checks on the unsafe code of dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
seconds="${FUZZ_SECONDS:-60}"
sanitizer="${FUZZ_SANITIZER:-address}"

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

targets="${FUZZ_TARGETS:-$(cargo +nightly fuzz list --fuzz-dir fuzz)}"
summary=()
failed=0
for t in $targets; do
  mkdir -p "fuzz/corpus/$t" "fuzz/regressions/$t"
  log="$(mktemp)"
  echo "==> fuzzing $t for ${seconds}s"
  set +e
  cargo +nightly fuzz run --debug-assertions -s "$sanitizer" --fuzz-dir fuzz "$t" "fuzz/corpus/$t" "fuzz/seeds/$t" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=512 -max_len=65536 -print_final_stats=1 2>&1 | tee "$log" | grep -E 'DONE|Done|crash|ERROR|SUMMARY' || true
  rc=${PIPESTATUS[0]}
  set -e
  runs="$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)"
  if [ "$rc" != 0 ]; then
    failed=1
    for a in fuzz/artifacts/"$t"/*; do [ -f "$a" ] && cp "$a" "fuzz/regressions/$t/" && echo "kept $a in fuzz/regressions/$t/"; done
  fi
  summary+=("$(printf '%-22s %12s executions   %s' "$t" "${runs:-?}" "$([ "$rc" = 0 ] && echo 'no crash' || echo "CRASH (rc $rc)")")")
  rm -f "$log"
  # Keep the corpus small: only the inputs that add coverage.
  cargo +nightly fuzz cmin --debug-assertions -s "$sanitizer" --fuzz-dir fuzz "$t" "fuzz/corpus/$t" >/dev/null 2>&1 || true
done
echo
echo "Fuzzing summary (${seconds}s per target):"
printf '  %s\n' "${summary[@]}"
exit "$failed"
