package dev.quarry.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.model.Labels;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A target whose label value makes a metric relabel regex backtrack for ever in a backtracking
 * engine ({@code ((a+)+)+b} against 40 a's) is relabelled in linear time: its own samples are
 * stored, and another job's target keeps being scraped and stored on every tick.
 */
class MetricRelabelRegexTest {
  private static final Duration INTERVAL = Duration.ofMillis(200);
  private static final Duration WINDOW = Duration.ofSeconds(4);

  @Test
  void pathologicalRegexNeitherWedgesItsTargetNorStarvesOtherJobs() throws Exception {
    String value = "a".repeat(40);
    try (EngineHarness h = new EngineHarness(false);
        TestTarget evil = new TestTarget(h.vertx);
        TestTarget other = new TestTarget(h.vertx)) {
      evil.handler = r -> TestTarget.page(r, "m{v=\"" + value + "\"} 1\nn 2\n");
      other.handler = r -> TestTarget.page(r, "ok 1\n");
      h.apply(
          """
          global:
            scrape_interval: %dms
            scrape_timeout: 150ms
          scrape_configs:
            - job_name: evil
              static_configs: [{targets: ['%s']}]
              metric_relabel_configs:
                - source_labels: [v]
                  regex: '((a+)+)+b'
                  action: drop
                - source_labels: [v]
                  regex: '((a+)+)+b'
                  target_label: w
                  replacement: matched
            - job_name: other
              static_configs: [{targets: ['%s']}]
          """
              .formatted(INTERVAL.toMillis(), evil.address(), other.address()));
      Thread.sleep(WINDOW.toMillis());

      Labels okOther = Labels.of("__name__", "ok", "job", "other", "instance", other.address());
      Labels upOther = Labels.of("__name__", "up", "job", "other", "instance", other.address());
      Labels m = Labels.of("__name__", "m", "job", "evil", "instance", evil.address(), "v", value);
      // 20 ticks in the window; half of them leaves room for a slow, shared machine.
      long ticks = WINDOW.toMillis() / INTERVAL.toMillis();
      int others = h.storage.samples(okOther).size();
      assertTrue(others >= ticks / 2, "other job stored " + others + " of ~" + ticks + " scrapes");
      assertTrue(h.storage.samples(upOther).size() >= ticks / 2, "other job's up");
      assertNotNull(h.storage.last(m), "the evil target's series is kept: no b, no drop");
      int evils = h.storage.samples(m).size();
      assertTrue(evils >= ticks / 2, "evil target stored " + evils + " of ~" + ticks + " scrapes");
      assertEquals(1, h.storage.last(m).value());
    }
  }
}
