package dev.quarry.discovery.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import dev.quarry.config.HttpClientConfig;
import dev.quarry.config.KubernetesSdConfig;
import dev.quarry.config.KubernetesSdConfig.Namespaces;
import dev.quarry.config.KubernetesSdConfig.Selector;
import dev.quarry.discovery.DiscoveryProvider;
import dev.quarry.discovery.TargetGroup;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Changes through the watch reach the provider's reports (pods added and deleted, a service
 * relabelled, an endpoint turning ready), informers are shared and released, and failures (server
 * down, 403) never hold up the first report and keep the last known targets.
 */
class KubernetesWatchTest {
  static final String NS = "live";
  MockApiServer api;
  Vertx vertx;
  KubernetesDiscovery discovery;
  final List<DiscoveryProvider> running = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    api = new MockApiServer();
    vertx = Vertx.vertx();
    discovery =
        new KubernetesDiscovery(
            vertx,
            "test",
            new KubernetesMetrics(null),
            Path.of("/nonexistent"),
            Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() throws Exception {
    for (DiscoveryProvider p : running) {
      p.stop().toCompletionStage().toCompletableFuture().get();
    }
    vertx.close().toCompletionStage().toCompletableFuture().join();
    api.close();
  }

  /** Records a provider's reports. */
  static final class Reports {
    final List<List<TargetGroup>> seen = new CopyOnWriteArrayList<>();

    List<TargetGroup> await(Predicate<List<TargetGroup>> p) throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline) {
        if (!seen.isEmpty() && p.test(seen.get(seen.size() - 1))) {
          return seen.get(seen.size() - 1);
        }
        Thread.sleep(10);
      }
      return fail("no matching report; saw " + seen);
    }
  }

  KubernetesSdConfig config(String role, String apiServer, List<Selector> selectors) {
    return new KubernetesSdConfig(
        role,
        apiServer,
        null,
        HttpClientConfig.DEFAULT,
        new Namespaces(false, List.of(NS)),
        selectors,
        false,
        false);
  }

  Reports run(KubernetesSdConfig c) {
    return run(discovery, c);
  }

  Reports run(KubernetesDiscovery d, KubernetesSdConfig c) {
    Reports r = new Reports();
    DiscoveryProvider p = d.provider("k", c);
    running.add(p);
    vertx.runOnContext(v -> p.start(r.seen::add));
    return r;
  }

  static Pod pod(String name, String ip) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .withImage("i")
        .addNewPort()
        .withContainerPort(80)
        .endPort()
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPodIP(ip)
        .endStatus()
        .build();
  }

  static Set<String> sources(List<TargetGroup> groups) {
    return groups.stream().map(TargetGroup::source).collect(Collectors.toSet());
  }

  @Test
  void podsAddedAndDeletedThroughTheWatch() throws Exception {
    api.client().resource(pod("a", "10.0.0.1")).create();
    Reports r = run(config("pod", api.url(), List.of()));
    r.await(g -> sources(g).equals(Set.of("pod/live/a")));

    api.client().resource(pod("b", "10.0.0.2")).create();
    List<TargetGroup> both = r.await(g -> sources(g).equals(Set.of("pod/live/a", "pod/live/b")));
    assertEquals(
        "10.0.0.2:80",
        both.stream()
            .filter(g -> g.source().equals("pod/live/b"))
            .findFirst()
            .orElseThrow()
            .targets()
            .get(0)
            .get("__address__"));

    api.client().pods().inNamespace(NS).withName("a").delete();
    r.await(g -> sources(g).equals(Set.of("pod/live/b")));
  }

  @Test
  void serviceRelabelledThroughTheWatch() throws Exception {
    api.client()
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("s")
                .withNamespace(NS)
                .addToLabels("tier", "old")
                .endMetadata()
                .withNewSpec()
                .addNewPort()
                .withPort(80)
                .endPort()
                .endSpec()
                .build())
        .create();
    Reports svc = run(config("service", api.url(), List.of()));
    Reports eps = run(config("endpoints", api.url(), List.of()));
    api.client().resource(endpoints(false)).create();
    svc.await(
        g ->
            g.size() == 1
                && "old".equals(g.get(0).labels().get("__meta_kubernetes_service_label_tier")));
    eps.await(
        g ->
            g.size() == 1
                && "old".equals(g.get(0).labels().get("__meta_kubernetes_service_label_tier")));

    api.client()
        .services()
        .inNamespace(NS)
        .withName("s")
        .edit(
            s ->
                new ServiceBuilder(s)
                    .editMetadata()
                    .addToLabels("tier", "new")
                    .endMetadata()
                    .build());
    svc.await(g -> "new".equals(g.get(0).labels().get("__meta_kubernetes_service_label_tier")));
    // the endpoints role rebuilds the same-named endpoints when their service changes
    eps.await(g -> "new".equals(g.get(0).labels().get("__meta_kubernetes_service_label_tier")));
  }

  static Endpoints endpoints(boolean ready) {
    var addr = new EndpointAddressBuilder().withIp("10.0.0.9").build();
    var b =
        new EndpointsBuilder()
            .withNewMetadata()
            .withName("s")
            .withNamespace(NS)
            .endMetadata()
            .addNewSubset();
    b = ready ? b.addToAddresses(addr) : b.addToNotReadyAddresses(addr);
    return b.addNewPort().withName("http").withPort(8080).endPort().endSubset().build();
  }

  @Test
  void endpointTurningReady() throws Exception {
    api.client().resource(endpoints(false)).create();
    Reports r = run(config("endpoints", api.url(), List.of()));
    r.await(
        g ->
            g.size() == 1
                && g.get(0).targets().size() == 1
                && "false"
                    .equals(g.get(0).targets().get(0).get("__meta_kubernetes_endpoint_ready")));
    api.client().resource(endpoints(true)).update();
    r.await(
        g ->
            g.size() == 1
                && g.get(0).targets().size() == 1
                && "true"
                    .equals(g.get(0).targets().get(0).get("__meta_kubernetes_endpoint_ready")));
  }

  @Test
  void informersAreSharedAcrossJobsAndReleasedWithTheLast() throws Exception {
    api.client().resource(pod("a", "10.0.0.1")).create();
    KubernetesSdConfig all = config("pod", api.url(), List.of());
    Reports r1 = run(all);
    Reports r2 = run(all);
    Reports r3 = run(config("endpoints", api.url(), List.of()));
    Reports r4 = run(config("pod", api.url(), List.of(new Selector("pod", "app=x", ""))));
    for (Reports r : List.of(r1, r2, r3, r4)) {
      r.await(g -> true);
    }
    // pods (shared by the two pod jobs and the endpoints job), endpoints, services, and the
    // pods with another label selector
    assertEquals(4, discovery.informers().informerCount());
    assertEquals(1, discovery.informers().clientCount());
    for (DiscoveryProvider p : running) {
      p.stop().toCompletionStage().toCompletableFuture().get();
    }
    running.clear();
    assertEquals(0, discovery.informers().informerCount());
    assertEquals(0, discovery.informers().clientCount());
  }

  @Test
  void unreachableServerReportsEmptyAtOnceAndCountsFailures() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Reports r = run(config("pod", "http://127.0.0.1:" + port, List.of()));
    long t0 = System.nanoTime();
    r.await(List::isEmpty);
    assertTrue(
        System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos(),
        "first report must not wait for the start deadline");
    assertTrue(discovery.metrics().failures() >= 1);
  }

  @Test
  void forbiddenIsCountedAndRetried() throws Exception {
    HttpServer forbid = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    forbid.createContext(
        "/",
        ex -> {
          byte[] body =
              ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                      + "\"message\":\"pods is forbidden\",\"reason\":\"Forbidden\",\"code\":403}")
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", "application/json");
          ex.sendResponseHeaders(403, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    forbid.start();
    try {
      Reports r =
          run(config("pod", "http://127.0.0.1:" + forbid.getAddress().getPort(), List.of()));
      r.await(List::isEmpty);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (discovery.metrics().failures() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertTrue(discovery.metrics().failures() >= 2, "retried with back-off");
      assertEquals(1, r.seen.size(), "failures report nothing after the first empty report");
    } finally {
      forbid.stop(0);
    }
  }

  @Test
  void serverGoingAwayKeepsTheLastTargets() throws Exception {
    api.client().resource(pod("a", "10.0.0.1")).create();
    Reports r = run(config("pod", api.url(), List.of()));
    r.await(g -> sources(g).equals(Set.of("pod/live/a")));
    long before = discovery.metrics().failures();
    api.server.destroy();
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (discovery.metrics().failures() == before && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(discovery.metrics().failures() > before, "the lost watch is a counted failure");
    assertEquals(Set.of("pod/live/a"), sources(r.seen.get(r.seen.size() - 1)));
  }
}
