package dev.quarry.scrape;

import static dev.quarry.scrape.EngineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.config.PrometheusConfig;
import dev.quarry.model.Labels;
import dev.quarry.model.StaleMarker;
import dev.quarry.storage.Appendable;
import dev.quarry.storage.Appender;
import dev.quarry.storage.MemoryStorage;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The scrape engine against real HTTP targets: health, errors, staleness, report series. */
class ScrapeEngineTest {
  private EngineHarness h;
  private TestTarget target;

  @BeforeEach
  void start() throws Exception {
    h = new EngineHarness(true);
    target = new TestTarget(h.vertx);
  }

  @AfterEach
  void stop() throws Exception {
    target.close();
    h.close();
  }

  private String job(String extra) {
    return """
        scrape_configs:
          - job_name: t
            scrape_interval: 500ms
            scrape_timeout: 400ms
        %s
            static_configs:
              - targets: ['%s']
        """
        .formatted(extra.indent(4).stripTrailing(), target.address());
  }

  private Labels report(String name) {
    return Labels.of("__name__", name, "job", "t", "instance", target.address());
  }

  private TargetHealth.Snapshot awaitScraped() throws InterruptedException {
    await(
        "a scrape",
        Duration.ofSeconds(5),
        () ->
            h.manager.pools().containsKey("t")
                && !h.manager.pools().get("t").activeTargets().isEmpty()
                && h.onlyTarget("t").health().snapshot().state() != TargetHealth.State.UNKNOWN);
    return h.onlyTarget("t").health().snapshot();
  }

  static Stream<Arguments> failures() {
    Consumer<HttpServerRequest> notFound = r -> r.response().setStatusCode(404).end("nope");
    Consumer<HttpServerRequest> serverError = r -> r.response().setStatusCode(500).end();
    Consumer<HttpServerRequest> slow = r -> {};
    Consumer<HttpServerRequest> big = r -> TestTarget.page(r, "x 1\n".repeat(1000));
    Consumer<HttpServerRequest> needsAuth =
        r -> {
          if ("Bearer right".equals(r.getHeader("Authorization"))) {
            TestTarget.page(r, "x 1\n");
          } else {
            r.response().setStatusCode(401).setStatusMessage("Unauthorized").end();
          }
        };
    Consumer<HttpServerRequest> protobuf =
        r -> r.response().putHeader("Content-Type", "application/vnd.google.protobuf").end("x");
    byte[] zipped = GunzipTest.gzip("x 1\ny 2\n".repeat(50).getBytes(StandardCharsets.UTF_8));
    Consumer<HttpServerRequest> notGzip =
        r -> gzipPage(r, "x 1\n".getBytes(StandardCharsets.UTF_8));
    Consumer<HttpServerRequest> cutGzip =
        r -> gzipPage(r, java.util.Arrays.copyOf(zipped, zipped.length - 5));
    Consumer<HttpServerRequest> redirectLoop =
        r -> r.response().setStatusCode(302).putHeader("Location", r.uri()).end();
    return Stream.of(
        Arguments.of(Named.of("404", notFound), "", "server returned HTTP status 404 Not Found"),
        Arguments.of(
            Named.of("500", serverError),
            "",
            "server returned HTTP status 500 Internal Server Error"),
        Arguments.of(Named.of("timeout", slow), "", "context deadline exceeded"),
        Arguments.of(
            Named.of("body over the limit", big),
            "body_size_limit: 1KB",
            "body size limit exceeded"),
        Arguments.of(
            Named.of("wrong credentials", needsAuth),
            "authorization: {credentials: wrong}",
            "server returned HTTP status 401 Unauthorized"),
        Arguments.of(
            Named.of("broken protobuf body", protobuf),
            "",
            "byte 0: protobuf: length 120 exceeds the 0 bytes left"),
        Arguments.of(Named.of("gzip header on a plain body", notGzip), "", "gzip: invalid header"),
        Arguments.of(Named.of("gzip body cut short", cutGzip), "", "unexpected EOF"),
        Arguments.of(
            Named.of("redirect loop", redirectLoop),
            "",
            "Get \"/metrics\": stopped after 10 redirects"),
        Arguments.of(
            Named.of("redirect not followed", redirectLoop),
            "follow_redirects: false",
            "server returned HTTP status 302 Found"));
  }

  static void gzipPage(HttpServerRequest r, byte[] body) {
    r.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4")
        .putHeader("Content-Encoding", "gzip")
        .end(io.vertx.core.buffer.Buffer.buffer(body));
  }

  @ParameterizedTest
  @MethodSource("failures")
  void failedScrapeIsDownWithPrometheusWording(
      Consumer<HttpServerRequest> handler, String config, String error) throws Exception {
    target.handler = handler;
    h.apply(job(config));
    TargetHealth.Snapshot s = awaitScraped();
    assertEquals(TargetHealth.State.DOWN, s.state());
    assertTrue(s.lastError().contains(error), s.lastError());
    assertEquals(0, h.storage.last(report("up")).value());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "application/octet-stream", "text/plain; version"})
  void pageWithoutAKnownContentTypeIsReadAsText(String contentType) throws Exception {
    target.handler =
        r -> {
          if (!contentType.isEmpty()) {
            r.response().putHeader("Content-Type", contentType);
          }
          r.response().end("# TYPE x gauge\nx{le=\"1\"} 7\n");
        };
    h.apply(job(""));
    TargetHealth.Snapshot s = awaitScraped();
    assertEquals(TargetHealth.State.UP, s.state(), s.lastError());
    assertEquals(
        7,
        h.storage
            .last(Labels.of("__name__", "x", "le", "1", "job", "t", "instance", target.address()))
            .value());
  }

  @Test
  void bodyOverTheLimitReportsMinusOneBytes() throws Exception {
    target.handler = r -> TestTarget.page(r, "x 1\n".repeat(1000));
    h.apply(job("body_size_limit: 1KB"));
    awaitScraped();
    assertEquals(-1, h.storage.last(report("scrape_body_size_bytes")).value());
  }

  @Test
  void gzipBodyIsDecompressedAndUp() throws Exception {
    target.handler = r -> TestTarget.page(r, "# TYPE a counter\na_total{x=\"1\"} 5\nb 2.5\n");
    h.apply(job(""));
    TargetHealth.Snapshot s = awaitScraped();
    assertEquals(TargetHealth.State.UP, s.state(), s.lastError());
    assertEquals("gzip", target.requests.get(0).get("Accept-Encoding"));
    assertEquals(
        5,
        h.storage
            .last(
                Labels.of(
                    "__name__", "a_total", "x", "1", "job", "t", "instance", target.address()))
            .value());
  }

  @Test
  void gzipBodyOfTwoMembersIsReadWhole() throws Exception {
    byte[] a = GunzipTest.gzip("a 1\n".getBytes(StandardCharsets.UTF_8));
    byte[] b = GunzipTest.gzip("b 2\n".getBytes(StandardCharsets.UTF_8));
    byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    target.handler = r -> gzipPage(r, both);
    h.apply(job(""));
    TargetHealth.Snapshot s = awaitScraped();
    assertEquals(TargetHealth.State.UP, s.state(), s.lastError());
    assertEquals(
        2,
        h.storage
            .last(Labels.of("__name__", "b", "job", "t", "instance", target.address()))
            .value());
    assertEquals(8, h.storage.last(report("scrape_body_size_bytes")).value());
  }

  @Test
  void requestCarriesPrometheusHeaders() throws Exception {
    h.apply(job("authorization: {credentials: right}"));
    awaitScraped();
    var headers = target.requests.get(0);
    assertEquals("Bearer right", headers.get("Authorization"));
    assertEquals("0.4", headers.get("X-Prometheus-Scrape-Timeout-Seconds"));
    assertTrue(headers.get("User-Agent").startsWith("Quarry/"));
    assertTrue(
        headers.get("Accept").startsWith("application/openmetrics-text;version=1.0.0"),
        headers.get("Accept"));
  }

  @Test
  void reportSeriesValues() throws Exception {
    target.handler = r -> TestTarget.page(r, "a 1\nb 2\nc 3\n");
    h.apply(
        job(
            "sample_limit: 10\nmetric_relabel_configs: [{source_labels: [__name__], regex: c, "
                + "action: drop}]"));
    awaitScraped();
    assertEquals(1, h.storage.last(report("up")).value());
    assertEquals(3, h.storage.last(report("scrape_samples_scraped")).value());
    assertEquals(2, h.storage.last(report("scrape_samples_post_metric_relabeling")).value());
    assertEquals(0.4, h.storage.last(report("scrape_timeout_seconds")).value());
    assertEquals(10, h.storage.last(report("scrape_sample_limit")).value());
    assertEquals(
        "a 1\nb 2\nc 3\n".length(), h.storage.last(report("scrape_body_size_bytes")).value());
    List<MemoryStorage.Sample> added = h.storage.samples(report("scrape_series_added"));
    assertEquals(2, added.get(0).value());
    await(
        "second scrape",
        Duration.ofSeconds(3),
        () -> h.storage.samples(report("scrape_series_added")).size() >= 2);
    assertEquals(0, h.storage.samples(report("scrape_series_added")).get(1).value());
    double duration = h.storage.last(report("scrape_duration_seconds")).value();
    assertTrue(duration > 0 && duration < 0.4, "duration " + duration);
  }

  @Test
  void sampleLimitExceededIsDownAndWritesNoSamples() throws Exception {
    target.handler = r -> TestTarget.page(r, "a 1\nb 2\nc 3\n");
    h.apply(job("sample_limit: 2"));
    TargetHealth.Snapshot s = awaitScraped();
    assertEquals("sample limit exceeded", s.lastError());
    assertEquals(
        null, h.storage.last(Labels.of("__name__", "a", "job", "t", "instance", target.address())));
    assertEquals(3, h.storage.last(report("scrape_samples_scraped")).value());
  }

  @Test
  void labelValueLengthLimitFailsTheScrape() throws Exception {
    target.handler = r -> TestTarget.page(r, "a{long=\"" + "x".repeat(30) + "\"} 1\n");
    h.apply(job("label_value_length_limit: 20"));
    TargetHealth.Snapshot s = awaitScraped();
    assertTrue(
        s.lastError().startsWith("label_value_length_limit exceeded (metric: a, label name: long"),
        s.lastError());
  }

  @Test
  void seriesGoneAndFailedScrapeGetStalenessMarkers() throws Exception {
    Labels a = Labels.of("__name__", "a", "job", "t", "instance", target.address());
    Labels b = Labels.of("__name__", "b", "job", "t", "instance", target.address());
    target.handler = r -> TestTarget.page(r, "a 1\nb 2\n");
    h.apply(job(""));
    awaitScraped();
    target.handler = r -> TestTarget.page(r, "a 1\n");
    await("b stale", Duration.ofSeconds(3), () -> h.storage.last(b).isStale());
    assertTrue(!h.storage.last(a).isStale());
    target.handler = r -> r.response().setStatusCode(500).end();
    await("a stale after failure", Duration.ofSeconds(3), () -> h.storage.last(a).isStale());
    assertEquals(1, h.storage.samples(b).stream().filter(MemoryStorage.Sample::isStale).count());
  }

  @Test
  void vanishedTargetGetsStalenessMarkersAfterTwoMissedTicks() throws Exception {
    h.apply(job(""));
    awaitScraped();
    Labels up = report("up");
    long lastUp = h.storage.last(up).timestampMillis();
    h.manager.updateTargetSets(Map.of("t", List.of()));
    await("up stale", Duration.ofSeconds(3), () -> h.storage.last(up).isStale());
    long staleAt = h.storage.last(up).timestampMillis();
    assertTrue(
        staleAt > lastUp && staleAt <= lastUp + 2 * 500 + 50,
        "stale at " + (staleAt - lastUp) + " ms");
    assertNotNull(
        h.storage.last(Labels.of("__name__", "up_page", "job", "t", "instance", target.address())));
    assertTrue(
        h.storage
            .last(Labels.of("__name__", "up_page", "job", "t", "instance", target.address()))
            .isStale());
  }

  @Test
  void targetsVanishingInTheReloadThatChangesTheirJobGetStalenessMarkers() throws Exception {
    try (TestTarget other = new TestTarget(h.vertx)) {
      String config =
          """
          scrape_configs:
            - job_name: t
              scrape_interval: 2s
              scrape_timeout: 1s
              sample_limit: %d
              static_configs:
                - targets: [%s]
          """;
      String both = "'" + target.address() + "', '" + other.address() + "'";
      h.apply(config.formatted(0, both));
      Labels upOther = Labels.of("__name__", "up", "job", "t", "instance", other.address());
      await(
          "both scraped",
          Duration.ofSeconds(5),
          () -> h.storage.last(upOther) != null && h.storage.last(report("up")) != null);
      // One reload changes the job's config and drops the other target: the pool is reloaded
      // (new loops reusing the caches), then synced with the new targets before they scrape.
      h.apply(config.formatted(100, "'" + target.address() + "'"));
      await(
          "vanished target's up stale",
          Duration.ofSeconds(8),
          () -> h.storage.last(upOther).isStale());
      assertTrue(
          h.storage
              .last(Labels.of("__name__", "up_page", "job", "t", "instance", other.address()))
              .isStale());
      assertTrue(!h.storage.last(report("up")).isStale(), "the remaining target is not stale");
    }
  }

  /**
   * Stop before start: a target that vanishes and comes back gets a new loop only once the old
   * loop's in-flight scrape has been committed. Each scrape's commit here stalls for longer than
   * the interval, so a new loop started without waiting would scrape and commit the target at its
   * next tick while the old loop is still committing.
   */
  @Test
  void flappingTargetNeverHasTwoLoops() throws Exception {
    target.close();
    h.close();
    StallingCommits commits = new StallingCommits(750);
    h = new EngineHarness(commits.wrapping());
    target = new TestTarget(h.vertx);
    PrometheusConfig cfg = h.apply(job(""));
    awaitScraped();
    for (int i = 0; i < 3; i++) {
      await("a scrape committing", Duration.ofSeconds(5), () -> commits.committing.get() > 0);
      int started = commits.started.get();
      h.manager.updateTargetSets(Map.of("t", List.of()));
      await(
          "target gone",
          Duration.ofSeconds(5),
          () -> h.manager.pools().get("t").activeTargets().isEmpty());
      h.manager.updateTargetSets(EngineHarness.staticGroups(cfg));
      await(
          "target back",
          Duration.ofSeconds(5),
          () -> h.manager.pools().get("t").activeTargets().size() == 1);
      await(
          "the new loop's first scrape",
          Duration.ofSeconds(5),
          () -> commits.started.get() > started);
    }
    await("commits done", Duration.ofSeconds(5), () -> commits.committing.get() == 0);
    assertEquals(
        1, commits.maxCommitting.get(), "two loops committed scrapes of one target at once");
  }

  /** Storage whose scrape commits (those holding a live {@code up}) take {@code stallMillis}. */
  static final class StallingCommits {
    final AtomicInteger committing = new AtomicInteger();
    final AtomicInteger maxCommitting = new AtomicInteger();
    final AtomicInteger started = new AtomicInteger();
    private final long stallMillis;

    StallingCommits(long stallMillis) {
      this.stallMillis = stallMillis;
    }

    UnaryOperator<Appendable> wrapping() {
      return storage -> () -> new Stalling(storage.appender());
    }

    private final class Stalling extends LimitAppenders.Forwarding {
      private boolean scrape;

      Stalling(Appender next) {
        super(next);
      }

      @Override
      public long append(long ref, Labels labels, long t, double v) {
        scrape |= "up".equals(labels.get("__name__")) && !StaleMarker.isStale(v);
        return next.append(ref, labels, t, v);
      }

      @Override
      public void commit() {
        if (!scrape) {
          next.commit();
          return;
        }
        started.incrementAndGet();
        maxCommitting.accumulateAndGet(committing.incrementAndGet(), Math::max);
        try {
          Thread.sleep(stallMillis);
          next.commit();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        } finally {
          committing.decrementAndGet();
        }
      }
    }
  }
}
