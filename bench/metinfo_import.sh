#!/bin/sh
# The MetInfo import benchmark: a generated dump of N news items (plus N/10
# products) imported into a new site; prints the time. Target: 100,000
# entries in at most 30 s on the 2-core machine.
#   sh bench/metinfo_import.sh [BIN] [N]
set -eu
BIN=${1:-build/masthead}
N=${2:-100000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SCHEMA="$ROOT/../shared/interop/metinfo-7.2.0/sql.sql"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
node "$ROOT/bench/metinfo_gen.mjs" "$N" > "$TMP/dump.sql"
echo "dump: $(wc -c < "$TMP/dump.sql") bytes, $N news items + $((N / 10)) products"
"$BIN" init "$TMP/site" > /dev/null 2>&1
# wall time and CPU time: on a shared machine the second is the comparable one
/usr/bin/time -f "import: %e s wall, %U s user + %S s system CPU, %M KB max RSS" \
    "$BIN" import metinfo "$TMP/site" "$SCHEMA" "$TMP/dump.sql" 2>"$TMP/err" |
    grep -E '^(news|product|column) |legacy URLs|^imported'
tail -1 "$TMP/err"
