#!/usr/bin/env bash
# JMH suites for the hot paths (profile -Pjmh, sources in src/jmh/java), one fork, one thread,
# with -prof gc for allocation:
#   ParseBenchmark         text 0.0.4 and OpenMetrics parsing of the fixtures (throughput per page)
#   ProtobufParseBenchmark a histogram-heavy client_java page: text, protobuf (Quarry's reader and
#                          client_java's generated classes) and native histograms (throughput per page)
#   HotPathBenchmark       scrape-cache lookup, metric relabelling, WAL append+commit (ns per series),
#                          XOR chunk encoding, streamed and as a block cut does (ns per sample)
#   RemoteEncodeBenchmark  remote-write WriteRequest encoding, with and without snappy (ns per sample)
#   ScrapeAppendBenchmark  a steady scrape's append of the farm page up to the storage, with and
#                          without the page-order hints (ns per series)
#   RegexBenchmark         Re2Pattern on literal alternations, prefixes, a general regex and a
#                          capture read back (ns per name)
#
#   bench/jmh.sh [REGEX]   # default: every suite; e.g. bench/jmh.sh HotPath
#
# JMH_ARGS overrides the run length (default: 3 warm-up and 5 measured iterations of 1 s).
# Results: target/jmh/jmh.txt (JMH's report) and target/jmh/jmh.json. Needs only a JDK 17.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
build="${BENCH_BUILD_DIR:-$root/target/jmh}"
fixtures="${FIXTURES_DIR:-$root/src/test/resources/fixtures}"
mkdir -p "$build"
# The dependency plugin by version: its unversioned prefix does not resolve offline.
./mvnw -B -q -Pjmh -DbuildDir="$build" compile \
  org.apache.maven.plugins:maven-dependency-plugin:3.11.0:build-classpath \
  -Dmdep.outputFile="$build/classpath.txt" -Dmdep.includeScope=compile > "$build/build.log" 2>&1 \
  || { cat "$build/build.log" >&2; exit 1; }
cp="$build/classes:$(cat "$build/classpath.txt")"
# shellcheck disable=SC2086
java -Dfixtures.dir="$fixtures" -cp "$cp" org.openjdk.jmh.Main "${1:-Benchmark}" \
  -f 1 -t 1 -prof gc -rf json -rff "$build/jmh.json" ${JMH_ARGS:--wi 3 -i 5 -w 1 -r 1} \
  > "$build/jmh.txt"
# The summary table without the per-iteration lines.
sed -n '/^Benchmark /,$p' "$build/jmh.txt" | grep -v -E ':gc\.(count|time|alloc\.rate) '
