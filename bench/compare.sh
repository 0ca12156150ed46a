#!/usr/bin/env bash
# Side by side on one nginx farm (bench/farm.sh), one agent after another:
#
#   bench/compare.sh [TARGETS=100] [INTERVAL=2s] [WINDOW=60]
#       Quarry in agent mode (WAL only), Quarry in server mode (the default: file store), Prometheus
#       2.42 in agent mode and vmagent 1.79, each remote-writing to one VictoriaMetrics on loopback.
#   bench/compare.sh --local [TARGETS=100] [INTERVAL=2s] [WINDOW=60]
#       Quarry (server mode, file store) and Prometheus 2.42 (server mode, TSDB), no remote write.
#
# For each agent, after a warm-up (WARMUP seconds, default 120): CPU seconds over the window from
# /proc/<pid>/stat, peak RSS over its whole life (VmHWM, so the start and the warm-up count),
# samples/s delivered as the receiver counts them (VictoriaMetrics' vm_rows_inserted_total; in
# --local mode each one's own samples-appended counter) against the samples/s the farm exposes
# (the page's series and the five report series per target), the scrapes of the window
# (the `up` samples with timestamps in the window, asked of VictoriaMetrics, in --local mode of
# the agent's own PromQL) against the targets × window / interval due, and the seconds from
# start to ready. Prints a table and each Quarry mode's ratios to the others. Quarry runs through
# bin/quarry, with the container's JVM options (bin/jvm.options) and QUARRY_MAX_RAM (default
# 320m, the README's container size for this load); QUARRY_JAVA_OPTS adds options after them.
# Needs nginx, prometheus, victoria-metrics (vmagent) from Debian and a JDK 17; builds the jar
# when missing. Everything listens on 127.0.0.1.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/.."
local_mode=0
if [ "${1:-}" = "--local" ]; then local_mode=1; shift; fi
n="${1:-100}"
interval="${2:-2s}"
window="${3:-60}"
warmup="${WARMUP:-120}"
max_ram="${QUARRY_MAX_RAM:-320m}"
base=23000
work="$(mktemp -d "${TMPDIR:-/tmp}/quarry-compare.XXXXXX")"
chmod 755 "$work"
jar="$root/target/quarkus-app/quarkus-run.jar"
[ -f "$jar" ] || (cd "$root" && ./mvnw -B -q package -DskipTests)
series_per_target=$(grep -cv '^#' "$here/../src/test/resources/fixtures/farm_payload.prom" 2>/dev/null || echo 1348)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pids=()
cleanup() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  "$here/farm.sh" stop "$work/farm" > /dev/null || true
}
trap cleanup EXIT

wait_http() { # url
  for _ in $(seq 1 240); do curl -sf "$1" > /dev/null 2>&1 && return 0; sleep 0.5; done
  echo "compare: $1 did not answer" >&2; return 1
}
now() { date +%s.%N; }
cpu_of() { awk -v c="$(getconf CLK_TCK)" '{print ($14 + $15) / c}' "/proc/$1/stat"; }
rss_of() { awk '/VmHWM/ {print $2 / 1024}' "/proc/$1/status"; }
metric_sum() { # url metric-name (sums every series of that name)
  curl -s "$1" | awk -v m="$2" '$1 == m || index($1, m "{") == 1 {s += $NF} END {printf "%.0f", s}'
}
scrapes_of() { # query-api-base selector time: `up` samples in the window before time, or "-"
  local v
  v=$(curl -s --get "$1/api/v1/query" --data-urlencode "query=sum(count_over_time(up$2[${window}s]))" \
    --data-urlencode "time=$3" | python3 -c '
import json, sys
try:
    r = json.load(sys.stdin)["data"]["result"]
    print(int(float(r[0]["value"][1])) if r else 0)
except Exception:
    print("-")' 2> /dev/null) || v="-"
  echo "${v:--}"
}

"$here/farm.sh" start "$n" "$base" "$work/farm" > /dev/null
targets_yaml() {
  echo "      - targets:"
  for ((p = base; p < base + n; p++)); do echo "          - 127.0.0.1:$p"; done
}
scrape_yaml() { # agent-label remote-url(or empty)
  echo "global:"
  echo "  scrape_interval: $interval"
  echo "  scrape_timeout: $interval"
  [ -n "$1" ] && echo "  external_labels: {agent: $1}"
  echo "scrape_configs:"
  echo "  - job_name: farm"
  echo "    static_configs:"
  targets_yaml
  if [ -n "${2:-}" ]; then
    echo "remote_write:"
    echo "  - url: $2"
  fi
}

if [ "$local_mode" = 0 ]; then
  vm_port=$(free_port)
  # Every point visible at once and no cached answers: the scrapes of a window are counted from
  # what arrived.
  victoria-metrics -storageDataPath="$work/vm" -httpListenAddr="127.0.0.1:$vm_port" \
    -search.latencyOffset=0s -search.disableCache -loggerLevel=ERROR > "$work/vm.log" 2>&1 &
  pids+=($!)
  wait_http "http://127.0.0.1:$vm_port/health"
  write_url="http://127.0.0.1:$vm_port/api/v1/write"
  received() { metric_sum "http://127.0.0.1:$vm_port/metrics" 'vm_rows_inserted_total{type="promremotewrite"}'; }
  agents=(quarry-agent quarry-server prometheus-agent vmagent)
else
  agents=(quarry-server prometheus)
fi

declare -A cpu rss rate scrapes ready_s
for agent in "${agents[@]}"; do
  port=$(free_port)
  dir="$work/$agent"
  mkdir -p "$dir"
  if [ "$local_mode" = 0 ]; then
    scrape_yaml "$agent" "$write_url" > "$dir/prometheus.yml"
  else
    scrape_yaml "$agent" > "$dir/prometheus.yml"
  fi
  ready="http://127.0.0.1:$port/-/ready"
  selfmetric=prometheus_tsdb_head_samples_appended_total
  t_start=$(now)
  case "$agent" in
    quarry-*)
      QUARRY_MAX_RAM="$max_ram" JAVA_OPTS="${QUARRY_JAVA_OPTS:-}" QUARRY_JAR="$jar" \
      QUARRY_CONFIG_FILE="$dir/prometheus.yml" QUARRY_DATA_DIR="$dir/data" \
        QUARRY_STORAGE_MODE="${agent#quarry-}" QUARKUS_HTTP_PORT="$port" \
        QUARKUS_HTTP_HOST=127.0.0.1 "$root/bin/quarry" > "$dir/log" 2>&1 &
      pid=$!; selfmetric=quarry_tsdb_head_samples_appended_total
      ;;
    prometheus-agent)
      prometheus --enable-feature=agent --config.file="$dir/prometheus.yml" \
        --storage.agent.path="$dir/data" --web.listen-address="127.0.0.1:$port" > "$dir/log" 2>&1 &
      pid=$!
      ;;
    prometheus)
      prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
        --web.listen-address="127.0.0.1:$port" > "$dir/log" 2>&1 &
      pid=$!
      ;;
    vmagent)
      scrape_yaml "" > "$dir/prometheus.yml"
      vmagent -promscrape.config="$dir/prometheus.yml" -remoteWrite.url="$write_url" \
        -remoteWrite.label=agent=vmagent -remoteWrite.tmpDataPath="$dir/data" \
        -httpListenAddr="127.0.0.1:$port" -loggerLevel=ERROR > "$dir/log" 2>&1 &
      pid=$!; ready="http://127.0.0.1:$port/health"
      ;;
  esac
  pids+=("$pid")
  wait_http "$ready"
  ready_s[$agent]=$(awk -v a="$t_start" -v b="$(now)" 'BEGIN {printf "%.1f", b - a}')
  sleep "$warmup"
  if [ "$local_mode" = 0 ]; then c0=$(received); else c0=$(metric_sum "http://127.0.0.1:$port/metrics" "$selfmetric"); fi
  cpu0=$(cpu_of "$pid")
  sleep "$window"
  cpu1=$(cpu_of "$pid")
  t_end=$(date +%s)
  if [ "$local_mode" = 0 ]; then c1=$(received); else c1=$(metric_sum "http://127.0.0.1:$port/metrics" "$selfmetric"); fi
  cpu[$agent]=$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN {printf "%.2f", b - a}')
  rate[$agent]=$(awk -v a="$c0" -v b="$c1" -v w="$window" 'BEGIN {printf "%.0f", (b - a) / w}')
  if [ "$local_mode" = 0 ]; then
    # The window's last samples reach the receiver within a batch deadline (5 s).
    sleep 8
    scrapes[$agent]=$(scrapes_of "http://127.0.0.1:$vm_port" "{agent=\"$agent\"}" "$t_end")
  else
    scrapes[$agent]=$(scrapes_of "http://127.0.0.1:$port" "" "$t_end")
  fi
  rss[$agent]=$(rss_of "$pid")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  sleep 2
done

expected=$(awk -v n="$n" -v s="$series_per_target" -v i="${interval%s}" 'BEGIN {printf "%.0f", n * (s + 5) / i}')
due=$(awk -v n="$n" -v w="$window" -v i="${interval%s}" 'BEGIN {printf "%.0f", n * w / i}')
echo "targets $n x $series_per_target series (+5 report series) at $interval: $expected samples/s expected, $due scrapes due in the window; window ${window}s after ${warmup}s warm-up; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$local_mode" = 0 ] && echo "samples/s delivered = rows VictoriaMetrics inserted" || echo "samples/s = each one's samples appended to its own storage"
printf "%-16s %7s %8s %13s %8s %10s %9s %8s %7s\n" agent "ready s" "cpu s" "cpu us/sample" "peak MB" \
  "samples/s" "expected" "scrapes" "missed"
for agent in "${agents[@]}"; do
  awk -v a="$agent" -v c="${cpu[$agent]}" -v r="${rate[$agent]}" -v m="${rss[$agent]}" -v w="$window" \
      -v e="$expected" -v s="${scrapes[$agent]}" -v d="$due" -v t="${ready_s[$agent]}" 'BEGIN {
    us = r > 0 ? c * 1e6 / (r * w) : 0
    missed = s == "-" ? "-" : (d - s > 0 ? d - s : 0)
    printf "%-16s %7.1f %8.2f %13.2f %8.0f %10.0f %8.1f%% %8s %7s\n", a, t, c, us, m, r, 100 * r / e, s, missed }'
done
for q in "${agents[@]}"; do
  case "$q" in quarry-*) ;; *) continue ;; esac
  for other in "${agents[@]}"; do
    case "$other" in quarry-*) continue ;; esac
    awk -v q="$q" -v o="$other" -v cq="${cpu[$q]}" -v rq="${rate[$q]}" -v co="${cpu[$other]}" \
        -v ro="${rate[$other]}" -v mq="${rss[$q]}" -v mo="${rss[$other]}" 'BEGIN {
      uq = rq > 0 ? cq / rq : 0; uo = ro > 0 ? co / ro : 0
      printf "%s/%s: cpu per sample %.2f, peak RSS %.2f\n", q, o, (uo > 0 ? uq / uo : 0), (mo > 0 ? mq / mo : 0) }'
  done
done
echo "logs and data: $work"
