package dev.quarry.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.discovery.TargetGroup;
import dev.quarry.model.Labels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Discovery updates: the first applied at once, later ones coalesced and rate-limited. */
class ScrapeManagerTest {

  private static Map<String, List<TargetGroup>> targets(int n) {
    List<Labels> ts = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      ts.add(Labels.of("__address__", "127.0.0.1:" + (1 + i)));
    }
    return Map.of("j", List.of(new TargetGroup("0", ts, Labels.EMPTY)));
  }

  @Test
  void firstUpdateAtOnceLaterOnesCoalescedAtMostOncePerInterval() throws Exception {
    try (EngineHarness h = new EngineHarness(false)) {
      h.apply("scrape_configs:\n  - job_name: j\n    scrape_interval: 1h\n");
      // apply() sends the (empty) static groups: the first reload runs at once.
      long start = System.nanoTime();
      h.manager.updateTargetSets(targets(1));
      h.manager.updateTargetSets(targets(2));
      h.manager.updateTargetSets(targets(3));
      EngineHarness.await("latest set applied", Duration.ofSeconds(2),
          () -> h.manager.pools().containsKey("j") && h.manager.pools().get("j").activeTargets().size() == 3);
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      // The harness' reload interval is 100 ms: the burst waits for it, and only the latest set counts.
      assertTrue(elapsedMs >= 50, "coalesced update applied after " + elapsedMs + " ms");
      assertEquals(3, h.manager.pools().get("j").activeTargets().size());
    }
  }
}
