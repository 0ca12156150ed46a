package dev.quarry.scrape;

import static dev.quarry.scrape.ManualEngine.job;
import static dev.quarry.scrape.ManualEngine.series;
import static dev.quarry.scrape.ManualEngine.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.config.ScrapeConfig;
import dev.quarry.model.Labels;
import dev.quarry.storage.MemoryStorage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One scrape loop on manual time: when it scrapes, how it stamps, skips and ends. */
class ScrapeLoopTest {
  private static final long T0 = 1_700_000_000_123L;
  private static final String ADDRESS = "h:1";

  private final ManualEngine e = new ManualEngine(T0, 0x5eed);

  private ScrapeLoop start(ScrapeConfig cfg) {
    ScrapeLoop loop = e.loop(cfg, target(cfg, ADDRESS));
    loop.start();
    e.time.advance(0);
    return loop;
  }

  private List<Long> upTimes() {
    return e.storage.samples(series("up", ADDRESS)).stream()
        .filter(s -> !s.isStale())
        .map(MemoryStorage.Sample::timestampMillis)
        .toList();
  }

  @ParameterizedTest(name = "now {0}, interval {1}, spread {2}: first tick {3}")
  @CsvSource({
    "10500, 1000, 200, 11200",
    "10500, 1000, 700, 10700",
    "10500, 1000, 500, 10500",
    "10000, 1000, 0, 10000",
    "10500, 1000, 1200, 11200",
    "10500, 1000, -1, 10615", // the spread is unsigned: 2^64-1 mod 1000 = 615
  })
  void firstTickIsTheSpreadPastAWholeInterval(long now, long interval, long spread, long first) {
    assertEquals(first, ScrapeLoop.firstTick(now, interval, spread));
  }

  @Test
  void startsAtThePhaseOfTheTargetHashWhenever() {
    ScrapeConfig cfg = job("scrape_interval: 10s");
    Target t = target(cfg, ADDRESS);
    long phase = Long.remainderUnsigned(t.hash() ^ 0x5eed, 10_000);
    start(cfg);
    long first = e.time.nextTimer();
    assertEquals(phase, Math.floorMod(first, 10_000L), "phase from (hash ^ seed) mod interval");
    assertTrue(first >= T0 && first < T0 + 10_000, "first scrape within one interval");
    e.time.advanceTo(first - 1);
    assertEquals(0, e.scrapers.of(ADDRESS).calls, "nothing before the phase");
    e.time.advanceTo(first + 25_000);
    assertEquals(List.of(first, first + 10_000, first + 20_000), upTimes());

    // A loop of the same target started at another time keeps the phase; another seed moves it.
    ManualEngine later = new ManualEngine(T0 + 123_457, 0x5eed);
    later.loop(cfg, t).start();
    later.time.advance(0);
    assertEquals(phase, Math.floorMod(later.time.nextTimer(), 10_000L));
    ManualEngine other = new ManualEngine(T0, 0x5eed + 1);
    other.loop(cfg, t).start();
    other.time.advance(0);
    assertEquals(
        Long.remainderUnsigned(t.hash() ^ (0x5eed + 1), 10_000),
        Math.floorMod(other.time.nextTimer(), 10_000L));
  }

  /**
   * The timer fires {@code late} ms after the tick; within 2 ms the timestamp is the tick's, but
   * only when 2 ms is at most 1 % of the interval (Prometheus' tolerance).
   */
  @ParameterizedTest(name = "interval {0}, timer {1} ms late: stamped {2} ms after the tick")
  @CsvSource({
    "1s, 0, 0",
    "1s, 1, 0",
    "1s, 2, 0",
    "1s, 3, 3",
    "10s, 2, 0",
    "10s, 5, 5",
    "250ms, 2, 0",
    "200ms, 1, 1", // 2 ms would be over 1 % of the interval: never snapped
    "100ms, 1, 1",
  })
  void timestampsSnapToTheTickWithinTwoMillis(String interval, long late, long offsetFromTick) {
    ScrapeConfig cfg = job("scrape_interval: " + interval + "\nscrape_timeout: 50ms");
    long ms = cfg.scrapeInterval().toMillis();
    start(cfg);
    long first = e.time.nextTimer();
    e.time.late = late; // the first tick, set at start, fires on time: the alignment's base
    e.time.advanceTo(first + 3 * ms + late);
    assertEquals(
        List.of(
            first,
            first + ms + offsetFromTick,
            first + 2 * ms + offsetFromTick,
            first + 3 * ms + offsetFromTick),
        upTimes());
  }

  @Test
  void aScrapeRunningLongSkipsTheTicksItMissedInsteadOfQueueingThem() {
    ScrapeConfig cfg = job("scrape_interval: 1s\nscrape_timeout: 500ms");
    start(cfg);
    long first = e.time.nextTimer();
    ManualEngine.FakeScraper page = e.scrapers.of(ADDRESS);
    page.hold = true;
    e.time.advanceTo(first + 2_500); // the first scrape takes 2.5 s
    assertEquals(1, page.calls);
    assertEquals(-1, e.time.nextTimer(), "no tick is scheduled while the scrape runs");
    page.release();
    e.time.advance(0);
    assertEquals(first + 3_000, e.time.nextTimer(), "the ticks at +1 s and +2 s are skipped");
    assertEquals(2.0, e.env.metrics().skippedTicks.count());
    e.time.advanceTo(first + 4_000);
    assertEquals(List.of(first, first + 3_000, first + 4_000), upTimes());
    assertEquals(1, page.maxInFlight, "one scrape of the target at a time");
  }

  @Test
  void aVanishedTargetsSeriesGoStaleTwoTicksAndATenthAfterItsLastScrape() {
    ScrapeConfig cfg = job("scrape_interval: 1s\nscrape_timeout: 500ms");
    e.scrapers.of(ADDRESS).page = "a 1\n";
    ScrapeLoop loop = start(cfg);
    long first = e.time.nextTimer();
    e.time.advanceTo(first + 1_500); // scrapes at first and first + 1 s
    loop.stop(true);
    e.time.advance(0);
    Labels a = series("a", ADDRESS);
    Labels up = series("up", ADDRESS);
    e.time.advanceTo(first + 3_099);
    assertFalse(e.storage.last(a).isStale(), "not before two missed ticks plus 10 %");
    e.time.advanceTo(first + 3_100);
    assertTrue(e.storage.last(a).isStale());
    assertTrue(e.storage.last(up).isStale(), "report series too");
    assertEquals(
        first + 2_000, e.storage.last(a).timestampMillis(), "stamped the first missed tick");
    assertEquals(first + 2_000, e.storage.last(up).timestampMillis());
    e.time.advance(60_000);
    assertEquals(2, upTimes().size(), "no scrape after stop");
  }

  @Test
  void stopsForReloadOrShutdownWriteNoStalenessMarkers() {
    ScrapeConfig cfg = job("scrape_interval: 1s\nscrape_timeout: 500ms");
    e.scrapers.of(ADDRESS).page = "a 1\n";
    ScrapeLoop loop = start(cfg);
    e.time.advanceTo(e.time.nextTimer());
    loop.stop(false);
    e.time.advance(10_000);
    assertFalse(e.storage.last(series("a", ADDRESS)).isStale());

    // At shutdown the storage closes: markers still pending when closing is set are dropped.
    ManualEngine other = new ManualEngine(T0);
    other.scrapers.of(ADDRESS).page = "a 1\n";
    ScrapeLoop l2 = other.loop(cfg, target(cfg, ADDRESS));
    l2.start();
    other.time.advance(0);
    other.time.advanceTo(other.time.nextTimer());
    l2.stop(true);
    other.closing.set(true);
    other.time.advance(10_000);
    assertFalse(other.storage.last(series("a", ADDRESS)).isStale());
  }

  @Test
  void aLoopStoppedBeforeItsFirstScrapeWritesNothing() {
    ScrapeConfig cfg = job("scrape_interval: 1s\nscrape_timeout: 500ms");
    ScrapeLoop loop = start(cfg);
    loop.stop(true);
    e.time.advance(10_000);
    assertNull(e.storage.last(series("up", ADDRESS)));
    assertEquals(0, e.scrapers.of(ADDRESS).calls);
  }

  /** Failures are told apart by type, not by their message, for the engine's counters. */
  @Test
  void sampleAndBodySizeLimitFailuresAreCountedByTheirType() {
    ScrapeConfig cfg = job("scrape_interval: 1s\nscrape_timeout: 500ms\nsample_limit: 1");
    ManualEngine.FakeScraper page = e.scrapers.of(ADDRESS);
    page.page = "a 1\nb 2\n";
    start(cfg);
    long first = e.time.nextTimer();
    e.time.advanceTo(first);
    assertEquals(0, e.storage.last(series("up", ADDRESS)).value());
    assertEquals(1.0, e.env.metrics().sampleLimit.count());
    assertEquals(0.0, e.env.metrics().bodySizeLimit.count());
    assertNull(e.storage.last(series("a", ADDRESS)), "the whole scrape rolled back");

    page.error = ScrapeException.bodySizeLimit();
    e.time.advanceTo(first + 1_000);
    assertEquals(1.0, e.env.metrics().bodySizeLimit.count());
    assertEquals(-1, e.storage.last(series("scrape_body_size_bytes", ADDRESS)).value());
    page.error = new ScrapeException(ScrapeException.BODY_SIZE_LIMIT + ", said the server");
    e.time.advanceTo(first + 2_000);
    assertEquals(1.0, e.env.metrics().bodySizeLimit.count(), "a message alone is no body limit");
    assertEquals(0, e.storage.last(series("scrape_body_size_bytes", ADDRESS)).value());
    assertEquals(3.0, e.env.metrics().failed.count());
  }
}
