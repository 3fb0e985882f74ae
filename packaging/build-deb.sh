#!/usr/bin/env bash
# Builds the Debian packages meterscope-server and meterscope with the
# release preset (build-release/) and prints where they are.
set -euo pipefail
cd "$(dirname "$0")/.."

packaging/install-deps.sh
cmake --preset release
# Only this build's packages, not those of an older version.
rm -f build-release/packages/*.deb
cmake --build --preset release --target package

shopt -s nullglob
debs=("$PWD"/build-release/packages/*.deb)
if [ ${#debs[@]} -eq 0 ]; then
    echo "build-deb.sh: no .deb was made in build-release/packages/" >&2
    exit 1
fi
echo
echo "Packages:"
printf '  %s\n' "${debs[@]}"
echo "Install with: sudo apt install ${debs[*]}"
