#!/usr/bin/env bash
# Parser benchmark (JMH, one fork, one thread): text 0.0.4 and OpenMetrics over the fixtures,
# full parse and label decoding, with allocation per sample from -prof gc. Needs only a JDK 17.
#
#   bench/parse.sh            # ends with: parse: <MB/s> MB/s, <samples/s> samples/s, <bytes> B/sample allocated
#
# JMH_ARGS overrides the run length (default: 3 warm-up and 5 measured iterations of 1 s).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BENCH_BUILD_DIR:-$root/target/jmh}"
fixtures="${FIXTURES_DIR:-$root/src/test/resources/fixtures}"
"$root/bench/jmh.sh" 'dev.quarry.bench.ParseBenchmark' > /dev/null
java -Dfixtures.dir="$fixtures" -cp "$build/classes:$(cat "$build/classpath.txt")" \
  dev.quarry.bench.ParseReport "$build/jmh.json"
