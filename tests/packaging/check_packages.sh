#!/usr/bin/env bash
# Builds the Debian packages of a build tree (its `package` target, no second
# build) and checks them: control fields, contents, maintainer scripts; that
# the unpacked binaries run without the build tree; that the settings file
# documents every flag of `meterscoped --help`; the desktop entry
# (desktop-file-validate) and the systemd unit (systemd-analyze verify).
#
#   check_packages.sh BUILD_DIR VERSION [--app] [--gui]
#
#   --app   the build has the app component: expect the `meterscope` package
#   --gui   ... with the desktop app `meterscope`, its desktop entry and icons
#
# The ctest tst_packages (tests/packaging_tests.cmake). Set KEEP=1 to keep the
# unpacked packages for a look. Every mismatch is a FAIL line; any FAIL makes
# the exit code 1.
set -uo pipefail

if [ $# -lt 2 ]; then
    echo "usage: $0 BUILD_DIR VERSION [--app] [--gui]" >&2
    exit 2
fi
build=$(cd "$1" && pwd)
version=$2
shift 2
expect_app=0
expect_gui=0
for option in "$@"; do
    case "$option" in
        --app) expect_app=1 ;;
        --gui) expect_gui=1 ;;
        *) echo "$0: unknown option $option" >&2; exit 2 ;;
    esac
done

passed=0
failed=0
pass() { echo "ok    $*"; passed=$((passed + 1)); }
fail() { echo "FAIL  $*"; failed=$((failed + 1)); }
skip() { echo "skip  $*"; }
# check DESCRIPTION COMMAND...: runs COMMAND, passes if it succeeds.
check() {
    local description=$1
    shift
    if "$@"; then pass "$description"; else fail "$description"; fi
}
# equals DESCRIPTION ACTUAL EXPECTED
equals() {
    if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$2', expected '$3'"; fi
}
# matches DESCRIPTION TEXT EXTENDED_REGEX
matches() {
    if printf '%s\n' "$2" | grep -Eq -- "$3"; then pass "$1"; else fail "$1: '$2' does not match /$3/"; fi
}
finish() {
    echo
    echo "tst_packages: $passed checks passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}

work=$(mktemp -d "${TMPDIR:-/tmp}/check_packages.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then
    echo "keeping $work"
else
    trap 'rm -rf "$work"' EXIT
fi

# --- build the packages --------------------------------------------------------
echo "== cmake --build $build --target package"
rm -f "$build"/packages/*.deb
if ! cmake --build "$build" --target package >"$work/package.log" 2>&1; then
    cat "$work/package.log"
    fail "the package target failed"
    finish
fi
# CPack's and dpkg-shlibdeps' warnings are worth seeing, but are no failure.
grep -iE 'warning' "$work/package.log" | sed 's/^/      /' || true
pass "the package target built"

arch=$(dpkg --print-architecture)
server_deb=$build/packages/meterscope-server_${version}_${arch}.deb
app_deb=$build/packages/meterscope_${version}_${arch}.deb
expected_debs=("$server_deb")
[ $expect_app = 1 ] && expected_debs+=("$app_deb")
actual=$(find "$build/packages" -maxdepth 1 -name '*.deb' -printf '%f\n' 2>/dev/null | sort | tr '\n' ' ')
wanted=$(for deb in "${expected_debs[@]}"; do basename "$deb"; done | sort | tr '\n' ' ')
equals "packages made" "$actual" "$wanted"
for deb in "${expected_debs[@]}"; do
    if [ ! -f "$deb" ]; then
        fail "$(basename "$deb") is missing"
        finish
    fi
done

# --- control fields ------------------------------------------------------------
field() { dpkg-deb -f "$1" "$2"; }

check_common_fields() {
    local deb=$1 name=$2
    echo "== $(basename "$deb"): control fields"
    equals "$name: Package" "$(field "$deb" Package)" "$name"
    equals "$name: Version is the project version" "$(field "$deb" Version)" "$version"
    equals "$name: Architecture" "$(field "$deb" Architecture)" "$arch"
    matches "$name: Maintainer" "$(field "$deb" Maintainer)" '^[^<>]+ <[^<>@ ]+@[^<>@ ]+>$'
    matches "$name: Section" "$(field "$deb" Section)" '^[a-z]+$'
    matches "$name: Priority" "$(field "$deb" Priority)" '^optional$'
    matches "$name: Homepage" "$(field "$deb" Homepage)" '^https://'
    local description
    description=$(field "$deb" Description)
    matches "$name: Description has a synopsis" "$(printf '%s\n' "$description" | head -n 1)" '^[A-Za-z].{10,79}$'
    matches "$name: Description has an extended text" \
        "$(printf '%s\n' "$description" | sed -n 2p)" '^ [^ ]'
    # dpkg-shlibdeps ran: versioned dependencies on the C and C++ runtimes.
    local depends
    depends=$(field "$deb" Depends)
    echo "      Depends: $depends"
    for library in 'libc6 \(>= ' 'libstdc\+\+6 \(>= ' 'libgrpc\+\+1[.0-9]* \(>= ' 'libprotobuf[0-9]+ \(>= ' \
        'libqt6core6[a-z0-9]* \(>= '; do
        matches "$name: Depends (shlibdeps) has ${library%% *}" "$depends" "(^|, )$library"
    done
}

check_common_fields "$server_deb" meterscope-server
server_depends=$(field "$server_deb" Depends)
matches "meterscope-server: Depends on the PostgreSQL server" "$server_depends" '(^|, )postgresql-15 \| postgresql(,|$)'
matches "meterscope-server: Depends on adduser (postinst)" "$server_depends" '(^|, )adduser'
matches "meterscope-server: Depends (shlibdeps) has libpqxx" "$server_depends" '(^|, )libpqxx-[0-9.]+ \(>= '
matches "meterscope-server: Depends (shlibdeps) has libpq5" "$server_depends" '(^|, )libpq5 \(>= '

if [ $expect_app = 1 ]; then
    check_common_fields "$app_deb" meterscope
    app_depends=$(field "$app_deb" Depends)
    if [ $expect_gui = 1 ]; then
        for library in libqt6widgets6 libqt6charts6 libqt6svg6 libqt6gui6; do
            matches "meterscope: Depends (shlibdeps) has $library" "$app_depends" "(^|, )$library \\(>= "
        done
    fi
    matches "meterscope: Recommends the server it starts locally" "$(field "$app_deb" Recommends)" \
        '(^|, )meterscope-server($|,| )'
fi

# --- contents ------------------------------------------------------------------
# contents DEB: "MODE OWNER PATH" per line, directories left out.
contents() {
    dpkg-deb -c "$1" | awk '$1 !~ /^d/ { path = $6; for (i = 7; i <= NF; ++i) path = path " " $i; print $1, $2, path }'
}
# has_file LISTING PATH MODE: PATH is in LISTING with MODE, owned by root.
has_file() {
    local listing=$1 path=$2 mode=$3 line
    line=$(printf '%s\n' "$listing" | awk -v p="$path" '$3 == p')
    if [ -z "$line" ]; then
        fail "$path is in the package"
    elif [ "$line" != "$mode root/root $path" ]; then
        fail "$path: got '$line', expected mode $mode, owner root/root"
    else
        pass "$path ($mode root/root)"
    fi
}
# only_under DESCRIPTION LISTING REGEX: every path of LISTING matches REGEX.
only_under() {
    local stray
    stray=$(printf '%s\n' "$2" | awk '{ print $3 }' | grep -Ev -- "$3")
    if [ -z "$stray" ]; then pass "$1"; else fail "$1: $(echo "$stray" | tr '\n' ' ')"; fi
}

echo "== meterscope-server: contents"
server_files=$(contents "$server_deb")
printf '%s\n' "$server_files" | sed 's/^/      /'
has_file "$server_files" ./usr/bin/meterscoped -rwxr-xr-x
has_file "$server_files" ./usr/lib/systemd/system/meterscoped.service -rw-r--r--
has_file "$server_files" ./etc/default/meterscoped -rw-r--r--
only_under "meterscope-server: nothing but the server's files" "$server_files" \
    '^\./(usr/bin/meterscoped|usr/lib/systemd/system/meterscoped\.service|etc/default/meterscoped)$'

if [ $expect_app = 1 ]; then
    echo "== meterscope: contents"
    app_files=$(contents "$app_deb")
    printf '%s\n' "$app_files" | sed 's/^/      /'
    has_file "$app_files" ./usr/bin/meterscope-cli -rwxr-xr-x
    if [ $expect_gui = 1 ]; then
        has_file "$app_files" ./usr/bin/meterscope -rwxr-xr-x
        has_file "$app_files" ./usr/share/applications/meterscope.desktop -rw-r--r--
        has_file "$app_files" ./usr/share/icons/hicolor/scalable/apps/meterscope.svg -rw-r--r--
        for size in 16 22 24 32 48 64 128 256 512; do
            has_file "$app_files" "./usr/share/icons/hicolor/${size}x${size}/apps/meterscope.png" -rw-r--r--
        done
    fi
    only_under "meterscope: only /usr/bin, /usr/share/applications, /usr/share/icons/hicolor" "$app_files" \
        '^\./usr/(bin/meterscope(-cli)?|share/applications/meterscope\.desktop|share/icons/hicolor/(scalable|[0-9]+x[0-9]+)/apps/meterscope\.(svg|png))$'
fi

# --- maintainer scripts and conffiles ------------------------------------------
echo "== meterscope-server: control archive"
control=$work/control-server
dpkg-deb -e "$server_deb" "$control"
equals "conffiles lists /etc/default/meterscoped" "$(cat "$control/conffiles" 2>/dev/null)" /etc/default/meterscoped
check "md5sums are there" test -s "$control/md5sums"
for script in postinst prerm postrm; do
    if [ ! -f "$control/$script" ]; then
        fail "$script is in the package"
        continue
    fi
    equals "$script is mode 0755" "$(stat -c %a "$control/$script")" 755
    check "$script is valid sh (sh -n)" sh -n "$control/$script"
done
check "postinst creates the meterscope system user" \
    grep -Eq -- '(adduser|useradd) .*--system' "$control/postinst"

# --- the unpacked binaries run ---------------------------------------------------
root=$work/root
for deb in "${expected_debs[@]}"; do
    dpkg -x "$deb" "$root"
done
echo "== unpacked into $root"

# run_version BINARY EXPECTED [ENV...]: BINARY --version prints EXPECTED, run
# with the libraries of the system only.
run_version() {
    local binary=$1 expected=$2 output
    shift 2
    if output=$(env -u LD_LIBRARY_PATH "$@" "$root/usr/bin/$binary" --version 2>"$work/stderr"); then
        equals "$binary --version" "$output" "$expected"
    else
        fail "$binary --version failed: $output $(cat "$work/stderr")"
    fi
    # Qt may warn on stderr (no XDG_RUNTIME_DIR under ctest): shown, not judged.
    sed 's/^/      stderr: /' "$work/stderr"
    local runpath
    runpath=$(readelf -d "$root/usr/bin/$binary" | grep -E 'R(UN)?PATH')
    if [ -z "$runpath" ]; then pass "$binary has no RPATH/RUNPATH"; else fail "$binary: $runpath"; fi
    local missing
    missing=$(env -u LD_LIBRARY_PATH ldd "$root/usr/bin/$binary" | grep -E 'not found|/work/|/build' || true)
    if [ -z "$missing" ]; then pass "$binary links only installed libraries"; else fail "$binary: $missing"; fi
}
run_version meterscoped "meterscoped $version"
if [ $expect_app = 1 ]; then
    run_version meterscope-cli "meterscope-cli $version"
fi
if [ $expect_gui = 1 ]; then
    run_version meterscope "meterscope $version" QT_QPA_PLATFORM=offscreen
fi

# --- /etc/default/meterscoped ----------------------------------------------------
echo "== /etc/default/meterscoped"
defaults=$root/etc/default/meterscoped
check "it is valid sh" sh -n "$defaults"
help=$(env -u LD_LIBRARY_PATH "$root/usr/bin/meterscoped" --help 2>&1)
# Option lines start with two spaces; wrapped descriptions with many more.
flags=$(printf '%s\n' "$help" | grep -oE '^  (-[a-zA-Z], )?--[a-z][a-z0-9-]*' | grep -oE -- '--[a-z][a-z0-9-]*' |
    grep -vxE -- '--(help|help-all|version)' | sort -u)
if [ -z "$flags" ]; then
    fail "no flags found in meterscoped --help"
fi
for flag in $flags; do
    check "it documents $flag" grep -Eq -- "^# $flag( |$)" "$defaults"
done
# Every assignment in the file, active or commented out, is a command line
# meterscoped accepts (--version stops right after parsing).
while IFS= read -r assignment; do
    variable=${assignment%%=*}
    value=$(
        eval "$assignment"
        eval "printf '%s' \"\$$variable\""
    )
    # shellcheck disable=SC2086 # split like systemd splits $VARIABLE
    if output=$(env -u LD_LIBRARY_PATH "$root/usr/bin/meterscoped" $value --version 2>&1); then
        pass "meterscoped accepts $variable=\"$value\""
    else
        fail "meterscoped rejects $variable=\"$value\": $output"
    fi
done < <(sed -nE 's/^#?(MSD_[A-Z_]+=.*)$/\1/p' "$defaults")

# --- the systemd unit ----------------------------------------------------------
echo "== meterscoped.service"
unit=$root/usr/lib/systemd/system/meterscoped.service
unit_value() { sed -nE "s/^$1=(.*)$/\\1/p" "$unit"; }
exec_start=$(unit_value ExecStart)
equals "ExecStart runs the packaged binary" "${exec_start%% *}" /usr/bin/meterscoped
check "/usr/bin/meterscoped is in the package" test -x "$root/usr/bin/meterscoped"
equals "EnvironmentFile is the packaged settings file" "$(unit_value EnvironmentFile)" -/etc/default/meterscoped
# shellcheck disable=SC2016 # literal $ and {
for variable in $(printf '%s\n' "$exec_start" | grep -oE '\$\{?[A-Z_]+' | tr -d '${'); do
    check "ExecStart's \$$variable is set in /etc/default/meterscoped" grep -Eq "^$variable=" "$defaults"
done
equals "Type" "$(unit_value Type)" notify
equals "User" "$(unit_value User)" meterscope
check "postinst creates that user" grep -Eq '^user=meterscope$' "$control/postinst"
equals "StateDirectory" "$(unit_value StateDirectory)" meterscope
check "the embedded cluster's folder is the StateDirectory" grep -q -- '--data-dir /var/lib/meterscope"' "$unit"
equals "KillMode" "$(unit_value KillMode)" mixed
for setting in ProtectSystem=strict NoNewPrivileges=yes PrivateTmp=yes ProtectHome=yes Restart=on-failure; do
    check "$setting" grep -qx "$setting" "$unit"
done

if ! command -v systemd-analyze >/dev/null; then
    skip "systemd-analyze verify: systemd-analyze is not installed"
else
    # verify checks that ExecStart='s program exists: point it at the
    # unpacked one. Man pages are not checked: there are none yet.
    mkdir -p "$work/unit"
    sed "s|/usr/bin/meterscoped|$root/usr/bin/meterscoped|" "$unit" >"$work/unit/meterscoped.service"
    # It exits 0 even for unknown or unparsable settings: any message fails.
    if output=$(systemd-analyze verify --man=no "$work/unit/meterscoped.service" 2>&1) && [ -z "$output" ]; then
        pass "systemd-analyze verify"
    elif printf '%s\n' "$output" | grep -qE 'Failed to (initialize|set up|connect)|Operation not permitted|System has not been booted'; then
        skip "systemd-analyze verify cannot run here: $(printf '%s\n' "$output" | tail -n 1)"
    else
        fail "systemd-analyze verify"
    fi
    [ -n "$output" ] && printf '%s\n' "$output" | sed 's/^/      /'
    # The exposure score, for information: hardening is reviewed, not graded.
    if output=$(systemd-analyze security --offline=true --root="$root" "$unit" 2>&1); then
        printf '%s\n' "$output" | grep -E 'Overall exposure' | sed 's/^/      /'
    fi
fi

# --- the desktop entry -----------------------------------------------------------
if [ $expect_gui = 1 ]; then
    echo "== meterscope.desktop"
    desktop=$root/usr/share/applications/meterscope.desktop
    if ! command -v desktop-file-validate >/dev/null; then
        skip "desktop-file-validate is not installed (package desktop-file-utils)"
    elif output=$(desktop-file-validate "$desktop" 2>&1); then
        pass "desktop-file-validate"
        [ -n "$output" ] && printf '%s\n' "$output" | sed 's/^/      /'
    else
        fail "desktop-file-validate: $output"
    fi
    desktop_value() { sed -nE "s/^$1=(.*)$/\\1/p" "$desktop"; }
    equals "Exec" "$(desktop_value Exec)" "meterscope %F"
    equals "Icon" "$(desktop_value Icon)" meterscope
    matches "MimeType has text/csv" "$(desktop_value MimeType)" '(^|;)text/csv;'
    matches "Categories" "$(desktop_value Categories)" '^Utility;Science;'
    check "Exec's meterscope is in the package" test -x "$root/usr/bin/meterscope"
    # Each PNG has the size its folder says.
    for png in "$root"/usr/share/icons/hicolor/*x*/apps/meterscope.png; do
        folder=$(basename "$(dirname "$(dirname "$png")")")
        signature=$(od -An -tx1 -N8 "$png" | tr -d ' \n')
        dimensions=$(od -An -tu4 --endian=big -j16 -N8 "$png" | awk '{ print $1 "x" $2 }')
        if [ "$signature" = 89504e470d0a1a0a ] && [ "$dimensions" = "$folder" ]; then
            pass "icons/hicolor/$folder/apps/meterscope.png is a $dimensions PNG"
        else
            fail "icons/hicolor/$folder/apps/meterscope.png: signature $signature, size $dimensions"
        fi
    done
fi

finish
