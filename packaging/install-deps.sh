#!/usr/bin/env bash
# Installs the Debian 12 packages Meterscope needs to build, run and test,
# skipping those already present. Used by run.sh and test.sh.
set -euo pipefail

packages=(
    # build
    build-essential cmake ninja-build pkg-config git
    qt6-base-dev qt6-charts-dev qt6-svg-dev qt6-qpa-plugins libgl-dev
    # Qt6Charts' CMake package needs Qt6OpenGL, only a Recommends of qt6-base-dev
    libqt6opengl6-dev
    libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
    libpqxx-dev libpq-dev libfast-float-dev libhowardhinnant-date-dev
    # HTTP beside gRPC (--http-listen), built with OpenSSL
    libcpp-httplib-dev
    # SHA-256 of uploads (also pulled in by libgrpc++-dev)
    libssl-dev
    # run: the embedded database, time zones, a font for the chart
    postgresql-15 tzdata fonts-dejavu-core
    # test: the seed system's Python client, libFuzzer, offscreen and X11 rendering
    python3-grpcio python3-protobuf clang libclang-rt-14-dev xvfb xauth openssl curl
    # packages: shlibdeps, desktop file and unit checks
    dpkg-dev file desktop-file-utils systemd
    # the fresh-machine test (tests/packaging/fresh_machine_test.sh)
    debootstrap
)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "Installing: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null; then
        echo "These packages are missing and sudo is not available: ${missing[*]}" >&2
        echo "Install them as root: apt-get install ${missing[*]}" >&2
        exit 1
    fi
    sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
