#!/usr/bin/env bash
# Builds TimescaleDB from its source release and installs it into Debian's
# PostgreSQL 15, unless that version is installed already. Debian 12 does not
# package TimescaleDB; this is how the test suite and CI get a real one (users
# install Timescale's own packages instead). Called by packaging/test.sh when
# a source tarball is found; about 3 minutes on 2 cores.
#
#   install-timescaledb.sh [--source FILE]   build and install (root or sudo)
#   install-timescaledb.sh --print-source    print the tarball it would use
#
# The tarball: --source, else $METERSCOPE_TIMESCALEDB_SOURCE, else the newest
# timescaledb-*.tar.xz in ../shared/vendor beside the repository. Without one
# it says so and exits 0: the TimescaleDB tests then skip, saying how to get it.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)

source_tarball=${METERSCOPE_TIMESCALEDB_SOURCE:-}
print_only=0
while [ $# -gt 0 ]; do
    case "$1" in
        --source) source_tarball=$2; shift 2 ;;
        --print-source) print_only=1; shift ;;
        *) echo "usage: $0 [--source FILE] [--print-source]" >&2; exit 2 ;;
    esac
done
if [ -z "$source_tarball" ]; then
    source_tarball=$(ls -1 "$repo"/../shared/vendor/timescaledb-*.tar.xz 2>/dev/null | sort -V | tail -n 1 || true)
fi
if [ "$print_only" = 1 ]; then
    [ -n "$source_tarball" ] && [ -f "$source_tarball" ] && echo "$(cd "$(dirname "$source_tarball")" && pwd)/$(basename "$source_tarball")"
    exit 0
fi
if [ -z "$source_tarball" ] || [ ! -f "$source_tarball" ]; then
    echo "TimescaleDB: no source tarball (set METERSCOPE_TIMESCALEDB_SOURCE or put timescaledb-X.Y.Z.tar.xz"
    echo "in ../shared/vendor); not installed, so the TimescaleDB tests will skip."
    exit 0
fi

version=$(basename "$source_tarball" .tar.xz)
version=${version#timescaledb-}
extdir=/usr/share/postgresql/15/extension
if [ -f "$extdir/timescaledb--$version.sql" ] && [ -f "/usr/lib/postgresql/15/lib/timescaledb-$version.so" ]; then
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "TimescaleDB: installing it needs root or sudo" >&2; exit 1; }
    sudo=sudo
fi
build_packages=(postgresql-server-dev-15 cmake gcc make libssl-dev libkrb5-dev xz-utils)
missing=()
for package in "${build_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "TimescaleDB: installing build packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/timescaledb-build.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "TimescaleDB $version: building from $source_tarball (about 3 minutes)"
started=$SECONDS
tar -xJf "$source_tarball" -C "$work"
cd "$work/timescaledb-$version"
./bootstrap -DREGRESS_CHECKS=OFF -DTAP_CHECKS=OFF -DWARNINGS_AS_ERRORS=OFF -DLINTER=OFF \
    -DPG_CONFIG=/usr/lib/postgresql/15/bin/pg_config >"$work/bootstrap.log" 2>&1 ||
    { tail -n 30 "$work/bootstrap.log"; exit 1; }
make -C build -j"$(nproc)" >"$work/make.log" 2>&1 || { tail -n 30 "$work/make.log"; exit 1; }
$sudo make -C build install >"$work/install.log" 2>&1 || { tail -n 30 "$work/install.log"; exit 1; }
echo "TimescaleDB $version: installed into PostgreSQL 15 in $((SECONDS - started)) s"
