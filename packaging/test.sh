#!/usr/bin/env bash
# Installs what is missing, builds with the dev preset and runs the whole
# test suite through ctest. Works as root, without a display (CI does both).
#
#   packaging/test.sh [--with-timescaledb] [CTEST ARGS...]
#
# TimescaleDB is built from source and installed when its source tarball is
# found (see packaging/install-timescaledb.sh), so the storage tests run in
# both modes; --with-timescaledb makes a missing tarball an error.
set -euo pipefail
cd "$(dirname "$0")/.."

with_timescaledb=0
if [ "${1:-}" = --with-timescaledb ]; then
    with_timescaledb=1
    shift
fi

# How long each phase took, said at the end (the README quotes them).
phases=()
phase_start=$SECONDS
phase() { phases+=("$1 $((SECONDS - phase_start)) s"); phase_start=$SECONDS; }
report() { echo "packaging/test.sh: ${phases[*]}"; }
trap report EXIT

packaging/install-deps.sh
phase "install"
if [ "$with_timescaledb" = 1 ] && [ -z "$(packaging/install-timescaledb.sh --print-source)" ]; then
    echo "--with-timescaledb: no TimescaleDB source tarball found (see packaging/install-timescaledb.sh)" >&2
    exit 2
fi
packaging/install-timescaledb.sh
phase "TimescaleDB"
cmake --preset dev
cmake --build --preset dev
phase "build"
status=0
ctest --preset dev --timeout 1800 --output-on-failure "$@" || status=$?
phase "tests"
exit "$status"
