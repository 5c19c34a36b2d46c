#!/usr/bin/env bash
# Builds GMP Lab for the browser and serves it on 127.0.0.1. Installs what it needs on first run.
#   scripts/serve.sh            release build, port 8080 (PORT=... to change)
#   scripts/serve.sh --dev      debug build (faster to compile, slower to run)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if [ "${1:-}" = "--dev" ]; then scripts/build-web.sh --dev; else scripts/build-web.sh --release; fi
exec node scripts/serve.mjs --port "${PORT:-8080}"
