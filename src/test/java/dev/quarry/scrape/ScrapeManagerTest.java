package dev.quarry.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    try (EngineHarness h = new EngineHarness(false, ShardFilter.NONE, Duration.ofSeconds(1))) {
      h.apply("scrape_configs:\n  - job_name: j\n    scrape_interval: 1h\n");
      // apply() sends the job's (empty) static groups: the first reload runs at once.
      EngineHarness.await(
          "first reload", Duration.ofMillis(500), () -> h.manager.pools().containsKey("j"));
      h.manager.updateTargetSets(targets(1));
      h.manager.updateTargetSets(targets(2));
      h.manager.updateTargetSets(targets(3));
      Thread.sleep(300);
      assertEquals(
          0, h.manager.pools().get("j").activeTargets().size(), "the burst waits for the interval");
      EngineHarness.await(
          "latest set applied",
          Duration.ofSeconds(2),
          () -> h.manager.pools().get("j").activeTargets().size() == 3);
      Thread.sleep(300);
      assertEquals(
          3, h.manager.pools().get("j").activeTargets().size(), "only the latest set counts");
    }
  }

  @Test
  void aJobsFirstTargetSetIsAppliedAtOnceAJobLeftOutKeepsItsTargets() throws Exception {
    String j =
        "scrape_configs:\n  - job_name: j\n    scrape_interval: 1h\n"
            + "    static_configs: [{targets: ['127.0.0.1:1']}]\n";
    try (EngineHarness h = new EngineHarness(false, ShardFilter.NONE, Duration.ofSeconds(30))) {
      h.apply(j);
      EngineHarness.await(
          "first job",
          Duration.ofSeconds(2),
          () ->
              h.manager.pools().containsKey("j")
                  && h.manager.pools().get("j").activeTargets().size() == 1);
      // A job whose discovery reports later is not held back by the 30 s interval.
      h.apply(
          j
              + "  - job_name: late\n    scrape_interval: 1h\n"
              + "    static_configs: [{targets: ['127.0.0.1:2', '127.0.0.1:3']}]\n");
      EngineHarness.await(
          "late job applied at once",
          Duration.ofSeconds(2),
          () ->
              h.manager.pools().containsKey("late")
                  && h.manager.pools().get("late").activeTargets().size() == 2);
      // A snapshot without "j" (its discovery not known yet) leaves j's targets alone.
      h.manager.updateTargetSets(Map.of("late", targets(2).get("j")));
      Thread.sleep(300);
      assertEquals(1, h.manager.pools().get("j").activeTargets().size());
    }
  }
}
