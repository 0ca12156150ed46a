package dev.quarry.scrape;

import static dev.quarry.scrape.ManualEngine.groups;
import static dev.quarry.scrape.ManualEngine.job;
import static dev.quarry.scrape.ManualEngine.series;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.model.Labels;
import dev.quarry.storage.MemoryStorage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A job's pool on manual time with fake scrapers: loops started, stopped and reloaded. */
class ScrapePoolTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final String A = "a:1";
  private static final String B = "b:1";
  private static final String JOB = "scrape_interval: 1s\nscrape_timeout: 500ms\n";

  private final ManualEngine e = new ManualEngine(T0);

  private List<MemoryStorage.Sample> ups(String address) {
    return e.storage.samples(series("up", address));
  }

  /**
   * Stop before start: a target that vanishes and comes back while its loop's scrape is still
   * running gets a new loop only once that scrape has been committed and the old loop stopped, so
   * the new loop never scrapes the target at the same time as the old one.
   */
  @Test
  void aFlappingTargetsNewLoopScrapesOnlyAfterTheOldLoopStopped() throws Exception {
    ScrapePool pool = new ScrapePool(job(JOB), e.env);
    e.run("first sync", () -> pool.sync(groups(A)));
    ManualEngine.FakeScraper page = e.scrapers.of(A);
    page.hold = true;
    e.time.advanceTo(e.time.nextTimer()); // a scrape in flight, held
    assertEquals(1, page.calls);

    Thread flap =
        new Thread(
            () -> {
              pool.sync(groups()); // the target vanishes...
              pool.sync(groups(A)); // ...and comes back
            });
    flap.start();
    e.time.runUntil(
        "the pool waiting for a loop",
        () -> flap.getState() == Thread.State.TIMED_WAITING || !flap.isAlive());
    e.time.advance(3_000); // ticks a second loop would scrape at
    assertEquals(1, page.calls, "no scrape while the old loop's scrape runs");
    page.release();
    e.time.runUntil("the flap synced", () -> !flap.isAlive());
    e.time.advance(3_000);
    assertTrue(page.calls >= 3, "the new loop scrapes: " + page.calls);
    assertEquals(1, page.maxInFlight, "two loops scraped the target at once");
    List<MemoryStorage.Sample> ups = ups(A);
    for (int i = 1; i < ups.size(); i++) {
      assertTrue(ups.get(i).timestampMillis() > ups.get(i - 1).timestampMillis(), ups.toString());
    }
  }

  /**
   * A changed config of the job: every target's new loop reuses the old loop's cache and goes on at
   * the same ticks, without staleness markers or a gap.
   */
  @Test
  void aReloadKeepsScrapingWithoutGapOrStaleness() throws Exception {
    ScrapePool pool = new ScrapePool(job(JOB), e.env);
    e.scrapers.of(A).page = "m 1\n";
    e.run("sync", () -> pool.sync(groups(A)));
    long first = e.time.nextTimer();
    e.time.advanceTo(first + 2_500);
    e.run("reload", () -> pool.reload(job(JOB + "sample_limit: 100\n"), null));
    e.time.advanceTo(first + 5_000);
    List<Long> times = ups(A).stream().map(MemoryStorage.Sample::timestampMillis).toList();
    assertEquals(
        List.of(first, first + 1_000, first + 2_000, first + 3_000, first + 4_000, first + 5_000),
        times);
    assertTrue(ups(A).stream().noneMatch(MemoryStorage.Sample::isStale), "no staleness on reload");
    assertFalse(e.storage.last(series("m", A)).isStale());
    assertEquals(100, e.storage.last(series("scrape_sample_limit", A)).value());
    assertEquals(
        0,
        e.storage.last(series("scrape_series_added", A)).value(),
        "the reloaded loop knows the series from the old loop's cache");
  }

  @Test
  void aVanishedTargetGetsItsMarkersTheOthersScrapeOn() throws Exception {
    ScrapePool pool = new ScrapePool(job(JOB), e.env);
    e.scrapers.of(A).page = "m 1\n";
    e.scrapers.of(B).page = "m 1\n";
    e.run("sync", () -> pool.sync(groups(A, B)));
    e.time.advance(2_000);
    e.run("B vanishes", () -> pool.sync(groups(A)));
    e.time.advance(3_000);
    assertTrue(e.storage.last(series("m", B)).isStale());
    assertTrue(e.storage.last(series("up", B)).isStale());
    assertFalse(e.storage.last(series("m", A)).isStale());
    assertEquals(
        List.of(A), pool.activeTargets().stream().map(t -> t.labels().get("instance")).toList());
  }

  /** As Prometheus 2.42: a pool stopped without staleness (job removed, shutdown) writes none. */
  @Test
  void aPoolStoppedWithoutStalenessWritesNoMarkers() throws Exception {
    ScrapePool pool = new ScrapePool(job(JOB), e.env);
    e.scrapers.of(A).page = "m 1\n";
    e.run("sync", () -> pool.sync(groups(A)));
    e.time.advance(2_000);
    e.run("stop", () -> pool.stop(false));
    e.time.advance(60_000); // long past when end-of-run markers would have been written
    assertTrue(ups(A).stream().noneMatch(MemoryStorage.Sample::isStale));
    assertFalse(e.storage.last(series("m", A)).isStale());
    Labels up = series("up", A);
    assertEquals(1, e.storage.last(up).value());
  }
}
