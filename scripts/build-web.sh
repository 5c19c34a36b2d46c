#!/usr/bin/env bash
# Builds the wasm into www/pkg, then writes brotli and gzip copies of what a page load fetches.
#   scripts/build-web.sh            release build with wasm-pack (wasm-opt from the pinned npm binaryen)
#   scripts/build-web.sh --dev      debug build with wasm-pack (faster to compile, slower to run)
#   scripts/build-web.sh --quick    debug build with cargo and wasm-bindgen directly, no wasm-pack and
#                                   no wasm-opt: the fastest edit-and-look loop for page layout
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
mode="${1:---release}"
out="${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown"
if [ "$mode" = "--quick" ]; then
  cargo build --lib --target wasm32-unknown-unknown
  wasm-bindgen --target web --out-dir www/pkg --out-name gmplab --no-typescript "$out/debug/gmplab.wasm"
elif ! command -v wasm-pack >/dev/null && [ "$mode" = "--release" ]; then
  # The same steps wasm-pack takes, for a machine without it.
  cargo build --lib --release --target wasm32-unknown-unknown
  wasm-bindgen --target web --out-dir www/pkg --out-name gmplab --no-typescript "$out/release/gmplab.wasm"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    www/pkg/gmplab_bg.wasm -o www/pkg/gmplab_bg.wasm
else
  wasm-pack build --target web --out-dir www/pkg --out-name gmplab --no-typescript --no-pack "$mode"
fi
rm -f www/pkg/.gitignore
node scripts/precompress.mjs www
