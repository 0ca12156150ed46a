#!/usr/bin/env bash
# Before/after of JMH benchmark methods in one JVM (bench/ab/ParseAB.java): the JMH classes of
# git ref BEFORE and of the working tree, each through its own class loader, timed in alternating
# slices of the thread's CPU time; one JVM per benchmark. Steadier than two JMH runs on a shared
# machine, as both builds run at nearly the same moment. Needs only a JDK 17.
#
#   bench/parse-ab.sh BEFORE [Class.method ...]   # default: the five ParseBenchmark methods
#
# ROUNDS (default 20), SLICE seconds of CPU per build and round (0.5), WARMUP seconds per build
# (10). BEFORE_BUILD or AFTER_BUILD: a build directory made already (classes/, classpath.txt),
# which skips that build. Prints per round ops per CPU second and the ratio of time per op
# after/before (above 1 is slower), then the medians; with BEFORE = HEAD on a clean tree the
# ratios show the harness's own spread.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
[ $# -ge 1 ] || { sed -n '2,13p' "$0" >&2; exit 2; }
before_ref="$1"
shift
work="$root/target/parse-ab"
mkdir -p "$work"

build() { # build TREE DIR: the JMH classes of TREE into DIR, as bench/jmh.sh builds them
  (cd "$1" && ./mvnw -B -q -Pjmh -DbuildDir="$2" compile \
    org.apache.maven.plugins:maven-dependency-plugin:3.11.0:build-classpath \
    -Dmdep.outputFile="$2/classpath.txt" -Dmdep.includeScope=compile) > "$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
}

before="${BEFORE_BUILD:-}"
if [ -z "$before" ]; then
  before="$work/before"
  rm -rf "$work/tree" "$before"
  mkdir -p "$work/tree"
  git archive "$before_ref" | tar -x -C "$work/tree"
  build "$work/tree" "$before"
fi
after="${AFTER_BUILD:-}"
if [ -z "$after" ]; then
  after="$work/after"
  build "$root" "$after"
fi
javac -d "$work/ab" bench/ab/ParseAB.java

benches=("$@")
if [ ${#benches[@]} -eq 0 ]; then
  benches=(ParseBenchmark.openMetricsFarm ParseBenchmark.openMetricsNodeExporter
    ParseBenchmark.textFarm ParseBenchmark.textFarmDecodeLabels ParseBenchmark.textNodeExporter)
fi
for b in "${benches[@]}"; do
  echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
  java -Dfixtures.dir="$root/src/test/resources/fixtures" -cp "$work/ab" ParseAB \
    "$before" "$after" "$b" "${ROUNDS:-20}" "${SLICE:-0.5}" "${WARMUP:-10}"
done
