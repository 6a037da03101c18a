#!/bin/sh
# Import of a generated WordPress export of N posts (default 100,000), then
# a backup of the resulting site and its restore: wall and CPU time, sizes.
#   sh bench/wxr_backup.sh [N]
# Uses build/masthead; everything happens in a temporary directory.
set -eu
N=${1:-100000}
BIN=${MH_BIN:-$(pwd)/build/masthead}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
node "$(dirname "$0")/wxr_gen.mjs" "$N" "$T/export.xml"
echo "WXR: $N posts, $(stat -c %s "$T/export.xml") bytes"
"$BIN" init "$T/site" >/dev/null
/usr/bin/time -f "import: %e s wall, %U s user, %S s system, %M KB max RSS" \
    "$BIN" import wxr "$T/site" "$T/export.xml" >"$T/import.out"
grep -E '^(posts|old URLs):' "$T/import.out"
/usr/bin/time -f "backup: %e s wall, %U s user, %S s system" "$BIN" backup "$T/site" "$T/b.tar"
/usr/bin/time -f "restore: %e s wall, %U s user, %S s system" "$BIN" restore "$T/b.tar" "$T/restored"
echo "site.db $(stat -c %s "$T/site/site.db") bytes, archive $(stat -c %s "$T/b.tar") bytes"
