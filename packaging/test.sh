#!/usr/bin/env bash
# Installs what is missing, builds with the dev preset and runs the whole
# test suite through ctest. Works as root, without a display (CI does both).
set -euo pipefail
cd "$(dirname "$0")/.."

packaging/install-deps.sh
cmake --preset dev
cmake --build --preset dev
ctest --preset dev --timeout 1800 "$@"
