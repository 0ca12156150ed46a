package dev.quarry.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.config.FileSdConfig;
import dev.quarry.config.ServiceDiscoveryConfig;
import dev.quarry.config.StaticConfig;
import dev.quarry.discovery.kubernetes.KubernetesDiscovery;
import dev.quarry.http.HttpClientFactory;
import dev.quarry.model.Labels;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DiscoveryManagerTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  /** A provider that reports only when the test tells it to. */
  static class Manual implements DiscoveryProvider {
    final Object key;
    volatile Consumer<List<TargetGroup>> updates;
    volatile Context context;
    volatile boolean stopped;

    Manual(Object key) {
      this.key = key;
    }

    @Override
    public void start(Consumer<List<TargetGroup>> updates) {
      this.context = Vertx.currentContext();
      this.updates = updates;
    }

    void report(String... addrs) {
      List<Labels> targets =
          java.util.Arrays.stream(addrs).map(a -> Labels.of("__address__", a)).toList();
      context.runOnContext(
          v -> updates.accept(List.of(new TargetGroup("m", targets, Labels.EMPTY))));
    }

    @Override
    public Future<Void> stop() {
      stopped = true;
      return Future.succeededFuture();
    }
  }

  Vertx vertx;
  final List<Manual> created = new CopyOnWriteArrayList<>();
  final Map<Object, Manual> byKey = new ConcurrentHashMap<>();
  final Updates<Map<String, List<TargetGroup>>> emitted = new Updates<>();
  DiscoveryManager manager;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    manager =
        new DiscoveryManager(
            vertx,
            (job, key) -> {
              Manual m = new Manual(key);
              created.add(m);
              byKey.put(job + "/" + key, m);
              return m;
            },
            emitted);
  }

  @AfterEach
  void tearDown() throws Exception {
    await(manager.stop());
    await(vertx.close());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static FileSdConfig file(String name) {
    return new FileSdConfig(List.of("/sd/" + name + ".json"), Duration.ofMinutes(5));
  }

  private Manual provider(String job, Object key) {
    return byKey.get(job + "/" + key);
  }

  @Test
  void eachJobIsEmittedAsSoonAsItsOwnProvidersHaveReported() throws Exception {
    await(manager.apply(Map.of("a", List.of(file("a")), "b", List.of(file("b"), file("b2")))));
    assertTrue(emitted.seen.isEmpty(), () -> "nothing is known yet: " + emitted.seen);
    provider("a", file("a")).report("a1");
    Map<String, List<TargetGroup>> onlyA = emitted.awaitLast(m -> true, WAIT);
    assertEquals(List.of("a"), List.copyOf(onlyA.keySet()), "b is left out until it is known");
    assertFalse(manager.initialDiscovery().isComplete());
    provider("b", file("b")).report("b1");
    Thread.sleep(100);
    assertEquals(onlyA, emitted.last(), "a job waits for all of its providers");
    provider("b", file("b2")).report();
    Map<String, List<TargetGroup>> both = emitted.awaitLast(m -> m.size() == 2, WAIT);
    assertEquals(2, both.get("b").size());
    await(manager.initialDiscovery());
  }

  @Test
  void aProviderThatNeverReportsCountsAsEmptyAfterTheBoundAndReportsLater() throws Exception {
    List<String> failures = new CopyOnWriteArrayList<>();
    DiscoveryManager bounded =
        new DiscoveryManager(
            vertx,
            (job, key) -> {
              Manual m = new Manual(key);
              byKey.put("bounded:" + job, m);
              return m;
            },
            emitted,
            (job, mechanism, message) -> failures.add(job + "/" + mechanism + ": " + message),
            Duration.ofMillis(300));
    await(bounded.apply(Map.of("fast", List.of(file("f")), "silent", List.of(file("s")))));
    byKey.get("bounded:fast").report("f1");
    assertEquals(List.of("fast"), List.copyOf(emitted.awaitLast(m -> true, WAIT).keySet()));
    Map<String, List<TargetGroup>> m = emitted.awaitLast(s -> s.size() == 2, WAIT);
    assertEquals(List.of(), m.get("silent"));
    await(bounded.initialDiscovery());
    assertEquals(1, failures.size(), () -> "failures: " + failures);
    assertTrue(failures.get(0).startsWith("silent/file: "), failures.get(0));
    assertTrue(failures.get(0).contains("has not reported within PT0.3S"), failures.get(0));
    byKey.get("bounded:silent").report("late");
    emitted.awaitLast(s -> s.get("silent").size() == 1, WAIT);
    await(bounded.stop());
  }

  @Test
  void neitherApplyNorStopWaitsForAProviderThatDoesNotStop() throws Exception {
    DiscoveryManager stuck =
        new DiscoveryManager(
            vertx,
            (job, key) ->
                new Manual(key) {
                  @Override
                  public Future<Void> stop() {
                    stopped = true;
                    return io.vertx.core.Promise.<Void>promise().future(); // never completes
                  }
                },
            emitted);
    await(stuck.apply(Map.of("a", List.of(file("a")), "b", List.of(file("b")))));
    long t0 = System.nanoTime();
    await(stuck.apply(Map.of("a", List.of(file("a2")))));
    assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "apply waited for a stop");
    stuck.stop().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    long took = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(took < 10_000, "stop took " + took + " ms");
  }

  @Test
  void keepsUnchangedProvidersAndStopsRemovedOnes() throws Exception {
    await(
        manager.apply(
            Map.of("a", List.of(file("keep"), file("drop")), "gone", List.of(file("g")))));
    created.forEach(m -> m.report("x"));
    emitted.awaitLast(m -> m.size() == 2, WAIT);
    Manual keep = provider("a", file("keep"));
    Manual drop = provider("a", file("drop"));
    Manual gone = provider("gone", file("g"));

    await(manager.apply(Map.of("a", List.of(file("keep"), file("new")))));
    assertTrue(drop.stopped);
    assertTrue(gone.stopped);
    assertFalse(keep.stopped);
    assertEquals(4, created.size(), "only the new config started a provider");
    provider("a", file("new")).report("n");
    Map<String, List<TargetGroup>> m =
        emitted.awaitLast(s -> s.containsKey("a") && s.get("a").size() == 2, WAIT);
    assertEquals(List.of("a"), List.copyOf(m.keySet()));
    // A late report of a stopped provider changes nothing.
    drop.report("late");
    Thread.sleep(100);
    assertEquals(m, emitted.last());
  }

  @Test
  void jobWithoutTargetsIsEmittedEmptySoItsTargetsGoAway() throws Exception {
    await(manager.apply(Map.of("a", List.of(file("a")))));
    provider("a", file("a")).report("a1");
    emitted.awaitLast(m -> m.get("a").get(0).targets().size() == 1, WAIT);
    await(manager.apply(Map.of("a", List.of())));
    assertEquals(Map.of("a", List.of()), emitted.awaitLast(m -> m.get("a").isEmpty(), WAIT));
  }

  @Test
  void staticConfigsOfAJobFormIndexedGroups() throws Exception {
    DiscoveryManager real =
        new DiscoveryManager(
            vertx,
            new HttpClientFactory(vertx),
            new KubernetesDiscovery(vertx, "Quarry/test", null),
            new DnsDiscovery(vertx, java.util.Optional.empty(), null),
            "Quarry/test",
            emitted,
            (j, m, e) -> {});
    List<ServiceDiscoveryConfig> configs =
        List.of(
            new StaticConfig(List.of("h1:9100", "h2:9100"), Labels.of("env", "prod")),
            new StaticConfig(List.of("h3:9100"), Labels.EMPTY));
    await(real.apply(Map.of("node", configs)));
    List<TargetGroup> groups = emitted.awaitLast(m -> true, WAIT).get("node");
    assertEquals(
        List.of(
            new TargetGroup(
                "0",
                List.of(Labels.of("__address__", "h1:9100"), Labels.of("__address__", "h2:9100")),
                Labels.of("env", "prod")),
            new TargetGroup("1", List.of(Labels.of("__address__", "h3:9100")), Labels.EMPTY)),
        groups);
    await(real.stop());
  }
}
