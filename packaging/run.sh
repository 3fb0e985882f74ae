#!/usr/bin/env bash
# Installs what is missing, builds, and starts Meterscope with the sample
# data imported: the desktop app with its own local server, or, without a
# display, the server alone in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."

packaging/install-deps.sh
cmake --preset dev >/dev/null
cmake --build --preset dev --target meterscoped

sample="$PWD/resources/meterusage.csv"
echo "No desktop app yet: starting meterscoped with the sample data imported."
echo "Connect a client to the address printed below; stop with Ctrl-C."
exec build/server/meterscoped --import "$sample" "$@"
