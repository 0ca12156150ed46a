package dev.quarry.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Named.named;

import dev.quarry.config.Authorization;
import dev.quarry.config.HttpClientConfig;
import dev.quarry.config.HttpSdConfig;
import dev.quarry.config.TlsConfig;
import dev.quarry.http.HttpClientFactory;
import dev.quarry.model.Labels;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HttpSdProviderTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final String GOOD = "[{\"targets\": [\"a:1\"], \"labels\": {\"env\": \"prod\"}}]";

  Vertx vertx;
  HttpServer server;
  HttpSdProvider provider;
  final AtomicReference<Consumer<io.vertx.core.http.HttpServerResponse>> answer =
      new AtomicReference<>();
  final AtomicReference<MultiMap> lastHeaders = new AtomicReference<>();
  final AtomicInteger requests = new AtomicInteger();
  final Updates<List<TargetGroup>> updates = new Updates<>();

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    answer.set(r -> r.putHeader("Content-Type", "application/json").end(GOOD));
    server =
        await(
            vertx
                .createHttpServer()
                .requestHandler(
                    req -> {
                      lastHeaders.set(MultiMap.caseInsensitiveMultiMap().addAll(req.headers()));
                      requests.incrementAndGet();
                      answer.get().accept(req.response());
                    })
                .listen(0, "127.0.0.1"));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (provider != null) {
      await(provider.stop());
    }
    await(vertx.close());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/sd";
  }

  private void start(HttpClientConfig client) {
    start(client, Duration.ofMillis(100));
  }

  private void start(HttpClientConfig client, Duration refresh) {
    provider =
        new HttpSdProvider(
            vertx,
            "job",
            new HttpSdConfig(url(), refresh, client),
            new HttpClientFactory(vertx),
            "Quarry/test");
    vertx.getOrCreateContext().runOnContext(v -> provider.start(updates, failures));
  }

  final Updates<String> failures = new Updates<>();

  /** Sends headers at once, then one byte of whitespace every 200 ms, for ever. */
  private void dribble(io.vertx.core.http.HttpServerResponse r) {
    r.setChunked(true).putHeader("Content-Type", "application/json").write("[");
    long id = vertx.setPeriodic(200, t -> r.write(" "));
    r.closeHandler(v -> vertx.cancelTimer(id));
  }

  @Test
  void aDribblingEndpointFailsAtTheTotalDeadlineAndLaterRefreshesRun() throws Exception {
    answer.set(this::dribble);
    long t0 = System.nanoTime();
    start(HttpClientConfig.DEFAULT, Duration.ofSeconds(1));
    String error = failures.awaitLast(f -> true, WAIT);
    long tookMs = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(tookMs < 3_000, "the refresh failed only after " + tookMs + " ms");
    assertTrue(error.contains(url()), error);
    assertTrue(error.contains("did not finish within PT1S"), error);
    assertEquals(List.of(), updates.awaitLast(l -> true, WAIT), "first failure reports no groups");
    failures.awaitLast(f -> failures.seen.size() >= 2, WAIT); // the next refresh ran and failed
    assertTrue(requests.get() >= 2, "requests: " + requests.get());
    answer.set(r -> r.putHeader("Content-Type", "application/json").end(GOOD));
    updates.awaitLast(l -> !l.isEmpty(), WAIT);
  }

  @Test
  void stopDoesNotWaitForARequestInFlight() throws Exception {
    answer.set(r -> {}); // never answers
    start(HttpClientConfig.DEFAULT, Duration.ofSeconds(30));
    while (requests.get() == 0) {
      Thread.sleep(10);
    }
    long t0 = System.nanoTime();
    provider.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    long tookMs = (System.nanoTime() - t0) / 1_000_000;
    provider = null;
    assertTrue(tookMs < 2_000, "stop took " + tookMs + " ms");
    assertTrue(failures.seen.isEmpty(), () -> "a stop is not a failure: " + failures.seen);
  }

  @Test
  void reportsGroupsWithUrlLabelAndSendsPrometheusHeaders() throws Exception {
    start(
        new HttpClientConfig(
            null, new Authorization(null, "sd-token", null), TlsConfig.DEFAULT, null, true, true));
    List<TargetGroup> g = updates.awaitLast(l -> !l.isEmpty(), WAIT);
    assertEquals(
        List.of(
            new TargetGroup(
                url() + ":0",
                List.of(Labels.of("__address__", "a:1")),
                Labels.of("env", "prod", "__meta_url", url()))),
        g);
    MultiMap h = lastHeaders.get();
    assertEquals("0.1", h.get("X-Prometheus-Refresh-Interval-Seconds"));
    assertEquals("Quarry/test", h.get("User-Agent"));
    assertEquals("application/json", h.get("Accept"));
    assertEquals("Bearer sd-token", h.get("Authorization"));
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(
            named(
                "non-200 status",
                (Consumer<io.vertx.core.http.HttpServerResponse>)
                    r ->
                        r.setStatusCode(503)
                            .putHeader("Content-Type", "application/json")
                            .end("[]"))),
        Arguments.of(
            named(
                "wrong content type",
                (Consumer<io.vertx.core.http.HttpServerResponse>)
                    r -> r.putHeader("Content-Type", "text/plain").end("[]"))),
        Arguments.of(
            named(
                "invalid body",
                (Consumer<io.vertx.core.http.HttpServerResponse>)
                    r ->
                        r.putHeader("Content-Type", "application/json")
                            .end("[{\"targets\": [1]}]"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void failureKeepsTheLastGoodGroups(Consumer<io.vertx.core.http.HttpServerResponse> failure)
      throws Exception {
    start(HttpClientConfig.DEFAULT);
    updates.awaitLast(l -> !l.isEmpty(), WAIT);
    answer.set(failure);
    int before = requests.get();
    // Several refreshes fail; an empty list ("[]") would have been reported if accepted.
    while (requests.get() < before + 3) {
      Thread.sleep(20);
    }
    assertEquals(1, updates.seen.size(), () -> "reports: " + updates.seen);
    answer.set(r -> r.putHeader("Content-Type", "application/json; charset=utf-8").end("[]"));
    updates.awaitLast(List::isEmpty, WAIT);
  }

  @Test
  void firstFailureReportsAnEmptyListOnce() throws Exception {
    answer.set(r -> r.setStatusCode(500).end());
    start(HttpClientConfig.DEFAULT);
    assertEquals(List.of(), updates.awaitLast(l -> true, WAIT));
    int before = requests.get();
    while (requests.get() < before + 2) {
      Thread.sleep(20);
    }
    assertEquals(1, updates.seen.size());
  }
}
