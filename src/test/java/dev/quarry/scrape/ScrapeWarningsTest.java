package dev.quarry.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quarry.model.Labels;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A page that breaks OpenMetrics rules Prometheus does not enforce is scraped as Prometheus scrapes
 * it (up, every sample stored) and its target shows the warnings of its last scrape.
 */
class ScrapeWarningsTest {
  private static final String PAGE = "# TYPE a counter\na_total -1\nb 1\n# TYPE a counter\n# EOF\n";

  @Test
  void warningsOfTheLastScrapeAreOnTheTargetAndTheScrapeSucceeds() throws Exception {
    try (EngineHarness h = new EngineHarness(false);
        TestTarget target = new TestTarget(h.vertx)) {
      target.handler =
          r ->
              r.response()
                  .putHeader("Content-Type", "application/openmetrics-text; version=1.0.0")
                  .end(PAGE);
      h.apply(
          """
          scrape_configs:
            - job_name: t
              scrape_interval: 2s
              scrape_timeout: 1900ms
              static_configs: [{targets: ['%s']}]
          """
              .formatted(target.address()));
      Labels up = Labels.of("__name__", "up", "job", "t", "instance", target.address());
      EngineHarness.await(
          "a scrape reported",
          Duration.ofSeconds(40),
          () ->
              h.storage.last(up) != null
                  && h.onlyTarget("t").health().snapshot().state() == TargetHealth.State.UP);
      TargetHealth health = h.onlyTarget("t").health();
      assertEquals(TargetHealth.State.UP, health.snapshot().state(), health.snapshot().lastError());
      assertEquals(1.0, h.storage.last(up).value());
      Labels a = Labels.of("__name__", "a_total", "job", "t", "instance", target.address());
      assertEquals(-1.0, h.storage.last(a).value());
      assertEquals(
          List.of(
              "line 2 (byte 17): \"a_total\" must not be negative or NaN",
              "line 4 (byte 39): family \"a\" appears again: a family's metadata and samples must"
                  + " be one group"),
          health.warnings());
    }
  }
}
