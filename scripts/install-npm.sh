#!/bin/sh
# Install the npm packages of package.json (the admin's rich-text editor, the
# browser test driver and the standards checkers vnu-jar and axe-core) and
# copy the editor's distributable files into themes/admin/assets/vendor/,
# where the admin serves them. vnu-jar carries its jar in the package: it
# needs Java (default-jre-headless) but no network when it runs.
#
# Runs `npm ci` (or `npm install` without a lock file) only when node_modules
# is missing or older than package-lock.json. Exits non-zero when npm is
# missing or the registry cannot be reached; the admin then keeps the plain
# textarea, so callers may treat a failure as a warning.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

vendor=themes/admin/assets/vendor
stamp=node_modules/.masthead-installed
# name of the file in node_modules/quill/dist : name under vendor/
files="quill.js:quill.js quill.snow.css:quill.snow.css quill.js.LICENSE.txt:quill.LICENSE.txt"

if ! command -v npm >/dev/null 2>&1; then
    echo "install-npm: npm not found" >&2
    exit 1
fi

lock=package-lock.json
[ -f "$lock" ] || lock=package.json
stale=0
if [ ! -f "$stamp" ] || [ ! -d node_modules/quill/dist ] || [ ! -d node_modules/playwright-core ] \
    || [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ] || [ ! -f node_modules/axe-core/axe.min.js ] \
    || [ ! -f node_modules/sitemap/schema/sitemap.xsd ] || [ ! -d node_modules/ajv-formats ] \
    || [ ! -d node_modules/@seriousme/openapi-schema-validator ]; then
    stale=1
elif [ "$lock" -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
    stale=1
fi

if [ "$stale" = 1 ]; then
    # Bounded: a registry that cannot be reached fails in about a minute
    # instead of retrying for many.
    opts="--no-audit --no-fund --loglevel=error --fetch-retries=1 --fetch-timeout=30000"
    if [ -f package-lock.json ]; then cmd="npm ci"; else cmd="npm install"; fi
    echo "install-npm: $cmd"
    # shellcheck disable=SC2086
    if ! timeout 300 $cmd $opts; then
        echo "install-npm: '$cmd' failed" >&2
        exit 1
    fi
    touch "$stamp"
fi

mkdir -p "$vendor"
for pair in $files; do
    src=node_modules/quill/dist/${pair%%:*}
    dst=$vendor/${pair#*:}
    if [ ! -f "$src" ]; then
        echo "install-npm: $src missing" >&2
        exit 1
    fi
    # copy only when changed, so the server's asset ETags stay put
    cmp -s "$src" "$dst" 2>/dev/null || cp "$src" "$dst"
done
cp node_modules/quill/LICENSE "$vendor/quill.LICENSE" 2>/dev/null || true
exit 0
