#!/usr/bin/env bash
# CPU per delivered sample minute by minute from the start, and how much of it the JIT takes:
#
#   bench/warmup.sh [agent|server|vmagent] [MINUTES=6]
#       100 farm targets (bench/farm.sh) at 2 s, remote-writing to one VictoriaMetrics; Quarry
#       through bin/quarry with QUARRY_MAX_RAM (default 320m) and QUARRY_JAVA_OPTS after the
#       options of bin/jvm.options. Each minute after the first: process CPU seconds, those of the
#       C1/C2 compiler threads, samples/s the receiver counted, CPU per sample with and without
#       the compiler threads, the load; at the end the peak RSS (VmHWM).
# Needs nginx, victoria-metrics (vmagent) and a JDK 17. Everything listens on 127.0.0.1.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/.."
mode="${1:-agent}"
minutes="${2:-6}"
n=100
base=23500
w="$(mktemp -d "${TMPDIR:-/tmp}/quarry-warmup.XXXXXX")"
chmod 755 "$w"
jar="$root/target/quarkus-app/quarkus-run.jar"
[ -f "$jar" ] || (cd "$root" && ./mvnw -B -q package -DskipTests)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pids=()
cleanup() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  "$here/farm.sh" stop "$w/farm" > /dev/null || true
}
trap cleanup EXIT
"$here/farm.sh" start "$n" "$base" "$w/farm" > /dev/null
vm_port=$(free_port)
victoria-metrics -storageDataPath="$w/vm" -httpListenAddr="127.0.0.1:$vm_port" \
  -loggerLevel=ERROR > "$w/vm.log" 2>&1 &
pids+=($!)
port=$(free_port)
{
  echo "global: {scrape_interval: 2s, scrape_timeout: 2s}"
  echo "scrape_configs:"
  echo "  - job_name: farm"
  echo "    static_configs:"
  echo "      - targets:"
  for ((p = base; p < base + n; p++)); do echo "          - 127.0.0.1:$p"; done
} > "$w/scrape.yml"
cp "$w/scrape.yml" "$w/prometheus.yml"
printf 'remote_write:\n  - url: http://127.0.0.1:%s/api/v1/write\n' "$vm_port" >> "$w/prometheus.yml"
sleep 2
t0=$(date +%s)
if [ "$mode" = vmagent ]; then
  vmagent -promscrape.config="$w/scrape.yml" -remoteWrite.url="http://127.0.0.1:$vm_port/api/v1/write" \
    -remoteWrite.tmpDataPath="$w/data" -httpListenAddr="127.0.0.1:$port" -loggerLevel=ERROR \
    > "$w/log" 2>&1 &
else
  QUARRY_MAX_RAM="${QUARRY_MAX_RAM:-320m}" JAVA_OPTS="${QUARRY_JAVA_OPTS:-}" QUARRY_JAR="$jar" \
    QUARRY_CONFIG_FILE="$w/prometheus.yml" QUARRY_DATA_DIR="$w/data" QUARRY_STORAGE_MODE="$mode" \
    QUARKUS_HTTP_PORT="$port" QUARKUS_HTTP_HOST=127.0.0.1 "$root/bin/quarry" > "$w/log" 2>&1 &
fi
pid=$!
pids+=("$pid")
received() {
  curl -s "http://127.0.0.1:$vm_port/metrics" |
    awk '$1 ~ /^vm_rows_inserted_total\{type="promremotewrite"/ {s += $NF} END {printf "%.0f", s}'
}
cpu() { awk -v c="$(getconf CLK_TCK)" '{print ($14 + $15) / c}' "/proc/$pid/stat"; }
jit() {
  for t in /proc/"$pid"/task/*; do
    case "$(cat "$t/comm")" in C1* | C2*) awk '{print $14 + $15}' "$t/stat" ;; esac
  done | awk -v c="$(getconf CLK_TCK)" '{s += $1} END {print s / c}'
}
echo "$mode, $n targets x 1348 series at 2s; $(nproc) cores"
prev=""
for ((m = 1; m <= minutes; m++)); do
  sleep $((t0 + m * 60 - $(date +%s)))
  cur="$(cpu) $(jit) $(received) $(cut -d' ' -f1 /proc/loadavg)"
  if [ -n "$prev" ]; then
    echo "$m $prev $cur" | awk '{c = $6 - $2; j = $7 - $3; s = $8 - $4
      printf "%3d-%3d s: cpu %.2f s (jit %.2f), %.0f samples/s, %.3f us/sample, %.3f without jit, load %s\n",
        ($1 - 1) * 60, $1 * 60, c, j, s / 60, c * 1e6 / s, (c - j) * 1e6 / s, $9}'
  fi
  prev="$cur"
done
echo "peak RSS $(awk '/VmHWM/ {print $2 / 1024}' "/proc/$pid/status") MB; logs: $w"
