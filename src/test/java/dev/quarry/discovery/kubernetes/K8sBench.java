package dev.quarry.discovery.kubernetes;

import dev.quarry.config.HttpClientConfig;
import dev.quarry.config.KubernetesSdConfig;
import dev.quarry.discovery.DiscoveryProvider;
import dev.quarry.discovery.TargetGroup;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kubernetes discovery at scale ({@code bench/k8s-bench.sh}): a loopback {@link ListWatchApiServer}
 * with PODS pods and SERVICES services with endpoints (5 pods each), a pod job and an endpoints
 * job; prints the time to the first full report, the heap the discovery holds (live heap after GC
 * with the providers running, less before they started; the API server's own objects are in both),
 * then changes RATE pods a second for SECONDS seconds and prints the latency from each change to
 * the report that carries it, and the process CPU over that phase (API server included, so an upper
 * bound).
 */
public final class K8sBench {
  public static void main(String[] args) throws Exception {
    int pods = Integer.getInteger("pods", 10_000);
    int services = Integer.getInteger("services", 2_000);
    int rate = Integer.getInteger("rate", 100);
    int seconds = Integer.getInteger("seconds", 30);
    try (ListWatchApiServer api = new ListWatchApiServer()) {
      for (int i = 0; i < pods; i++) {
        api.put(pod(i, 0));
      }
      for (int s = 0; s < services; s++) {
        api.put(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("svc-" + s)
                .withNamespace("bench")
                .addToLabels("app", "svc-" + s)
                .endMetadata()
                .withNewSpec()
                .withClusterIP("10.96." + (s / 250) + "." + (s % 250))
                .addNewPort()
                .withName("http")
                .withPort(80)
                .endPort()
                .endSpec()
                .build());
        var subset =
            new EndpointsBuilder()
                .withNewMetadata()
                .withName("svc-" + s)
                .withNamespace("bench")
                .endMetadata()
                .addNewSubset();
        for (int k = 0; k < 5; k++) {
          int p = (s * 5 + k) % pods;
          subset.addToAddresses(
              new EndpointAddressBuilder()
                  .withIp(ip(p))
                  .withNewTargetRef()
                  .withKind("Pod")
                  .withNamespace("bench")
                  .withName("pod-" + p)
                  .endTargetRef()
                  .build());
        }
        api.put(subset.addNewPort().withName("http").withPort(8080).endPort().endSubset().build());
      }
      long heapBefore = liveHeap();
      Vertx vertx = Vertx.vertx();
      KubernetesDiscovery d =
          new KubernetesDiscovery(
              vertx,
              "bench",
              new KubernetesMetrics(null),
              Path.of("/nonexistent"),
              Duration.ofSeconds(120));
      Map<String, Long> seen = new ConcurrentHashMap<>(); // "pod-N/rev" -> report time
      Map<String, List<TargetGroup>> latest = new ConcurrentHashMap<>();
      List<DiscoveryProvider> providers = new ArrayList<>();
      long t0 = System.nanoTime();
      for (String role : List.of("pod", "endpoints")) {
        var c =
            new KubernetesSdConfig(
                role,
                api.url(),
                null,
                HttpClientConfig.DEFAULT,
                KubernetesSdConfig.Namespaces.ALL,
                List.of(),
                false,
                false);
        DiscoveryProvider p = d.provider(role, c);
        providers.add(p);
        vertx.runOnContext(
            v ->
                p.start(
                    groups -> {
                      latest.put(role, groups);
                      if (role.equals("pod")) {
                        long now = System.nanoTime();
                        for (TargetGroup g : groups) {
                          String rev = g.labels().get("__meta_kubernetes_pod_label_rev");
                          seen.putIfAbsent(g.source() + "/" + rev, now);
                        }
                      }
                    }));
      }
      while (latest.getOrDefault("pod", List.of()).size() < pods
          || latest.getOrDefault("endpoints", List.of()).size() < services) {
        Thread.sleep(50);
      }
      long firstMs = (System.nanoTime() - t0) / 1_000_000;
      long heapAfter = liveHeap();
      int targets = latest.get("endpoints").stream().mapToInt(g -> g.targets().size()).sum();
      System.out.printf(
          "objects: %d pods, %d services, %d endpoints (%d endpoint targets)%n",
          pods, services, services, targets);
      System.out.printf("first full report of both jobs: %d ms%n", firstMs);
      System.out.printf(
          "heap held by discovery (informer caches + groups): %.1f MB%n",
          (heapAfter - heapBefore) / 1e6);

      var os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpu0 = os.getProcessCpuTime();
      Map<String, Long> changedAt = new HashMap<>();
      long start = System.nanoTime();
      int n = 0;
      for (int tick = 0; tick < seconds * 10; tick++) {
        for (int k = 0; k < rate / 10; k++, n++) {
          int p = (n * 7919) % pods;
          int rev = n + 1;
          changedAt.put("pod/bench/pod-" + p + "/" + rev, System.nanoTime());
          api.put(pod(p, rev));
        }
        long next = start + (tick + 1) * 100_000_000L;
        long sleep = (next - System.nanoTime()) / 1_000_000;
        if (sleep > 0) {
          Thread.sleep(sleep);
        }
      }
      Thread.sleep(2000);
      long cpu = os.getProcessCpuTime() - cpu0;
      List<Long> lat = new ArrayList<>();
      int missing = 0;
      for (var e : changedAt.entrySet()) {
        Long at = seen.get(e.getKey());
        if (at == null) {
          missing++; // superseded by a later change of the same pod before a report
        } else {
          lat.add((at - e.getValue()) / 1_000_000);
        }
      }
      lat.sort(null);
      System.out.printf(
          "changes: %d at %d/s; reported %d (%d superseded before a report)%n",
          changedAt.size(), rate, lat.size(), missing);
      System.out.printf(
          "change-to-report latency: p50 %d ms, p99 %d ms, max %d ms%n",
          lat.get(lat.size() / 2), lat.get((int) (lat.size() * 0.99)), lat.get(lat.size() - 1));
      System.out.printf(
          "process CPU during changes: %.2f cores (API server included)%n",
          cpu / 1e9 / (seconds + 2));
      for (DiscoveryProvider p : providers) {
        p.stop().toCompletionStage().toCompletableFuture().get();
      }
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
    System.exit(0);
  }

  static String ip(int i) {
    return "10." + (1 + i / 65536) + "." + ((i / 256) % 256) + "." + (i % 256);
  }

  static Pod pod(int i, int rev) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("pod-" + i)
        .withNamespace("bench")
        .addToLabels("app", "svc-" + (i / 5))
        .addToLabels("rev", Integer.toString(rev))
        .addToLabels("pod-template-hash", "5d8f7c9b6")
        .addToAnnotations("prometheus.io/scrape", "true")
        .addNewOwnerReference()
        .withApiVersion("apps/v1")
        .withKind("ReplicaSet")
        .withName("rs-" + (i / 5))
        .withUid("u" + i)
        .withController(true)
        .endOwnerReference()
        .endMetadata()
        .withNewSpec()
        .withNodeName("node-" + (i % 100))
        .addNewContainer()
        .withName("app")
        .withImage("registry.example/app:1.2.3")
        .addNewPort()
        .withName("http")
        .withContainerPort(8080)
        .withProtocol("TCP")
        .endPort()
        .addNewEnv()
        .withName("MODE")
        .withValue("prod")
        .endEnv()
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .withPodIP(ip(i))
        .withHostIP("10.0.0.1")
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .addNewContainerStatus()
        .withName("app")
        .withContainerID("containerd://" + i)
        .withReady(true)
        .withRestartCount(0)
        .withImage("registry.example/app:1.2.3")
        .endContainerStatus()
        .endStatus()
        .build();
  }

  static long liveHeap() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    var m = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    return m.getUsed();
  }

  private K8sBench() {}
}
