#!/usr/bin/env bash
# Runs every test GMP Lab has, installing what it needs first (scripts/setup.sh --test):
# formatting, clippy (native and wasm), real Go's results for the Go conformance programs, native
# unit/integration/property/statistical/conformance tests, the
# benchmarks compiled (not run), wasm tests in headless Chromium, and browser tests with
# playwright-core driving Debian's Chromium against a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

stage() { printf '\n\033[1;34m== %s\033[0m\n' "$*"; }
t0=$(date +%s)

stage "set-up"
scripts/setup.sh --test

stage "format"
cargo fmt --all -- --check

stage "clippy (native, all targets)"
cargo clippy --all-targets --locked -- -D warnings
stage "clippy (wasm32 library)"
cargo clippy --target wasm32-unknown-unknown --lib --locked -- -D warnings

stage "real Go's results for the Go conformance suite (tests/go/programs)"
GOCACHE="$PWD/target/tools/gocache" GOPATH="$PWD/target/tools/gopath" \
  python3 tests/go/derive.py "$PWD/target/tools/gobin/bin/go" "$PWD/target/go-expected"

stage "native tests"
GMPLAB_GO_EXPECTED="$PWD/target/go-expected" cargo test --locked

stage "benchmarks compile"
cargo bench --locked --no-run

stage "wasm tests in headless Chromium"
wasm-pack test --headless --chrome -- --locked

stage "browser tests (release build, Chromium via playwright-core)"
scripts/build-web.sh --release
cargo build --locked --bin gmplab
GMPLAB_BIN="$PWD/target/debug/gmplab" node --test --test-concurrency=1 tests/e2e/

printf '\n\033[1;32mAll tests passed\033[0m in %ss. Screenshots: tests/e2e/out/\n' "$(( $(date +%s) - t0 ))"
