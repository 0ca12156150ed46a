#!/usr/bin/env bash
# Parser benchmark (JMH, one fork, one thread): text 0.0.4 and OpenMetrics over the fixtures,
# full parse and label decoding, with allocation per sample from -prof gc. Needs only a JDK 17.
#
#   bench/parse.sh            # ends with: parse: <MB/s> MB/s, <samples/s> samples/s, <bytes> B/sample allocated
#
# JMH_ARGS overrides the run length (default: 3 warm-up and 5 measured iterations of 1 s).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
build="${BENCH_BUILD_DIR:-$root/target/jmh}"
fixtures="${FIXTURES_DIR:-$root/../shared/fixtures}"
./mvnw -B -q -Pjmh -DbuildDir="$build" compile dependency:build-classpath \
  -Dmdep.outputFile="$build/classpath.txt" -Dmdep.includeScope=compile > "$build.log" 2>&1 \
  || { cat "$build.log" >&2; exit 1; }
cp="$build/classes:$(cat "$build/classpath.txt")"
java -Dfixtures.dir="$fixtures" -cp "$cp" org.openjdk.jmh.Main 'dev.quarry.bench.ParseBenchmark' \
  -f 1 -t 1 -prof gc -rf json -rff "$build/parse.json" ${JMH_ARGS:--wi 3 -i 5 -w 1 -r 1} \
  > "$build/parse.txt"
java -Dfixtures.dir="$fixtures" -cp "$cp" dev.quarry.bench.ParseReport "$build/parse.json"
