#!/usr/bin/env bash
# A target farm on loopback: nginx (Debian) serves a farm_payload.prom-like page on N ports with
# gzip on, and a generator rewrites the page every 2 s so counters grow and gauges move.
#
#   bench/farm.sh start N [BASE_PORT] [DIR]   # prints the ports' range; runs in the background
#   bench/farm.sh stop [DIR]
#
# Needs nginx (apt-get install nginx) and awk. Listens on 127.0.0.1 only.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
payload="${FARM_PAYLOAD:-$here/../src/test/resources/fixtures/farm_payload.prom}"
cmd="${1:-}"

case "$cmd" in
  start)
    n="${2:?number of targets}"
    base="${3:-20000}"
    dir="${4:-${TMPDIR:-/tmp}/quarry-farm}"
    nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
    [ -x "$nginx_bin" ] || { echo "farm: nginx not found (apt-get install nginx)" >&2; exit 1; }
    [ -f "$payload" ] || { echo "farm: payload $payload not found (set FARM_PAYLOAD)" >&2; exit 1; }
    mkdir -p "$dir/logs"
    chmod 755 "$dir" # nginx workers run as an unprivileged user and must read the page
    cp "$payload" "$dir/page.prom"
    chmod 644 "$dir/page.prom"
    {
      echo "daemon on; worker_processes 1; worker_rlimit_nofile 65535;"
      echo "pid $dir/nginx.pid; error_log $dir/logs/error.log warn;"
      echo "events { worker_connections 16384; }"
      echo "http {"
      echo "  access_log off; sendfile on; keepalive_requests 100000; keepalive_timeout 300s;"
      echo "  client_body_temp_path $dir/tmp; proxy_temp_path $dir/tmp; fastcgi_temp_path $dir/tmp;"
      echo "  uwsgi_temp_path $dir/tmp; scgi_temp_path $dir/tmp;"
      echo "  gzip on; gzip_types *; gzip_min_length 1000; gzip_comp_level 1;"
      echo "  server {"
      for ((p = base; p < base + n; p++)); do echo "    listen 127.0.0.1:$p;"; done
      echo "    location = /metrics { default_type 'text/plain; version=0.0.4'; alias $dir/page.prom; }"
      echo "  }"
      echo "}"
    } > "$dir/nginx.conf"
    mkdir -p "$dir/tmp"
    ulimit -n 65535 2>/dev/null || true
    "$nginx_bin" -c "$dir/nginx.conf" -p "$dir"
    # The generator: counters (names ending in _total, _count, _sum, _bucket) grow by a
    # per-line step, other values wander; the page is replaced atomically.
    (
      i=0
      while [ -f "$dir/nginx.pid" ]; do
        i=$((i + 1))
        awk -v it="$i" -v OFMT='%.17g' '
          /^#/ || NF < 2 { print; next }
          {
            v = $NF; step = (NR % 7) + 1
            if ($1 ~ /(_total|_count|_sum|_bucket)(\{|$)/) { $NF = v + step * it }
            else if (NR % 3 == 0) { $NF = v + ((it + NR) % 11) - 5 }
            print
          }' "$payload" > "$dir/page.tmp" && chmod 644 "$dir/page.tmp" && mv "$dir/page.tmp" "$dir/page.prom"
        sleep 2
      done
    ) > /dev/null 2>&1 &
    echo $! > "$dir/generator.pid"
    echo "farm: $n targets on 127.0.0.1:$base-$((base + n - 1)) (dir $dir)"
    ;;
  stop)
    dir="${2:-${TMPDIR:-/tmp}/quarry-farm}"
    if [ -f "$dir/nginx.pid" ]; then kill "$(cat "$dir/nginx.pid")" 2>/dev/null || true; rm -f "$dir/nginx.pid"; fi
    if [ -f "$dir/generator.pid" ]; then kill "$(cat "$dir/generator.pid")" 2>/dev/null || true; rm -f "$dir/generator.pid"; fi
    echo "farm: stopped"
    ;;
  *)
    echo "usage: $0 start N [BASE_PORT] [DIR] | stop [DIR]" >&2
    exit 2
    ;;
esac
