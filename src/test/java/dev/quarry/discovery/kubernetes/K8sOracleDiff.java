package dev.quarry.discovery.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.config.HttpClientConfig;
import dev.quarry.config.KubernetesSdConfig;
import dev.quarry.discovery.DiscoveryProvider;
import dev.quarry.discovery.TargetGroup;
import dev.quarry.model.Labels;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Differential check against Prometheus 2.42's own Kubernetes discovery, built as a program ({@code
 * bench/k8s-diff.sh} passes its path): starts a {@link ListWatchApiServer} holding {@link Cluster},
 * points that program and Quarry's discovery at it with one job per role, and compares the
 * discovered label sets of every job (after touching Endpoints and EndpointSlices once, see {@link
 * #main}); then changes objects (a pod deleted, one added, a service relabelled, an endpoint
 * turning ready), lets both follow their watches, and compares again. Exits 0 when they agree.
 *
 * <p>What is compared: Prometheus' {@code discoveredLabels} (active and dropped targets) less the
 * scrape defaults it adds ({@code job}, {@code __scheme__}, ...), against Quarry's groups with
 * group labels merged into each target. Prometheus lists targets whose final labels are equal once,
 * and none without an address; so Prometheus' sets must all be Quarry's, and every Quarry set with
 * an address must share its address with one of Prometheus'.
 */
public final class K8sOracleDiff {
  private static final Set<String> SCRAPE_DEFAULTS =
      Set.of("job", "__scheme__", "__metrics_path__", "__scrape_interval__", "__scrape_timeout__");

  record Job(String name, String role, boolean attachNode) {}

  static final List<Job> JOBS =
      List.of(
          new Job("pod", "pod", false),
          new Job("pod-node", "pod", true),
          new Job("service", "service", false),
          new Job("endpoints", "endpoints", false),
          new Job("endpoints-node", "endpoints", true),
          new Job("endpointslice", "endpointslice", false),
          new Job("endpointslice-node", "endpointslice", true),
          new Job("node", "node", false),
          new Job("ingress", "ingress", false));

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: K8sOracleDiff <path of prometheus-k8s-sd>");
      System.exit(2);
    }
    int failures;
    try (ListWatchApiServer api = new ListWatchApiServer()) {
      Cluster.objects().forEach(api::put);
      Quarry quarry = new Quarry(api.url());
      Oracle oracle = new Oracle(Path.of(args[0]), api.url());
      try {
        quarry.await();
        oracle.await();
        // client-go v0.26 may call an informer synced before its last listed object is stored,
        // and 2.42 rebuilds endpoints only on endpoints or service events; so an Endpoints object
        // handled first can miss its pods for good. Updating Endpoints and EndpointSlices (same
        // content, new resource version) makes both sides rebuild them from complete caches.
        Cluster.objects().stream()
            .filter(o -> o.getKind().equals("Endpoints") || o.getKind().equals("EndpointSlice"))
            .forEach(api::put);
        System.out.println("== initial objects");
        failures = compare(quarry.await(), oracle.await());
        Cluster.changes(api);
        Thread.sleep(3000);
        System.out.println("== after changes through the watch");
        failures += compare(quarry.await(), oracle.await());
      } finally {
        quarry.close();
        oracle.close();
      }
    }
    System.out.println(
        failures == 0 ? "k8s-diff: all jobs agree" : "k8s-diff: " + failures + " job(s) differ");
    System.exit(failures == 0 ? 0 : 1);
  }

  /** Quarry's discovery, one provider per job, keeping each job's latest report. */
  static final class Quarry implements AutoCloseable {
    final Vertx vertx = Vertx.vertx();
    final Map<String, List<TargetGroup>> latest = new java.util.concurrent.ConcurrentHashMap<>();
    final List<DiscoveryProvider> providers = new ArrayList<>();

    Quarry(String url) {
      KubernetesDiscovery d =
          new KubernetesDiscovery(
              vertx,
              "k8s-diff",
              new KubernetesMetrics(null),
              Path.of("/nonexistent"),
              Duration.ofSeconds(30));
      for (Job j : JOBS) {
        var c =
            new KubernetesSdConfig(
                j.role(),
                url,
                null,
                HttpClientConfig.DEFAULT,
                KubernetesSdConfig.Namespaces.ALL,
                List.of(),
                j.attachNode(),
                false);
        DiscoveryProvider p = d.provider(j.name(), c);
        providers.add(p);
        vertx.runOnContext(v -> p.start(groups -> latest.put(j.name(), groups)));
      }
    }

    /** The label sets of every job once all have reported and nothing changed for a second. */
    Map<String, Set<Map<String, String>>> await() throws Exception {
      Map<String, Set<Map<String, String>>> last = null;
      for (int i = 0; i < 60; i++) {
        Thread.sleep(1000);
        Map<String, Set<Map<String, String>>> now = new TreeMap<>();
        for (var e : latest.entrySet()) {
          Set<Map<String, String>> sets = new java.util.HashSet<>();
          for (TargetGroup g : e.getValue()) {
            for (Labels t : g.targets()) {
              sets.add(new TreeMap<>(Labels.join(g.labels(), t).toMap()));
            }
          }
          now.put(e.getKey(), sets);
        }
        if (now.size() == JOBS.size() && now.equals(last)) {
          return now;
        }
        last = now;
      }
      return last;
    }

    @Override
    public void close() throws Exception {
      for (DiscoveryProvider p : providers) {
        p.stop().toCompletionStage().toCompletableFuture().get();
      }
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  /** Prometheus 2.42's discovery as a process, read through its targets API. */
  static final class Oracle implements AutoCloseable {
    final Process process;
    final Path dir;
    final int port;

    Oracle(Path binary, String url) throws Exception {
      dir = Files.createTempDirectory("k8s-diff");
      StringBuilder yml = new StringBuilder("global:\n  scrape_interval: 1h\nscrape_configs:\n");
      for (Job j : JOBS) {
        yml.append("  - job_name: ")
            .append(j.name())
            .append("\n    kubernetes_sd_configs:\n")
            .append("      - role: ")
            .append(j.role())
            .append("\n        api_server: ")
            .append(url)
            .append('\n');
        if (j.attachNode()) {
          yml.append("        attach_metadata: {node: true}\n");
        }
      }
      Files.writeString(dir.resolve("prometheus.yml"), yml);
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      process =
          new ProcessBuilder(
                  binary.toString(),
                  "--config.file=" + dir.resolve("prometheus.yml"),
                  "--web.listen-address=127.0.0.1:" + port)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("oracle.log").toFile())
              .start();
    }

    Map<String, Set<Map<String, String>>> await() throws Exception {
      HttpClient http = HttpClient.newHttpClient();
      ObjectMapper json = new ObjectMapper();
      Map<String, Set<Map<String, String>>> last = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        Thread.sleep(2000);
        JsonNode data;
        try {
          data =
              json.readTree(
                      http.send(
                              HttpRequest.newBuilder(
                                      URI.create(
                                          "http://127.0.0.1:" + port + "/api/v1/targets?state=any"))
                                  .build(),
                              HttpResponse.BodyHandlers.ofString())
                          .body())
                  .path("data");
        } catch (java.io.IOException e) {
          continue;
        }
        Map<String, Set<Map<String, String>>> now = new TreeMap<>();
        JOBS.forEach(j -> now.put(j.name(), new java.util.HashSet<>()));
        for (String kind : List.of("activeTargets", "droppedTargets")) {
          for (JsonNode t : data.path(kind)) {
            Map<String, String> l = new TreeMap<>();
            t.path("discoveredLabels")
                .fields()
                .forEachRemaining(e -> l.put(e.getKey(), e.getValue().asText()));
            String job = l.get("job");
            l.keySet().removeAll(SCRAPE_DEFAULTS);
            now.computeIfAbsent(job, k -> new java.util.HashSet<>()).add(l);
          }
        }
        boolean allSeen = now.values().stream().noneMatch(Set::isEmpty);
        if (allSeen && now.equals(last)) {
          return now;
        }
        last = now;
      }
      System.err.println("oracle never settled; log: " + dir.resolve("oracle.log"));
      return last == null ? Map.of() : last;
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      process.waitFor();
    }
  }

  static int compare(
      Map<String, Set<Map<String, String>>> ours, Map<String, Set<Map<String, String>>> theirs) {
    int failures = 0;
    for (Job j : JOBS) {
      Set<Map<String, String>> q = ours.getOrDefault(j.name(), Set.of());
      Set<Map<String, String>> o = theirs.getOrDefault(j.name(), Set.of());
      List<String> problems = new ArrayList<>();
      for (Map<String, String> l : o) {
        if (!q.contains(l)) {
          problems.add("only in Prometheus: " + l);
        }
      }
      Set<String> addresses = new TreeSet<>();
      o.forEach(l -> addresses.add(l.get("__address__")));
      for (Map<String, String> l : q) {
        String a = l.get("__address__");
        if (a != null && !addresses.contains(a)) {
          problems.add("only in Quarry: " + l);
        }
      }
      System.out.printf(
          "%-20s quarry %2d label sets, prometheus %2d: %s%n",
          j.name(), q.size(), o.size(), problems.isEmpty() ? "agree" : "DIFFER");
      problems.forEach(s -> System.out.println("    " + s));
      if (!problems.isEmpty()) {
        failures++;
      }
    }
    return failures;
  }

  private K8sOracleDiff() {}
}
