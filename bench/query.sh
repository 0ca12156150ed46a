#!/usr/bin/env bash
# PromQL queries, Quarry next to Prometheus 2.42 on the same data (QueryBench, in src/jmh/java,
# built with -Pjmh): both started on 127.0.0.1 with their remote-write receivers on, loaded with
# SERIES counter series x{job="j0".."j9",instance="i0"..} of one hour at 15 s (240 samples each,
# increasing, with occasional resets; sent time-ordered, the same bytes to both), then
#   sum by (job) (rate(x[5m]))   over the hour at step 15s (query_range)
#   topk(10, rate(x[5m]))        at the last sample (query)
# each REPEAT times (default 5) after a warm-up; the answers must agree (same series, values
# within 1e-6 relative). Prints the median times and the peak RSS (VmHWM) of both processes.
#
#   bench/query.sh            # SERIES=100000 by default; e.g. SERIES=10000 bench/query.sh
#
# Quarry runs from target/quarkus-app (./mvnw -B package -DskipTests first) with the JVM options
# of the container (bin/jvm.options; QUARRY_JAVA_OPTS adds to them). Needs a JDK 17 and /usr/bin/prometheus.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
jar="$root/target/quarkus-app/quarkus-run.jar"
[ -f "$jar" ] || { echo "missing $jar: run ./mvnw -B package -DskipTests" >&2; exit 1; }
work="$(mktemp -d "${TMPDIR:-/tmp}/quarry-query.XXXXXX")"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2> /dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
build="$work/build"
./mvnw -B -q -o -Pjmh -DbuildDir="$build" compile \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=compile > "$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; exit 1; }
cp="$build/classes:$(cat "$work/cp.txt")"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_ready() {
  for _ in $(seq 1 120); do
    curl -fs "$1/-/ready" > /dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "$1 did not become ready" >&2; return 1
}
printf 'global:\n  scrape_interval: 15s\n' > "$work/prometheus.yml"
pport="$(free_port)"
/usr/bin/prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prom" \
  --web.listen-address="127.0.0.1:$pport" --web.enable-remote-write-receiver \
  --storage.tsdb.retention.time=100y > "$work/prometheus.log" 2>&1 &
pids+=($!)
ppid_=$!
qport="$(free_port)"
# The container's JVM options (bin/jvm.options through bin/quarry); QUARRY_JAVA_OPTS adds options
# after them, QUARRY_MAX_RAM sizes the heap (default: 60 % of the machine's memory, as a container
# without a limit would).
QUARRY_MAX_RAM="${QUARRY_MAX_RAM:-$(awk '/MemTotal/ {print $2 "k"}' /proc/meminfo)}" \
  JAVA_OPTS="${QUARRY_JAVA_OPTS:-}" QUARRY_JAR="$jar" \
  QUARRY_CONFIG_FILE="$work/prometheus.yml" QUARRY_DATA_DIR="$work/quarry" QUARKUS_HTTP_PORT="$qport" \
  QUARKUS_HTTP_HOST=127.0.0.1 QUARRY_STORAGE_MODE=server QUARRY_WEB_ENABLE_REMOTE_WRITE_RECEIVER=true \
  "$root/bin/quarry" > "$work/quarry.log" 2>&1 &
pids+=($!)
qpid=$!
wait_ready "http://127.0.0.1:$pport"
wait_ready "http://127.0.0.1:$qport"
java -Xmx2g -cp "$cp" dev.quarry.bench.QueryBench "http://127.0.0.1:$pport" "$ppid_" \
  "http://127.0.0.1:$qport" "$qpid" || { tail -n 20 "$work/quarry.log" "$work/prometheus.log" >&2; exit 1; }
