#!/usr/bin/env bash
# Whole-process scrape run: Quarry scrapes N nginx farm targets (bench/farm.sh) at INTERVAL for
# SECONDS, then reports whether every scrape was on time, scrape durations, CPU, peak RSS, and the
# live heap per active series (jcmd's class histogram after a full collection, divided by the
# head's series; the largest classes are listed per series too).
#
#   bench/scrape-farm.sh [N=1000] [INTERVAL=10s] [SECONDS=120]
#   MODE=agent bench/scrape-farm.sh 3000 30s 300     # the scale run: 4 million series, WAL only
#
# MODE is quarry.storage.mode (server: the file store, whose head also holds the samples' chunks;
# agent: the WAL only). QUARRY_JAVA_OPTS sets the JVM flags (default: parallel collector, 6 GB).
# Builds the jar when missing (./mvnw package). Everything listens on 127.0.0.1.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/.."
n="${1:-1000}"
interval="${2:-10s}"
secs="${3:-120}"
base=22000
port="${QUARRY_BENCH_PORT:-19464}"
work="$(mktemp -d "${TMPDIR:-/tmp}/quarry-bench.XXXXXX")"
chmod 755 "$work" # nginx workers run as an unprivileged user
jar="$root/target/quarkus-app/quarkus-run.jar"
[ -f "$jar" ] || (cd "$root" && ./mvnw -B -q package -DskipTests)

cleanup() {
  [ -n "${qpid:-}" ] && kill "$qpid" 2>/dev/null || true
  "$here/farm.sh" stop "$work/farm" > /dev/null || true
}
trap cleanup EXIT

"$here/farm.sh" start "$n" "$base" "$work/farm"
{
  echo "global: {scrape_interval: $interval, scrape_timeout: $interval}"
  echo "scrape_configs:"
  echo "  - job_name: farm"
  echo "    static_configs:"
  echo "      - targets:"
  for ((p = base; p < base + n; p++)); do echo "          - 127.0.0.1:$p"; done
} > "$work/prometheus.yml"

QUARRY_CONFIG_FILE="$work/prometheus.yml" QUARRY_DATA_DIR="$work/data" QUARKUS_HTTP_PORT="$port" \
  QUARRY_STORAGE_MODE="${MODE:-server}" \
  java ${QUARRY_JAVA_OPTS:--XX:+UseParallelGC -Xmx6g} -jar "$jar" > "$work/quarry.log" 2>&1 &
qpid=$!
until curl -sf "127.0.0.1:$port/-/ready" > /dev/null; do sleep 0.5; done
echo "quarry: pid $qpid, warming up for one interval"
sleep "$(( ${interval%s} + 5 ))"
clk=$(getconf CLK_TCK)
cpu() { awk -v c="$clk" '{print ($14 + $15) / c}' "/proc/$qpid/stat"; }
metric() { curl -s "127.0.0.1:$port/metrics" | awk -v m="$1" '$1 == m {print $2}'; }
cpu0=$(cpu); scrapes0=$(metric quarry_target_scrapes_total); skipped0=$(metric quarry_target_scrapes_skipped_ticks_total)
sleep "$secs"
cpu1=$(cpu); scrapes1=$(metric quarry_target_scrapes_total); skipped1=$(metric quarry_target_scrapes_skipped_ticks_total)
targets=$(curl -s "127.0.0.1:$port/api/v1/targets?state=active")
up=$( (echo "$targets" | grep -o '"health":"up"' || true) | wc -l)
down=$( (echo "$targets" | grep -o '"health":"down"' || true) | wc -l)
maxdur=$( (echo "$targets" | grep -o '"lastScrapeDuration":[0-9.eE-]*' || true) | cut -d: -f2 | sort -g | tail -1)
p99=$(metric 'quarry_target_scrape_duration_seconds{quantile="0.99"}')
p50=$(metric 'quarry_target_scrape_duration_seconds{quantile="0.5"}')
rss=$(awk '/VmHWM/ {print $2 / 1024}' "/proc/$qpid/status")
series=$(metric quarry_tsdb_head_series)
jcmd "$qpid" GC.class_histogram > "$work/histogram.txt"
live=$(awk '$1 == "Total" {print $3}' "$work/histogram.txt")
expected=$(awk -v n="$n" -v s="$secs" -v i="${interval%s}" 'BEGIN {print n * s / i}')
awk -v n="$n" -v iv="$interval" -v s="$secs" -v up="$up" -v down="$down" -v sc="$scrapes0" -v sc1="$scrapes1" \
    -v sk="$skipped0" -v sk1="$skipped1" -v expd="$expected" -v c0="$cpu0" -v c1="$cpu1" -v p50="$p50" \
    -v p99="$p99" -v mx="$maxdur" -v rss="$rss" 'BEGIN {
  scr = sc1 - sc; samples = scr * 1348
  printf "targets: %d (up %d, down %d), interval %s, window %d s\n", n, up, down, iv, s
  printf "scrapes in window: %d (expected %d), skipped ticks: %d\n", scr, expd, sk1 - sk
  printf "scrape+append duration: p50 %.4f s, p99 %.4f s, slowest last scrape %.4f s\n", p50, p99, mx
  printf "cpu: %.1f s over %d s (%.2f cores), %.2f us per sample; peak RSS %.0f MB\n", c1 - c0, s, (c1 - c0) / s, (c1 - c0) * 1e6 / samples, rss
}'
awk -v live="$live" -v series="$series" 'BEGIN {
  printf "live heap after a full GC: %.0f MB for %d active series, %.0f bytes per series\n", live / 1048576, series, live / series }'
echo "largest classes, bytes per active series:"
awk -v series="$series" 'NR > 3 && NR <= 15 && $1 != "Total" {printf "  %7.1f  %s\n", $3 / series, $4}' "$work/histogram.txt"
