#!/bin/sh
# Benchmark: wrk against the seed article page served by masthead with the
# page cache on, with it off, and against nginx serving the same bytes as a
# static file — all in the same run, on loopback, so the ratios are fair on
# a noisy machine.
#   bench/run.sh [BIN]      env: DURATION (s, default 10), CONNS (default 64)
set -eu
bin=$(readlink -f "${1:-build/masthead}")
dur=${DURATION:-10}
conns=${CONNS:-64}
threads=2
seed=/news/li-gang-led-a-team-to-visit-beijing-and-shanghai.html
work=$(mktemp -d)
pids=""
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null || true; done
    [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
    sleep 0.3
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

command -v wrk >/dev/null || { echo "bench: wrk not installed (make deps)"; exit 1; }
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx" ] || { echo "bench: nginx not installed (make deps)"; exit 1; }

"$bin" init "$work/site" --demo >/dev/null

start() { # $1 = port, rest = extra args
    port=$1
    shift
    "$bin" serve "$work/site" --listen "127.0.0.1:$port" "$@" >"$work/serve-$port.log" 2>&1 &
    pids="$pids $!"
    for _ in $(seq 1 50); do
        curl -fs -o /dev/null "http://127.0.0.1:$port/" && return 0
        sleep 0.1
    done
    echo "bench: server on $port did not start"; cat "$work/serve-$port.log"; exit 1
}

start 18081
start 18082 --no-page-cache

mkdir -p "$work/www/news" "$work/nginx"
curl -fs "http://127.0.0.1:18081$seed" -o "$work/www$seed"
size=$(wc -c <"$work/www$seed")
cat >"$work/nginx/nginx.conf" <<NGX
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    types { text/html html; }
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    server {
        listen 127.0.0.1:18083;
        root $work/www;
    }
}
NGX
"$nginx" -c "$work/nginx/nginx.conf" -p "$work/nginx"
for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:18083$seed" && break; sleep 0.1; done

measure() { # $1 = port -> prints req/s
    wrk -t$threads -c"$conns" -d2s "http://127.0.0.1:$1$seed" >/dev/null 2>&1 # warm-up
    wrk -t$threads -c"$conns" -d"${dur}s" "http://127.0.0.1:$1$seed" 2>&1 |
        awk '/Requests\/sec/ {print $2}'
}

echo "seed article: $size bytes; wrk -t$threads -c$conns -d${dur}s; $(nproc) cores"
nginx_rps=$(measure 18083)
cached_rps=$(measure 18081)
uncached_rps=$(measure 18082)
rss=$(ps -o rss= -p "$(echo $pids | awk '{print $1}')" | tr -d ' ')

printf '%-32s %12s %8s\n' "server" "req/s" "ratio"
printf '%-32s %12.0f %8s\n' "nginx static file" "$nginx_rps" "1.00"
printf '%-32s %12.0f %8.2f\n' "masthead (page cache)" "$cached_rps" "$(awk "BEGIN{print $cached_rps / $nginx_rps}")"
printf '%-32s %12.0f %8.2f\n' "masthead (--no-page-cache)" "$uncached_rps" "$(awk "BEGIN{print $uncached_rps / $nginx_rps}")"
echo "masthead resident memory after the run: ${rss} KiB"

# Lighthouse, mobile, on the home page and the seed article (LIGHTHOUSE=0
# skips it; it needs Chromium and the npm registry on first use).
if [ "${LIGHTHOUSE:-1}" != 0 ]; then
    echo
    echo "Lighthouse (mobile) on the page-cached server:"
    sh bench/lighthouse.sh "http://127.0.0.1:18081" / "$seed" ||
        echo "bench: Lighthouse did not run (Chromium and npm needed)"
fi
