#!/bin/sh
# Install the Debian packages listed in scripts/deps.txt that are missing.
# As root it runs apt-get; otherwise it prints the command to run.
set -eu
here=$(dirname "$0")
missing=""
for pkg in $(grep -v '^#' "$here/deps.txt"); do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $pkg"
    fi
done
# Node.js may come from elsewhere than Debian; accept any node/npm on PATH.
if command -v node >/dev/null 2>&1; then
    missing=$(echo "$missing" | tr ' ' '\n' | grep -vx 'nodejs' | grep -vx 'npm' | tr '\n' ' ')
fi
missing=$(echo $missing)
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "installing: $missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing
    # the nginx package starts a system server on port 80; benchmarks run their own
    if command -v systemctl >/dev/null 2>&1; then systemctl disable --now nginx >/dev/null 2>&1 || true; fi
    # without systemd, stop the server the package started: by the PID in
    # its own pid file, never by name (other nginx servers are not ours)
    if [ -s /run/nginx.pid ]; then kill "$(cat /run/nginx.pid)" 2>/dev/null || true; fi
else
    echo "masthead needs these Debian packages; run as root:" >&2
    echo "  apt-get install -y $missing" >&2
    exit 1
fi
