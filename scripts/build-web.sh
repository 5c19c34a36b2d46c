#!/usr/bin/env bash
# Builds the release wasm into www/pkg with wasm-pack (wasm-opt from the pinned npm binaryen).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
mode="${1:---release}"
wasm-pack build --target web --out-dir www/pkg --out-name gmplab --no-typescript --no-pack "$mode"
rm -f www/pkg/.gitignore
if command -v gzip >/dev/null; then
  printf '[build] www/pkg/gmplab_bg.wasm: %s bytes, %s gzipped\n' \
    "$(wc -c < www/pkg/gmplab_bg.wasm)" "$(gzip -9c www/pkg/gmplab_bg.wasm | wc -c)"
fi
