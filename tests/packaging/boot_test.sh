#!/usr/bin/env bash
# On demand, not in ctest: installs the packages in a throwaway copy of this
# machine booted with systemd (systemd-nspawn on an overlay of /, nothing is
# kept) and checks them the way a host would use them: postinst creates the
# user and starts meterscoped.service under its full hardening, the CLI
# imports through it, a killed server is restarted, a Unix socket in
# /run/meterscoped and an external database work, stop is clean, removal
# stops and masks the unit.
#
#   tests/packaging/boot_test.sh DIR_WITH_DEBS
#
# Needs root and systemd-nspawn (apt-get install systemd-container).
set -euo pipefail

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
    echo "usage: $0 DIR_WITH_DEBS (e.g. build/packages)" >&2
    exit 2
fi
debs=$(cd "$1" && pwd)
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
if [ "$(id -u)" -ne 0 ] || ! command -v systemd-nspawn >/dev/null; then
    echo "boot_test.sh needs root and systemd-nspawn (package systemd-container)" >&2
    exit 2
fi

if [ -z "${BOOT_TEST_BASE:-}" ]; then
    # A private mount namespace: the overlay and its tmpfs vanish with it.
    base=$(mktemp -d "${TMPDIR:-/tmp}/boot_test.XXXXXX")
    status=0
    BOOT_TEST_BASE=$base unshare --mount --propagation private "$0" "$@" || status=$?
    rmdir "$base"
    exit $status
fi

base=$BOOT_TEST_BASE
mount -t tmpfs tmpfs "$base"
mkdir -p "$base/upper" "$base/work" "$base/root"
mount -t overlay overlay -o "lowerdir=/,upperdir=$base/upper,workdir=$base/work" "$base/root"
root=$base/root
mkdir -p "$root/debs" "$root/boot_test"
cp "$debs"/*.deb "$source_dir/resources/meterusage.csv" "$root/debs/"
# Docker-style images forbid starting services from maintainer scripts.
rm -f "$root/usr/sbin/policy-rc.d" "$root/etc/machine-id"

cat >"$root/boot_test/run.sh" <<'EOF'
#!/bin/bash
# Runs inside the container as a service; writes /boot_test/result.log.
exec >/boot_test/result.log 2>&1
passed=0 failed=0
check() {
    local description=$1
    shift
    if "$@"; then echo "ok    $description"; passed=$((passed + 1))
    else echo "FAIL  $description"; failed=$((failed + 1)); fi
}
wait_active() {
    for _ in $(seq 60); do systemctl is-active -q meterscoped && return 0; sleep 1; done
    return 1
}
property() { systemctl show -p "$1" --value meterscoped; }
export DEBIAN_FRONTEND=noninteractive

check "dpkg -i both packages" dpkg -i /debs/meterscope-server_*.deb /debs/meterscope_*.deb
check "postinst created the system user meterscope" \
    sh -c 'getent passwd meterscope | grep -q ":/var/lib/meterscope:/usr/sbin/nologin$"'
check "postinst started meterscoped.service" wait_active
check "READY=1 carried the status" sh -c 'systemctl show -p StatusText --value meterscoped | grep -q "listening on"'
check "it runs as meterscope" test "$(ps -o user= -p "$(property MainPID)")" = meterscope
check "the CLI imports the sample" meterscope-cli import /debs/meterusage.csv
check "the CLI lists it" sh -c 'meterscope-cli series | grep -q "^meterusage  *2974 "'
check "the desktop app runs" env QT_QPA_PLATFORM=offscreen meterscope --version

check "systemctl reload (SIGHUP) keeps it serving" \
    sh -c 'systemctl reload meterscoped && sleep 1 && meterscope-cli series | grep -q "^meterusage "'

kill -9 "$(property MainPID)"
sleep 8
check "a killed server is restarted" test "$(property NRestarts)" = 1
check "...and serves its data again" sh -c 'meterscope-cli series | grep -q "^meterusage  *2974 "'

echo 'MSD_OPTIONS="--listen unix:/run/meterscoped/grpc.sock"' >>/etc/default/meterscoped
systemctl restart meterscoped
check "a Unix socket in /run/meterscoped" \
    sh -c 'meterscope-cli --server unix:/run/meterscoped/grpc.sock series | grep -q "^meterusage "'

# TLS and tokens, from /etc/meterscope as /etc/default/meterscoped advises
install -d -m 0750 -o root -g meterscope /etc/meterscope
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
    -keyout /etc/meterscope/server.key -out /etc/meterscope/server.crt 2>/dev/null
echo s3cret >/etc/meterscope/tokens
echo s3cret >/root/token
chgrp meterscope /etc/meterscope/*
chmod 0640 /etc/meterscope/*
echo 'MSD_OPTIONS="--listen 0.0.0.0:50051 --tls-cert /etc/meterscope/server.crt --tls-key /etc/meterscope/server.key --token-file /etc/meterscope/tokens"' >>/etc/default/meterscoped
systemctl restart meterscoped
check "TLS and a token" sh -c 'meterscope-cli --server localhost:50051 --tls-ca /etc/meterscope/server.crt --token-file /root/token series | grep -q "^meterusage "'
check "...and no call without the token" sh -c '! meterscope-cli --server localhost:50051 --tls-ca /etc/meterscope/server.crt series'
echo 'MSD_OPTIONS="--listen unix:/run/meterscoped/grpc.sock"' >>/etc/default/meterscoped

systemctl start postgresql
sleep 3
runuser -u postgres -- psql -q -c "CREATE ROLE meterscope LOGIN" -c "CREATE DATABASE meters OWNER meterscope"
echo 'MSD_STORAGE="--database postgresql:///meters?host=/run/postgresql"' >>/etc/default/meterscoped
systemctl restart meterscoped
check "an external database" meterscope-cli --server unix:/run/meterscoped/grpc.sock import /debs/meterusage.csv
check "...holds the rows" test "$(runuser -u postgres -- psql -tA -d meters -c 'select count(*) from points')" = 2974

systemctl stop meterscoped
check "stop is clean" test "$(property Result)/$(property ExecMainStatus)" = success/0
check "nothing of the service is left running" sh -c '! pgrep -u meterscope >/dev/null'
systemd-analyze security meterscoped --no-pager | tail -n 1
journalctl -u meterscoped --no-pager | tail -n 40

check "dpkg -r" dpkg -r meterscope meterscope-server
check "removal masked the unit" test "$(systemctl is-enabled meterscoped 2>&1)" = masked
check "the settings file stays until purge" test -f /etc/default/meterscoped
check "dpkg -P" dpkg -P meterscope-server
check "purge removed the settings file" test ! -e /etc/default/meterscoped
check "purge kept the data" test -d /var/lib/meterscope/postgres
echo "boot_test: $passed passed, $failed failed"
systemctl poweroff
EOF
chmod +x "$root/boot_test/run.sh"
cat >"$root/etc/systemd/system/boot-test.service" <<'EOF'
[Unit]
Description=Meterscope package boot test
After=basic.target network.target
[Service]
Type=oneshot
ExecStart=/boot_test/run.sh
TimeoutStartSec=600
[Install]
WantedBy=multi-user.target
EOF
ln -s /etc/systemd/system/boot-test.service "$root/etc/systemd/system/multi-user.target.wants/boot-test.service"

# nspawn keeps its state in /run/systemd/nspawn; on hosts without systemd
# that is no tmpfs.
mkdir -p /run/systemd/nspawn
mount -t tmpfs tmpfs /run/systemd/nspawn
timeout 600 systemd-nspawn --quiet --keep-unit --register=no --directory="$root" --boot --console=pipe \
    </dev/null >"$base/console.log" 2>&1 || true

cat "$root/boot_test/result.log" 2>/dev/null || { cat "$base/console.log"; echo "the container did not run the test"; exit 1; }
grep -q '^boot_test: [0-9]* passed, 0 failed$' "$root/boot_test/result.log"
