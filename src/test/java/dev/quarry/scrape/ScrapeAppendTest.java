package dev.quarry.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.model.Labels;
import dev.quarry.relabel.RelabelAction;
import dev.quarry.relabel.RelabelConfig;
import dev.quarry.relabel.Relabeler;
import dev.quarry.storage.Appender;
import dev.quarry.storage.MemoryStorage;
import dev.quarry.textparse.PromTextParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One scrape's append: sample rules, cache, staleness, limits. */
class ScrapeAppendTest {
  private static final Labels TARGET = Labels.of("job", "j", "instance", "i:1");

  private final MemoryStorage storage = new MemoryStorage();
  // One engine's tables: the appends of a test share interned texts, label sets and metadata.
  private final ScrapeTables tables = ScrapeTables.defaults();
  private final PromTextParser parser = new PromTextParser();

  private ScrapeAppend newAppend(
      boolean honorLabels, Relabeler relabel, long sampleLimit, long labelLimit) {
    return newAppend(honorLabels, relabel, sampleLimit, labelLimit, true, false);
  }

  private ScrapeAppend newAppend(
      boolean honorLabels,
      Relabeler relabel,
      long sampleLimit,
      long labelLimit,
      boolean honorTimestamps,
      boolean trackTimestampsStaleness) {
    return new ScrapeAppend(
        tables,
        new ScrapeCache(tables.seriesTexts),
        new SampleLabels(tables, TARGET, honorLabels, relabel, labelLimit, 0, 0),
        honorTimestamps,
        trackTimestampsStaleness,
        sampleLimit);
  }

  @Test
  void honorTimestampsFalseUsesTheScrapeTime() throws Exception {
    ScrapeAppend a = newAppend(false, null, 0, 0, false, false);
    scrape(a, "a 1 500\n", 1000);
    assertEquals(1000, storage.last(series("a")).timestampMillis());
    scrape(a, "", 2000);
    assertTrue(storage.last(series("a")).isStale(), "ignored timestamps make the series tracked");
  }

  @Test
  void trackTimestampsStalenessMarksSeriesWithExplicitTimestamps() throws Exception {
    ScrapeAppend a = newAppend(false, null, 0, 0, true, true);
    scrape(a, "a 1 500\n", 1000);
    assertEquals(500, storage.last(series("a")).timestampMillis());
    scrape(a, "", 2000);
    assertTrue(storage.last(series("a")).isStale());
    assertEquals(2000, storage.last(series("a")).timestampMillis());
  }

  private ScrapeAppend.Result scrape(ScrapeAppend a, String page, long t) throws Exception {
    Appender app = storage.appender();
    PromTextParser p = null;
    if (page != null) {
      byte[] b = page.getBytes(StandardCharsets.UTF_8);
      parser.reset(b, 0, b.length);
      p = parser;
    }
    ScrapeAppend.Result r = a.append(p, app, t);
    app.commit();
    a.cache().iterDone(page != null && !page.isEmpty());
    return r;
  }

  static Labels series(String name, String... kv) {
    Labels.Builder b = TARGET.toBuilder().set("__name__", name);
    for (int i = 0; i < kv.length; i += 2) {
      b.set(kv[i], kv[i + 1]);
    }
    return b.build();
  }

  @Test
  void seriesGoneFromThePageGetsAStalenessMarkerAtTheNextScrape() throws Exception {
    ScrapeAppend a = newAppend(false, null, 0, 0);
    scrape(a, "a 1\nb 2\n", 1000);
    scrape(a, "a 3\n", 2000);
    assertTrue(storage.last(series("b")).isStale());
    assertEquals(2000, storage.last(series("b")).timestampMillis());
    assertEquals(3, storage.last(series("a")).value());
  }

  @Test
  void failedScrapeMarksEveryPreviousSeriesStaleOnce() throws Exception {
    ScrapeAppend a = newAppend(false, null, 0, 0);
    scrape(a, "a 1\nb 2\n", 1000);
    scrape(a, null, 2000);
    scrape(a, null, 3000);
    assertEquals(2, storage.samples(series("a")).size(), "one marker, not one per failed scrape");
    assertTrue(storage.last(series("a")).isStale());
    assertTrue(storage.last(series("b")).isStale());
  }

  @Test
  void explicitTimestampsAreNotMarkedStale() throws Exception {
    ScrapeAppend a = newAppend(false, null, 0, 0);
    scrape(a, "a 1 500\nb 2\n", 1000);
    scrape(a, "", 2000);
    assertEquals(1, storage.samples(series("a")).size());
    assertTrue(storage.last(series("b")).isStale());
  }

  @Test
  void steadyStateScrapeReusesCachedLabelsAndCountsNoNewSeries() throws Exception {
    ScrapeAppend a = newAppend(false, null, 0, 0);
    ScrapeAppend.Result first = scrape(a, "a{x=\"1\"} 1\nb 2\n", 1000);
    ScrapeAppend.Result second = scrape(a, "a{x=\"1\"} 5\nb 6\n", 2000);
    assertEquals(2, first.seriesAdded());
    assertEquals(0, second.seriesAdded());
    assertEquals(2, second.total());
    assertEquals(2, a.cache().size());
  }

  @Test
  void seriesLeavingThePageLeaveTheCacheAndComeBackAsNew() throws Exception {
    ScrapeAppend a = newAppend(false, null, 0, 0);
    scrape(a, "a 1\nb 2\nc 3\n", 1000);
    scrape(a, "a 1\n", 2000);
    assertEquals(1, a.cache().size());
    scrape(a, "a 1\n", 3000); // every entry seen: nothing to remove
    assertEquals(1, a.cache().size());
    ScrapeAppend.Result back = scrape(a, "a 1\nc 3\n", 4000);
    assertEquals(1, back.seriesAdded());
    assertEquals(2, a.cache().size());
  }

  @Test
  void pagesThatReorderInsertAndRepeatSeriesStoreEverySampleUnderItsOwnSeries() throws Exception {
    ScrapeAppend a = newAppend(false, null, 0, 0);
    String[] pages = {
      "a 1\nb{x=\"1\"} 2\nc 3\n",
      "a 1\nb{x=\"1\"} 2\nc 3\n", // steady: every line as expected
      "c 13\na 11\nb{x=\"1\"} 12\n", // reordered
      "a 21\nab 24\nb{x=\"1\"} 22\nb{x=\"2\"} 25\nc 23\n", // inserted, one a prefix of the next
      "a 31\nb{x=\"1\"} 32\nc 33\n", // removed again
      "a 41\nb{x=\"1\"} 42\nc 43\n",
    };
    long t = 1000;
    for (String page : pages) {
      scrape(a, page, t);
      for (String line : page.split("\n")) {
        String[] parts = line.split(" ");
        Labels want =
            parts[0].startsWith("b{")
                ? series("b", "x", parts[0].substring(5, 6))
                : series(parts[0]);
        assertEquals(Double.parseDouble(parts[1]), storage.last(want).value(), page + ": " + line);
        assertEquals(t, storage.last(want).timestampMillis());
      }
      t += 1000;
    }
    assertTrue(storage.last(series("ab")).isStale());
    assertEquals(5000, storage.last(series("ab")).timestampMillis());
    assertEquals(3, a.cache().size());
  }

  @Test
  void aLargeCacheGrowsShrinksAndStillFindsEverySeries() throws Exception {
    ScrapeAppend a = newAppend(false, null, 0, 0);
    StringBuilder all = new StringBuilder();
    StringBuilder odd = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      all.append("m{i=\"").append(i).append("\"} 1\n");
      if (i % 2 == 1) {
        odd.append("m{i=\"").append(i).append("\"} 1\n");
      }
    }
    assertEquals(3000, scrape(a, all.toString(), 1000).seriesAdded());
    assertEquals(3000, a.cache().size());
    // Reversed: no line as expected, every one found by its hash.
    List<String> lines = new java.util.ArrayList<>(List.of(all.toString().split("\n")));
    java.util.Collections.reverse(lines);
    assertEquals(0, scrape(a, String.join("\n", lines) + "\n", 2000).seriesAdded());
    assertEquals(0, scrape(a, odd.toString(), 3000).seriesAdded());
    assertEquals(1500, a.cache().size());
    assertEquals(1500, scrape(a, all.toString(), 4000).seriesAdded());
    assertEquals(3000, a.cache().size());
  }

  @Test
  void metadataOfManyFamiliesFollowsThePageAndIsForgottenElevenScrapesAfter() throws Exception {
    ScrapeAppend a = newAppend(false, null, 0, 0);
    scrape(a, families(0, 600, "v1"), 1000);
    for (int i = 0; i < 600; i += 37) {
      assertEquals(
          new dev.quarry.storage.Metadata("counter", "help of f" + i + " v1", ""),
          a.cache().metadata("f" + i));
    }
    // The second half stops being exposed; the first half changes its help text.
    for (int s = 0; s < 11; s++) {
      scrape(a, families(0, 300, "v2"), 2000 + s * 1000);
    }
    assertEquals("help of f299 v2", a.cache().metadata("f299").help());
    assertEquals("help of f0 v2", a.cache().metadata("f0").help());
    assertEquals("counter", a.cache().metadata("f299").type());
    for (int i = 300; i < 600; i += 17) {
      assertNull(a.cache().metadata("f" + i), "f" + i);
    }
    // Back again: found as new families, with their current help.
    scrape(a, families(0, 600, "v3"), 20_000);
    for (int i = 0; i < 600; i += 29) {
      assertEquals("help of f" + i + " v3", a.cache().metadata("f" + i).help());
    }
  }

  private static String families(int from, int to, String version) {
    StringBuilder b = new StringBuilder();
    for (int i = from; i < to; i++) {
      b.append("# HELP f")
          .append(i)
          .append(" help of f")
          .append(i)
          .append(' ')
          .append(version)
          .append("\n# TYPE f")
          .append(i)
          .append(" counter\nf")
          .append(i)
          .append(" 1\n");
    }
    return b.toString();
  }

  static Stream<Arguments> honorLabelCases() {
    return Stream.of(
        Arguments.of(
            Named.of("honor_labels false renames a clashing job", false),
            "m{job=\"exposed\"} 1\n",
            series("m", "exported_job", "exposed")),
        Arguments.of(
            Named.of("honor_labels false adds the prefix until the name is free", false),
            "m{job=\"a\",exported_job=\"b\"} 1\n",
            series("m", "exported_exported_job", "a", "exported_job", "b")),
        Arguments.of(
            Named.of("honor_labels true keeps the exposed value", true),
            "m{job=\"exposed\"} 1\n",
            TARGET.toBuilder().set("__name__", "m").set("job", "exposed").build()),
        Arguments.of(
            Named.of("empty exposed value does not clash", false), "m{job=\"\"} 1\n", series("m")));
  }

  @ParameterizedTest
  @MethodSource("honorLabelCases")
  void targetLabelsFollowHonorLabels(boolean honor, String page, Labels expected) throws Exception {
    ScrapeAppend a = newAppend(honor, null, 0, 0);
    scrape(a, page, 1000);
    assertEquals(List.of(expected), storage.series(l -> true));
  }

  @Test
  void metricRelabelDropsRenamesAndLabeldrops() throws Exception {
    Relabeler r =
        Relabeler.compile(
            List.of(
                RelabelConfig.of(
                    List.of("__name__"), null, "drop_me", null, null, null, RelabelAction.DROP),
                RelabelConfig.of(
                    List.of("__name__"), null, "old_(.*)", null, "__name__", "new_$1", null),
                RelabelConfig.of(null, null, "tmp", null, null, null, RelabelAction.LABELDROP)));
    ScrapeAppend a = newAppend(false, r, 0, 0);
    ScrapeAppend.Result res = scrape(a, "drop_me 1\nold_x{tmp=\"1\"} 2\nkeep 3\n", 1000);
    assertEquals(3, res.total());
    assertEquals(2, res.added());
    assertNull(storage.last(series("drop_me")));
    assertEquals(2, storage.last(series("new_x")).value());
    assertEquals(3, storage.last(series("keep")).value());
    // The dropped series stays dropped from the cache on the next scrape.
    ScrapeAppend.Result again = scrape(a, "drop_me 1\nold_x{tmp=\"1\"} 2\nkeep 3\n", 2000);
    assertEquals(2, again.added());
  }

  @Test
  void sampleLimitFailsTheWholeScrape() {
    ScrapeAppend a = newAppend(false, null, 2, 0);
    ScrapeAppend.AppendFailed e =
        assertThrows(
            ScrapeAppend.AppendFailed.class,
            () -> a.append(reset("a 1\nb 2\nc 3\n"), storage.appender(), 1000));
    assertEquals("sample limit exceeded", e.getMessage());
    assertEquals(3, e.total);
  }

  @Test
  void targetsExposingTheSameSeriesKeepTheirOwnTargetLabels() throws Exception {
    String page = "m{a=\"1\",z=\"2\"} 1\nm{a=\"1\",instance=\"exposed\"} 2\n";
    ScrapeAppend first = newAppend(false, null, 0, 0);
    ScrapeAppend second =
        new ScrapeAppend(
            tables,
            new ScrapeCache(tables.seriesTexts),
            new SampleLabels(tables, Labels.of("job", "j", "instance", "i:2"), true, null, 0, 0, 0),
            true,
            false,
            0);
    scrape(first, page, 1000);
    scrape(second, page, 1000);
    Labels plain = Labels.of("__name__", "m", "a", "1", "z", "2", "job", "j", "instance", "i:1");
    assertEquals(1, storage.last(plain).value());
    assertEquals(
        List.of(plain.toString()),
        storage.series(l -> l.equals(plain)).stream().map(Labels::toString).toList());
    assertEquals(
        1,
        storage
            .last(Labels.of("__name__", "m", "a", "1", "z", "2", "job", "j", "instance", "i:2"))
            .value());
    // The exposed instance label: renamed on the first target, kept by honor_labels on the second.
    assertEquals(2, storage.last(series("m", "a", "1", "exported_instance", "exposed")).value());
    assertEquals(
        2,
        storage
            .last(Labels.of("__name__", "m", "a", "1", "job", "j", "instance", "exposed"))
            .value());
  }

  @Test
  void labelLimitNamesMetricAndCount() {
    ScrapeAppend a = newAppend(false, null, 0, 3);
    ScrapeAppend.AppendFailed e =
        assertThrows(
            ScrapeAppend.AppendFailed.class,
            () -> a.append(reset("m{a=\"1\",b=\"2\"} 1\n"), storage.appender(), 1000));
    assertEquals("label_limit exceeded (metric: m, number of labels: 5, limit: 3)", e.getMessage());
  }

  @Test
  void samplesTenMinutesAheadAreRefusedWithoutFailing() throws Exception {
    ScrapeAppend a = newAppend(false, null, 0, 0);
    ScrapeAppend.Result r = scrape(a, "a 1 " + (1000 + 11 * 60 * 1000) + "\nb 2\n", 1000);
    assertEquals(1, r.rejected().values().stream().mapToInt(Integer::intValue).sum());
    assertNull(storage.last(series("a")));
    assertEquals(2, storage.last(series("b")).value());
  }

  @Test
  void parseErrorFailsWithLineAndByte() {
    ScrapeAppend a = newAppend(false, null, 0, 0);
    ScrapeAppend.AppendFailed e =
        assertThrows(
            ScrapeAppend.AppendFailed.class,
            () -> a.append(reset("a 1\nb{ 2\n"), storage.appender(), 1000));
    assertTrue(e.getMessage().startsWith("line 2 (byte "), e.getMessage());
  }

  /**
   * As Prometheus 2.42's append loop: a sample refused on append (a label twice) counts in {@code
   * scrape_samples_scraped}, a line that does not parse does not; the samples before count both.
   */
  @Test
  void samplesScrapedOfAFailedAppendCountUpToTheFailingSample() {
    ScrapeAppend a = newAppend(false, null, 0, 0);
    ScrapeAppend.AppendFailed dup =
        assertThrows(
            ScrapeAppend.AppendFailed.class,
            () -> a.append(reset("a 1\nb{x=\"1\",x=\"2\"} 2\nc 3\n"), storage.appender(), 1000));
    assertEquals(2, dup.total, dup.getMessage());
    assertEquals(1, dup.added);
    ScrapeAppend.AppendFailed broken =
        assertThrows(
            ScrapeAppend.AppendFailed.class,
            () -> a.append(reset("a 1\nb 2\nc{ 3\nd 4\n"), storage.appender(), 2000));
    assertEquals(2, broken.total, broken.getMessage());
    ScrapeAppend.AppendFailed dupThenBadValue =
        assertThrows(
            ScrapeAppend.AppendFailed.class,
            () -> a.append(reset("a 1\nb{x=\"1\",x=\"2\"} z\n"), storage.appender(), 3000));
    assertEquals(1, dupThenBadValue.total, dupThenBadValue.getMessage());
  }

  private PromTextParser reset(String page) {
    byte[] b = page.getBytes(StandardCharsets.UTF_8);
    parser.reset(b, 0, b.length);
    return parser;
  }
}
