package dev.quarry.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The multi-target exporter pattern (blackbox, snmp): every target of a job is one {@code ?target=}
 * parameter on the same exporter host:port. Scrapes of that one host run concurrently, so a
 * slow-ish exporter does not turn a per-host connection cap into timeouts.
 */
class ManyTargetsOneHostTest {
  static final int TARGETS = 1000;

  @Test
  void thousandTargetsOnOneHostAreAllUpAfterTheFirstRound() throws Exception {
    try (EngineHarness h = new EngineHarness(false)) {
      // Answers each probe after 50 ms on a timer: the exporter itself serves all at once.
      HttpServer exporter =
          h.vertx
              .createHttpServer(new HttpServerOptions().setHost("127.0.0.1"))
              .requestHandler(
                  r ->
                      h.vertx.setTimer(
                          50,
                          id ->
                              TestTarget.page(
                                  r, "probe_success{target=\"" + r.getParam("target") + "\"} 1\n")))
              .listen(0)
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      String targets =
          IntStream.range(0, TARGETS)
              .mapToObj(i -> "'t" + i + "'")
              .collect(Collectors.joining(", "));
      h.apply(
          """
          scrape_configs:
            - job_name: probe
              scrape_interval: 5s
              scrape_timeout: 4s
              metrics_path: /probe
              static_configs: [{targets: [%s]}]
              relabel_configs:
                - source_labels: [__address__]
                  target_label: __param_target
                - source_labels: [__param_target]
                  target_label: instance
                - target_label: __address__
                  replacement: 127.0.0.1:%d
          """
              .formatted(targets, exporter.actualPort()));
      EngineHarness.await(
          "every target scraped once",
          Duration.ofSeconds(30),
          () -> {
            ScrapePool pool = h.manager.pools().get("probe");
            return pool != null
                && pool.activeTargets().size() == TARGETS
                && pool.activeTargets().stream()
                    .allMatch(t -> t.health().snapshot().state() != TargetHealth.State.UNKNOWN);
          });
      List<Target> active = h.manager.pools().get("probe").activeTargets();
      List<String> down =
          active.stream()
              .map(t -> t.health().snapshot())
              .filter(s -> s.state() != TargetHealth.State.UP)
              .map(TargetHealth.Snapshot::lastError)
              .toList();
      assertEquals(
          0,
          down.size(),
          down.size() + " of " + TARGETS + " down, e.g. " + down.stream().limit(3).toList());
      exporter.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
