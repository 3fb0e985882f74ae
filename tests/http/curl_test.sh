#!/usr/bin/env bash
# The HTTP pages as a user or a script reads them: curl against a real
# meterscoped (embedded cluster, the sample imported, --http-listen).
#   usage: curl_test.sh METERSCOPED SAMPLE_CSV
set -uo pipefail
meterscoped=$1 sample=$2
work=$(mktemp -d /tmp/meterscope-curl.XXXXXX)
chmod 755 "$work"
trap 'kill -INT "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; tail -n 20 "$work/log"; exit 1; }

"$meterscoped" --data-dir "$work/data" --listen 127.0.0.1:0 --http-listen 127.0.0.1:0 --import "$sample" \
    >"$work/log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
    grep -q "meterscoped listening on" "$work/log" && break
    kill -0 "$pid" 2>/dev/null || fail "meterscoped exited"
    sleep 0.1
done
url=$(grep -o 'serving HTTP on http://[0-9.:]*' "$work/log" | awk '{print $4}')
[ -n "$url" ] || fail "no 'serving HTTP on' line"

# The prototype's page: one JSON object, 2,974 readings, in time order.
curl -fsS -D "$work/headers" "$url/meterusage/" -o "$work/page.json" || fail "GET /meterusage/"
grep -qi '^content-type: application/json' "$work/headers" || fail "Content-Type of /meterusage/"
/usr/bin/python3 - "$work/page.json" <<'PY' || fail "the /meterusage/ page"
import json, sys
page = json.load(open(sys.argv[1]))
keys = list(page)
assert len(keys) == 2974, len(keys)
assert keys[0] == "2019-01-01 00:15:00" and page[keys[0]] == 55.09, (keys[0], page[keys[0]])
assert keys == sorted(keys), "not in time order"
PY
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/api/v1/series/nope/points")" = 404 ] || fail "404 for an unknown series"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/api/v1/series/meterusage/points?max_points=x")" = 400 ] ||
    fail "400 for a bad max_points"
curl -fsS "$url/api/v1/series/meterusage/points?from=2019-01-02&to=2019-01-03&timezone=Europe/Berlin" |
    /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); k=list(d); assert len(k)==96 and k[0]=="2019-01-02T00:00:00+01:00", k[:1]' ||
    fail "a local day of points"
curl -fsS "$url/healthz" | grep -q '"SERVING"' || fail "/healthz"
curl -fsS "$url/metrics" | grep -q '^meterscope_build_info{version="' || fail "/metrics"
echo "ok: curl read every page"
