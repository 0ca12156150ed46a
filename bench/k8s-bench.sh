#!/usr/bin/env bash
# Kubernetes discovery at scale: a loopback list+watch API server (test code) with 10,000 pods and
# 2,000 services with endpoints, a pod job and an endpoints job sharing the pod watch; prints the
# time to the first full report, the heap the discovery holds, the latency from a pod change to
# the report carrying it at 100 changes/s, and the process CPU meanwhile (API server included).
#
#   bench/k8s-bench.sh            # env: PODS=10000 SERVICES=2000 RATE=100 SECONDS_=30
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
./mvnw -B -q -o test-compile
cp=$(mktemp)
trap 'rm -f "$cp"' EXIT
./mvnw -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp" >/dev/null
java -Xmx2g -XX:+UseParallelGC -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -Dpods="${PODS:-10000}" -Dservices="${SERVICES:-2000}" -Drate="${RATE:-100}" \
  -Dseconds="${SECONDS_:-30}" \
  -cp "target/test-classes:target/classes:$(cat "$cp")" dev.quarry.discovery.kubernetes.K8sBench
