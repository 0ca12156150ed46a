package dev.quarry.scrape;

import static dev.quarry.scrape.ManualEngine.config;
import static dev.quarry.scrape.ManualEngine.series;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.config.PrometheusConfig;
import dev.quarry.discovery.TargetGroup;
import dev.quarry.model.Labels;
import dev.quarry.storage.MemoryStorage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Discovery updates: the first applied at once, later ones coalesced and rate-limited; config
 * changes. On manual time: the manager's reload thread is the test's.
 */
class ScrapeManagerTest {
  private static final long T0 = 1_700_000_000_000L;

  private static final String J =
      "scrape_configs:\n  - job_name: j\n    scrape_interval: 1h\n"
          + "    static_configs: [{targets: ['127.0.0.1:1']}]\n";

  private final ManualEngine e = new ManualEngine(T0, 0, true);

  private ScrapeManager manager(Duration reloadInterval) {
    return new ScrapeManager(reloadInterval, e.env, e.time, Runnable::run);
  }

  private static Map<String, List<TargetGroup>> targets(int n) {
    List<Labels> ts = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      ts.add(Labels.of("__address__", "127.0.0.1:" + (1 + i)));
    }
    return Map.of("j", List.of(new TargetGroup("0", ts, Labels.EMPTY)));
  }

  private static int active(ScrapeManager m, String job) {
    return m.pools().get(job).activeTargets().size();
  }

  /** Applies {@code yaml} and sends its static targets, as the config service and discovery do. */
  private PrometheusConfig apply(ScrapeManager m, String yaml) {
    PrometheusConfig cfg = config(yaml);
    m.applyConfig(cfg).join();
    m.updateTargetSets(EngineHarness.staticGroups(cfg));
    return cfg;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "the first reload runs at once, false, false, 0, 1000, 0, 0",
    "a job's first target set at once, true, true, 0, 1000, 100, 0",
    "waits out the interval, true, false, 0, 1000, 300, 700",
    "due already, true, false, 0, 1000, 1000, 0",
    "long past, true, false, 0, 1000, 9000, 0",
  })
  void reloadDelay(
      String name,
      boolean reloadedOnce,
      boolean firstOfAJob,
      long last,
      long interval,
      long now,
      long delay) {
    assertEquals(
        delay, ScrapeManager.reloadDelayNanos(reloadedOnce, firstOfAJob, last, interval, now));
  }

  @Test
  void firstUpdateAtOnceLaterOnesCoalescedAtMostOncePerInterval() {
    ScrapeManager m = manager(Duration.ofSeconds(1));
    apply(m, "scrape_configs:\n  - job_name: j\n    scrape_interval: 1h\n");
    // apply() sends the job's (empty) static groups: the first reload runs at once.
    e.time.advance(0);
    assertTrue(m.pools().containsKey("j"), "first reload");
    m.updateTargetSets(targets(1));
    m.updateTargetSets(targets(2));
    m.updateTargetSets(targets(3));
    e.time.advance(300);
    assertEquals(0, active(m, "j"), "the burst waits for the interval");
    e.time.advance(699);
    assertEquals(0, active(m, "j"), "the burst waits for the interval");
    e.time.advance(1);
    assertEquals(3, active(m, "j"), "latest set applied, a second after the last reload");
    e.time.advance(300);
    assertEquals(3, active(m, "j"), "only the latest set counts");
    m.updateTargetSets(targets(1));
    e.time.advance(699);
    assertEquals(3, active(m, "j"), "again not before a second since the last reload");
    e.time.advance(1);
    assertEquals(1, active(m, "j"));
  }

  @Test
  void aJobsFirstTargetSetIsAppliedAtOnceAJobLeftOutKeepsItsTargets() {
    ScrapeManager m = manager(Duration.ofSeconds(30));
    apply(m, J);
    e.time.advance(0);
    assertEquals(1, active(m, "j"), "first job");
    // A job whose discovery reports later is not held back by the 30 s interval.
    apply(
        m,
        J
            + "  - job_name: late\n    scrape_interval: 1h\n"
            + "    static_configs: [{targets: ['127.0.0.1:2', '127.0.0.1:3']}]\n");
    e.time.advance(0);
    assertEquals(2, active(m, "late"), "late job applied at once");
    // A snapshot without "j" (its discovery not known yet) leaves j's targets alone.
    m.updateTargetSets(Map.of("late", targets(2).get("j")));
    e.time.advance(300);
    assertEquals(1, active(m, "j"));
    e.time.advance(30_000);
    assertEquals(1, active(m, "j"), "not after the rate-limited reload either");
    assertEquals(2, active(m, "late"));
  }

  @Test
  void aNewJobsFirstSetOvertakesAReloadWaitingForTheInterval() {
    ScrapeManager m = manager(Duration.ofSeconds(30));
    apply(m, J);
    e.time.advance(1_000);
    m.updateTargetSets(targets(2)); // waits until 30 s after the first reload
    e.time.advance(1_000);
    assertEquals(1, active(m, "j"));
    apply(m, J + "  - job_name: new\n    scrape_interval: 1h\n");
    e.time.advance(0);
    assertTrue(m.pools().containsKey("new"), "applied at once");
    assertEquals(1, active(m, "j"), "the update sent with it wins over the pending one");
  }

  /** As Prometheus 2.42: a job removed from the config is cancelled without staleness markers. */
  @Test
  void jobRemovedFromTheConfigGetsNoStalenessMarkersAsInPrometheus242() {
    ScrapeManager m = manager(Duration.ofSeconds(1));
    e.scrapers.of("127.0.0.1:1").page = "m 1\n";
    apply(
        m,
        "scrape_configs:\n  - job_name: j\n    scrape_interval: 500ms\n"
            + "    static_configs: [{targets: ['127.0.0.1:1']}]\n");
    e.time.advance(2_000);
    Labels up = series("up", "127.0.0.1:1");
    assertTrue(e.storage.samples(up).size() >= 3, "scraped");
    m.applyConfig(config("scrape_configs: []\n")).join();
    assertFalse(m.pools().containsKey("j"), "pool stopped");
    e.time.advance(60_000); // past when end-of-run markers would have been written
    assertTrue(
        e.storage.samples(up).stream().noneMatch(MemoryStorage.Sample::isStale),
        "2.42 cancels a removed job's loops without markers");
    assertFalse(e.storage.last(series("m", "127.0.0.1:1")).isStale());
  }
}
