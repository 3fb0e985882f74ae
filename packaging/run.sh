#!/usr/bin/env bash
# Installs what is missing, builds, and starts Meterscope with the sample
# data imported: the desktop app with its own local server, or, without a
# display, the server alone in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."

packaging/install-deps.sh
cmake --preset dev >/dev/null
cmake --build --preset dev --target meterscoped meterscope meterscope-cli

sample="$PWD/resources/meterusage.csv"
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
    echo "Opening the Meterscope app with its local server and the sample data imported."
    exec build/app/gui/meterscope "$sample" "$@"
fi

echo "No display (neither DISPLAY nor WAYLAND_DISPLAY is set): starting the server"
echo "headless with the sample data imported. Connect with build/app/cli/meterscope-cli"
echo "(try: build/app/cli/meterscope-cli series) or the app on a machine with a display;"
echo "stop with Ctrl-C."
exec build/server/meterscoped --import "$sample" "$@"
