#!/usr/bin/env bash
# fresh_machine_test.sh: the README's two commands on a new Debian 12 machine.
#
# Makes (once, then cached) a minimal Debian 12 root with debootstrap from the
# Debian mirror this machine's apt uses, unpacks a clean `git archive HEAD` of
# the repository into /src, and runs inside it, with CI=true, no display and
# no sudo, in a private mount and PID namespace (nothing outlives the run):
#
#   1. as root: packaging/run.sh without a display, first, as a new user
#      would: it installs and builds, then its server must print
#      "meterscoped listening on" within a minute of starting and exit 0 on
#      SIGINT;
#   2. as root: packaging/test.sh (installs the rest, builds everything, the
#      whole ctest suite);
#   3. as a user of the sudo group (sudo set up as a Debian installer does,
#      one of the project's packages removed again): packaging/run.sh must
#      install that package through sudo and serve as that user.
#
# A package, user or file that the scripts forget shows as a failure here,
# which a developer machine or a CI with packages from earlier runs hides.
#
#   usage: tests/packaging/fresh_machine_test.sh [--keep] [--quick]
#     --keep   keep the root afterwards (its path is printed)
#     --quick  step 1 runs only the fast tests (ctest -L unit), for a
#              developer checking the install list; CI runs the whole suite
#
# The pristine root is cached in $METERSCOPE_FRESH_CACHE (default
# /var/tmp/meterscope-fresh-debian); delete it to refresh. A TimescaleDB
# source tarball found where packaging/test.sh looks for one is copied in,
# so the fresh machine tests both storage modes too. Needs root, debootstrap
# and unshare; exits 0 only when every step passed.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
keep=0
ctest_args=()
for option in "$@"; do
    case "$option" in
        --keep) keep=1 ;;
        --quick) ctest_args=(-L unit) ;;
        *) echo "usage: $0 [--keep] [--quick]" >&2; exit 2 ;;
    esac
done

die() { echo "fresh-machine: $*" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot and namespaces)"
for tool in debootstrap unshare chroot git; do
    command -v "$tool" >/dev/null || die "needs $tool (apt-get install debootstrap util-linux git)"
done

# The machine's own Debian mirrors, as apt knows them; nothing is written
# into the repository.
targets=$(apt-get indextargets --format '$(ORIGIN)|$(LABEL)|$(SITE)' 2>/dev/null | sort -u || true)
mirror=$(awk -F'|' '$1 == "Debian" && $2 == "Debian" { print $3; exit }' <<<"$targets")
security=$(awk -F'|' '$1 == "Debian" && $2 == "Debian-Security" { print $3; exit }' <<<"$targets")
[ -n "$mirror" ] || die "apt on this machine knows no Debian mirror (run apt-get update first)"

cache=${METERSCOPE_FRESH_CACHE:-/var/tmp/meterscope-fresh-debian}
pristine=$cache/bookworm-minbase.tar
mkdir -p "$cache"
if [ ! -s "$pristine" ]; then
    echo "== debootstrap --variant=minbase bookworm from $mirror (cached in $pristine)"
    staging=$(mktemp -d "$cache/debootstrap.XXXXXX")
    if ! unshare --mount debootstrap --variant=minbase bookworm "$staging" "$mirror" >"$cache/debootstrap.log" 2>&1; then
        tail -n 20 "$cache/debootstrap.log"
        rm -rf --one-file-system "$staging"
        die "debootstrap failed (log: $cache/debootstrap.log)"
    fi
    tar -C "$staging" -cf "$pristine.part" . && mv "$pristine.part" "$pristine"
    rm -rf --one-file-system "$staging"
fi

root=$(mktemp -d /var/tmp/meterscope-fresh-root.XXXXXX)
cleanup() {
    # The mounts live in the run's own namespace; this is only a safety net.
    awk -v r="$root/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r | xargs -r umount -l
    if [ "$keep" = 1 ]; then echo "== kept $root"; else rm -rf --one-file-system "$root"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tar -C "$root" -xf "$pristine"
chmod 755 "$root"
{
    echo "deb $mirror bookworm main"
    echo "deb $mirror bookworm-updates main"
    if [ -n "$security" ]; then echo "deb $security bookworm-security main"; fi
} >"$root/etc/apt/sources.list"
printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' "$(uname -n)" >"$root/etc/hosts"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
# As in a container: package scripts start no daemons.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"
mkdir "$root/src"
git -C "$repo" archive HEAD | tar -x -C "$root/src"
# packaging/test.sh looks for the TimescaleDB sources beside the repository.
tarball=$("$repo/packaging/install-timescaledb.sh" --print-source 2>/dev/null || true)
if [ -n "$tarball" ]; then
    mkdir -p "$root/shared/vendor"
    cp "$tarball" "$root/shared/vendor/"
fi

# The steps, run by bash inside the root as PID 1 of its namespace.
cat >"$root/fresh-steps.sh" <<'STEPS'
set -uo pipefail
cd /src
step() { echo; echo "== $(date -u +%H:%M:%S) $*"; }
elapsed() { echo "== $1 took $(( $(date +%s) - $2 )) s"; }

# run_headless USER LOG: packaging/run.sh without a display as USER; once it
# has installed and built (at most 45 minutes) and says it starts the server,
# the server must print its listening line within a minute, and all must
# exit 0 on SIGINT.
run_headless() {
    local user=$1 log=$2 pid status
    if [ "$user" = root ]; then
        setsid bash packaging/run.sh >"$log" 2>&1 &
    else
        setsid setpriv --reuid="$user" --regid="$user" --init-groups \
            env HOME="/home/$user" USER="$user" LOGNAME="$user" bash packaging/run.sh >"$log" 2>&1 &
    fi
    pid=$!
    for _ in $(seq 1 27000); do
        grep -q "No display" "$log" && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    for _ in $(seq 1 600); do
        grep -q "meterscoped listening on" "$log" && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if ! grep -q "meterscoped listening on" "$log"; then
        echo "FAIL: run.sh as $user printed no listening line within a minute"
        tail -n 30 "$log"
        kill -KILL -- -"$pid" 2>/dev/null
        return 1
    fi
    grep "meterscoped listening on" "$log"
    # Ctrl-C on a terminal reaches the whole foreground process group.
    kill -INT -- -"$pid"
    status=0
    timeout 30 tail --pid="$pid" -f /dev/null || { echo "FAIL: still running 30 s after SIGINT"; tail -n 20 "$log"; kill -KILL -- -"$pid"; return 1; }
    wait "$pid" || status=$?
    if [ "$status" -ne 0 ]; then
        echo "FAIL: run.sh as $user exited $status after SIGINT"
        tail -n 20 "$log"
        return 1
    fi
    echo "ok: run.sh as $user served and stopped cleanly on SIGINT"
}

failed=0
step "1. packaging/run.sh as root, no display, on the fresh machine"
started=$(date +%s)
run_headless root /tmp/run-root.log || failed=1
grep -m1 "^Installing:" /tmp/run-root.log | awk '{ print "run.sh installed " NF - 1 " packages" }'
grep -m1 "^Need to get" /tmp/run-root.log || true
elapsed "packaging/run.sh" "$started"

step "2. packaging/test.sh as root $*"
started=$(date +%s)
bash packaging/test.sh "$@" || { echo "FAIL: packaging/test.sh as root"; failed=1; }
elapsed "packaging/test.sh" "$started"

step "3. packaging/run.sh as a user of the sudo group"
# What the Debian installer leaves: sudo, and the first user in its group.
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends sudo >/dev/null
useradd --create-home --groups sudo --shell /bin/bash dev
echo 'dev ALL=(ALL) NOPASSWD: ALL' >/etc/sudoers.d/dev
# A package the user's run must install again, through sudo.
apt-get remove -y -q desktop-file-utils >/dev/null
chown -R dev: /src
started=$(date +%s)
if run_headless dev /tmp/run-dev.log; then
    if dpkg-query -W -f='${Status}' desktop-file-utils 2>/dev/null | grep -q "install ok installed" &&
        grep -q "Installing: desktop-file-utils" /tmp/run-dev.log; then
        echo "ok: the user's run.sh installed desktop-file-utils through sudo"
    else
        echo "FAIL: the user's run.sh did not install desktop-file-utils through sudo"
        failed=1
    fi
else
    failed=1
fi
elapsed "packaging/run.sh as dev" "$started"
exit "$failed"
STEPS

echo "== fresh Debian 12 root $root, /src = $(git -C "$repo" rev-parse --short HEAD)"
status=0
unshare --mount --pid --fork --kill-child -- bash -c '
    r=$1; shift
    mount -t proc proc "$r/proc" && mount --rbind /sys "$r/sys" && mount --rbind /dev "$r/dev" || exit 2
    exec chroot "$r" /usr/bin/env -i HOME=/root CI=true TERM=dumb LANG=C.UTF-8 \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        /bin/bash /fresh-steps.sh "$@"' _ "$root" "${ctest_args[@]}" </dev/null || status=$?
echo "== fresh-machine: $( [ "$status" -eq 0 ] && echo PASS || echo "FAIL (exit $status)" ) after $((SECONDS / 60)) min $((SECONDS % 60)) s"
exit "$status"
