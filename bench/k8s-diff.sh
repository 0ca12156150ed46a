#!/usr/bin/env bash
# Differential check of kubernetes_sd_configs against Prometheus 2.42's own Kubernetes discovery.
#
#   bench/k8s-diff.sh /path/to/prometheus-k8s-sd
#
# The argument is a program that runs Prometheus v2.42.0's discovery/kubernetes and serves
# /api/v1/targets (flags --config.file and --web.listen-address, as Prometheus'). The check starts
# a small list+watch API server on loopback (test code: ListWatchApiServer) holding one object of
# every shape the roles read, points that program and Quarry's discovery at it with one job per
# role (pod, service, endpoints, endpointslice, node, ingress; the pod and endpoint roles also
# with attach_metadata.node), compares the discovered label sets of every job, then changes
# objects through the watch (a pod deleted, one added, a service relabelled, an endpoint turning
# ready) and compares again. Exit status 0 when every job agrees.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
oracle=${1:?usage: bench/k8s-diff.sh /path/to/prometheus-k8s-sd}
[ -x "$oracle" ] || { echo "not executable: $oracle" >&2; exit 2; }
cd "$here"
./mvnw -B -q -o test-compile
cp=$(mktemp)
trap 'rm -f "$cp"' EXIT
./mvnw -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp" >/dev/null
java -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "target/test-classes:target/classes:$(cat "$cp")" \
  dev.quarry.discovery.kubernetes.K8sOracleDiff "$oracle"
