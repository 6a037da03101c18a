#!/bin/sh
# Static export of a generated site: `masthead init --generate N`, then
# `masthead export static` twice (full, then incremental with nothing
# changed) and once more after one entry was edited. Prints the times and
# the export's size. Target: 100,000 entries in <= 60 s.
#   bench/export.sh [BIN]      env: N (entries, default 100000), SEED (1)
set -eu
bin=$(readlink -f "${1:-build/masthead}")
n=${N:-100000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
secs() { date +%s.%N; }
t0=$(secs)
"$bin" init "$work/site" --generate "$n" --seed "${SEED:-1}" >/dev/null
t1=$(secs)
echo "generated $n entries in $(awk "BEGIN{printf \"%.1f\", $t1 - $t0}") s"
for run in full incremental; do
    t0=$(secs)
    out=$("$bin" export static "$work/site" "$work/out" --host www.example.test 2>/dev/null)
    t1=$(secs)
    printf '%-12s %7.1f s  %s\n' "$run" "$(awk "BEGIN{print $t1 - $t0}")" "$out"
done
sqlite3 "$work/site/site.db" "UPDATE entries SET title = title || ' (edited)' WHERE id = (SELECT max(id) FROM entries WHERE status = 'published')"
t0=$(secs)
out=$("$bin" export static "$work/site" "$work/out" --host www.example.test 2>/dev/null)
t1=$(secs)
printf '%-12s %7.1f s  %s\n' "one edit" "$(awk "BEGIN{print $t1 - $t0}")" "$out"
echo "export size: $(du -sh "$work/out" | cut -f1), $(find "$work/out" -type f | wc -l) files"
