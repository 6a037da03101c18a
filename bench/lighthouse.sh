#!/bin/sh
# Install Lighthouse into build/lighthouse when it is missing (12.8.2: the
# last release whose engines accept the Node.js Debian 12 ships, 18.19),
# then score the given pages.   bench/lighthouse.sh BASE_URL PATH...
set -eu
dir=build/lighthouse
if [ ! -x "$dir/node_modules/.bin/lighthouse" ]; then
    mkdir -p "$dir"
    npm install --silent --no-audit --no-fund --prefix "$dir" lighthouse@12.8.2 >/dev/null
fi
exec node bench/lighthouse.mjs "$@"
