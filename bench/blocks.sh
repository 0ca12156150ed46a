#!/usr/bin/env bash
# The file store alone, on one thread (FileStorageBench, in src/jmh/java, built with -Pjmh):
#   1. appends into the head with the WAL on: TARGETS targets x 1,348 series, SCRAPES scrapes
#      (default 10) after an untimed first one that creates the series, samples/s;
#   2. bytes per sample on disk after a block cut: CUT_TARGETS targets scraped every 15 s for
#      1.5 block ranges, one 2 h block cut;
#   3. with VALUES=farm (the default), the same block's samples written as OpenMetrics and turned
#      into a block by Prometheus' own TSDB (promtool tsdb create-blocks-from openmetrics), so
#      the two block sizes compare on identical data.
#
#   bench/blocks.sh [TARGETS=1000] [CUT_TARGETS=5]        # VALUES=random for random-walk values
#
# The JVM runs with the collector the container ships (serial; BENCH_JAVA_OPTS overrides the
# flags). Under G1 the append rate varied between 1.7 and 2.7 M samples/s from run to run on a
# 2-core machine (its write barriers and concurrent refinement on the head's per-sample stores
# into old objects). Needs a JDK 17 and, for 3, promtool (Debian package prometheus).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/.."
targets="${1:-1000}"
cut="${2:-5}"
values="${VALUES:-farm}"
work="$(mktemp -d "${TMPDIR:-/tmp}/quarry-blocks.XXXXXX")"
trap 'rm -rf "$work"' EXIT
build="$work/build"
(cd "$root" && ./mvnw -B -q -Pjmh -DbuildDir="$build" compile \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=compile)
cp="$build/classes:$(cat "$work/cp.txt")"
om=""
if [ "$values" = farm ] && command -v promtool > /dev/null; then om="$work/block.om"; fi
(cd "$root" && OPENMETRICS_OUT="$om" java ${BENCH_JAVA_OPTS:--XX:+UseSerialGC -Xmx8g} -cp "$cp" dev.quarry.storage.file.FileStorageBench \
  "$targets" "${SCRAPES:-10}" "$cut" "$values" 2>&1 | grep -E '^(append|block)')
if [ -n "$om" ]; then
  promtool tsdb create-blocks-from openmetrics "$om" "$work/prom" > /dev/null
  awk -v b="$(du -sb "$work"/prom/*/ | head -1 | cut -f1)" -v s="$(grep -o '"numSamples": *[0-9]*' "$work"/prom/*/meta.json | head -1 | grep -o '[0-9]*$')" \
    'BEGIN { printf "prometheus 2.42 block of the same samples: %d samples, %d bytes on disk: %.3f bytes/sample\n", s, b, b / s }'
fi
