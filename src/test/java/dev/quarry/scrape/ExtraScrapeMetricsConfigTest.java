package dev.quarry.scrape;

import static dev.quarry.scrape.EngineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.quarry.model.Labels;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code extra_scrape_metrics} in prometheus.yml (global, or per job overriding it) adds the same
 * report series as the {@code quarry.scrape.extra-metrics} setting, here left off.
 */
class ExtraScrapeMetricsConfigTest {
  private EngineHarness h;
  private TestTarget target;

  @BeforeEach
  void start() throws Exception {
    h = new EngineHarness(false);
    target = new TestTarget(h.vertx);
    target.handler = r -> TestTarget.page(r, "a 1\n");
  }

  @AfterEach
  void stop() throws Exception {
    target.close();
    h.close();
  }

  private Labels series(String name, String job) {
    return Labels.of("__name__", name, "job", job, "instance", target.address());
  }

  @Test
  void globalSettingAddsTheSeriesAndAJobCanTurnThemOff() throws Exception {
    h.apply(
        """
        global:
          extra_scrape_metrics: true
        scrape_configs:
          - job_name: on
            scrape_interval: 500ms
            scrape_timeout: 400ms
            sample_limit: 50
            static_configs: [{targets: ['%1$s']}]
          - job_name: off
            scrape_interval: 500ms
            scrape_timeout: 400ms
            extra_scrape_metrics: false
            static_configs: [{targets: ['%1$s']}]
        """
            .formatted(target.address()));
    await(
        "both jobs scraped",
        Duration.ofSeconds(20),
        () ->
            h.storage.last(series("up", "on")) != null
                && h.storage.last(series("up", "off")) != null);
    assertEquals(0.4, h.storage.last(series("scrape_timeout_seconds", "on")).value());
    assertEquals(50, h.storage.last(series("scrape_sample_limit", "on")).value());
    // Present; its value is 0 for a scrape that timed out on a loaded machine.
    assertNotNull(h.storage.last(series("scrape_body_size_bytes", "on")));
    assertNull(h.storage.last(series("scrape_timeout_seconds", "off")));
    assertNull(h.storage.last(series("scrape_body_size_bytes", "off")));
  }
}
