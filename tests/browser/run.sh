#!/bin/sh
# Browser tests: headless Chromium (Debian's /usr/bin/chromium) driven by
# playwright-core against a real masthead server on a demo site.
#   tests/browser/run.sh            (MH_BIN defaults to build/masthead)
# Installs the npm packages if needed, creates a demo site in a temporary
# directory with a known admin password, serves it on a free loopback port,
# runs node --test tests/browser/*.test.mjs and always stops the server and
# the browser. Exits with the tests' status.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${MH_BIN:-$root/build/masthead}
chromium=${MH_CHROMIUM:-/usr/bin/chromium}
limit=${MH_BROWSER_TIMEOUT:-900}

skip() { # the runner counts nothing; say why
    echo "# browser tests skipped: $*"
    echo "# pass 0"
    echo "# fail 0"
    exit 0
}

[ -x "$bin" ] || { echo "browser: $bin not built" >&2; exit 1; }
[ -x "$chromium" ] || skip "$chromium missing (apt-get install chromium)"
if ! sh "$root/scripts/install-npm.sh" >/dev/null; then
    skip "npm packages could not be installed"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mh-browser-XXXXXX")
server=""
tests=""
cleanup() {
    # the test process group (node and its Chromium) and the server
    if [ -n "$tests" ]; then kill -TERM -- "-$tests" 2>/dev/null; fi
    if [ -n "$server" ]; then
        kill -TERM "$server" 2>/dev/null
        i=0
        while kill -0 "$server" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
        kill -KILL "$server" 2>/dev/null
    fi
    if [ -n "$tests" ]; then kill -KILL -- "-$tests" 2>/dev/null; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

site=$tmp/site
if ! "$bin" init "$site" --demo >"$tmp/init.log" 2>&1; then
    cat "$tmp/init.log" >&2
    echo "browser: init failed" >&2
    exit 1
fi

# A known admin password. `user passwd` reads it from standard input and
# clears the forced change; without that command the admin tests skip.
password="Browser-Test-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
if printf '%s\n' "$password" | "$bin" user passwd "$site" admin >"$tmp/passwd.log" 2>&1; then
    MH_ADMIN_PASSWORD=$password
else
    MH_ADMIN_PASSWORD=""
    echo "# note: 'masthead user passwd' unavailable: $(head -c 200 "$tmp/passwd.log")"
fi

"$bin" serve "$site" --listen 127.0.0.1:0 >"$tmp/server.out" 2>"$tmp/server.err" &
server=$!
url=""
i=0
while [ $i -lt 150 ]; do
    url=$(sed -n 's#.*listening on \(http://[^ /]*\)/.*#\1#p' "$tmp/server.out" | head -n 1)
    [ -n "$url" ] && break
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
    i=$((i + 1))
done
if [ -z "$url" ]; then
    cat "$tmp/server.err" >&2
    echo "browser: server did not start" >&2
    exit 1
fi

mkdir -p "$root/tests/browser/artifacts"
export MH_URL="$url" MH_SITE="$site" MH_ADMIN_PASSWORD MH_CHROMIUM="$chromium"
export MH_ROOT="$root" MH_BIN="$bin" MH_TMP="$tmp"
# its own process group, so cleanup reaches the browser too
setsid -w timeout -k 10 "$limit" node --test --test-concurrency=1 --test-timeout=480000 \
    "$root"/tests/browser/*.test.mjs &
tests=$!
wait "$tests"
status=$?
tests=""
if [ -s "$tmp/server.err" ] && grep -qiE 'error|sanitizer|runtime error' "$tmp/server.err"; then
    echo "# server stderr:"
    sed 's/^/#   /' "$tmp/server.err" | tail -n 20
fi
exit $status
