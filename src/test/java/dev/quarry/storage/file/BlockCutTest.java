package dev.quarry.storage.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.quarry.model.Labels;
import dev.quarry.storage.Appender;
import dev.quarry.storage.Matcher;
import dev.quarry.storage.SampleRejectedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Blocks of 10 s; three series scraped every second for 30 s and one that stops after 6 s. The head
 * spans 1.5 ranges twice, so two blocks are cut, [0, 10 s) and [10 s, 20 s).
 */
class BlockCutTest {
  static final FileStorageSettings SETTINGS =
      FileStorageSettings.DEFAULTS.withBlockRange(Duration.ofSeconds(10));
  static final List<String> JOBS = List.of("api", "db", "web");

  @TempDir Path dir;

  static Labels labels(String job) {
    return Labels.of("__name__", "up", "job", job, "instance", job + ":9100");
  }

  private Map<String, Long> fill(FileStorage fs) {
    Map<String, Long> refs = new HashMap<>();
    for (long t = 0; t < 30_000; t += 1000) {
      Appender a = fs.appender();
      for (String job : JOBS) {
        refs.put(job, a.append(refs.getOrDefault(job, 0L), labels(job), t, t / 1000.0));
      }
      if (t <= 5000) {
        a.append(0, labels("batch"), t, 1);
      }
      a.commit();
    }
    return refs;
  }

  private static void assertAllData(FileStorage fs) {
    List<SeriesData> all = fs.querier().select(List.of(Matcher.eq("__name__", "up")), 0, 40_000);
    assertEquals(
        List.of("api", "batch", "db", "web"),
        all.stream().map(s -> s.labels().get("job")).toList(),
        "sorted by labels");
    for (SeriesData s : all) {
      int n = s.labels().get("job").equals("batch") ? 6 : 30;
      assertEquals(n, s.samples().size(), s.labels().toString());
      for (int i = 0; i < n; i++) {
        assertEquals(i * 1000L, s.samples().get(i).timestampMillis());
      }
    }
  }

  @Test
  void cutWritesBlocksTruncatesWalAndReopens() throws Exception {
    Map<String, Long> refs;
    try (FileStorage fs = FileStorage.open(dir, SETTINGS)) {
      refs = fill(fs);
      assertTrue(fs.cutIfNeeded(1_000_000));
      assertFalse(fs.cutIfNeeded(1_000_000), "nothing more to cut");
      List<BlockMeta> blocks = fs.blocks();
      assertEquals(2, blocks.size());
      assertEquals(List.of(0L, 10_000L), blocks.stream().map(BlockMeta::minTime).toList());
      assertEquals(List.of(10_000L, 20_000L), blocks.stream().map(BlockMeta::maxTime).toList());
      assertEquals(4, blocks.get(0).stats().numSeries(), "the stopped series is in block 1");
      assertEquals(3 * 10 + 6, blocks.get(0).stats().numSamples());
      assertEquals(3, blocks.get(1).stats().numSeries());
      for (BlockMeta m : blocks) {
        Path b = dir.resolve(m.ulid());
        assertTrue(
            Files.exists(b.resolve("meta.json"))
                && Files.exists(b.resolve("index"))
                && Files.exists(b.resolve("chunks")),
            b.toString());
      }
      assertEquals(1, WalSegment.list(fs.walDir()).size(), "segments behind the cut deleted");
      assertTrue(WalSegment.latestCheckpoint(fs.walDir()) != null);
      assertAllData(fs);
      Appender a = fs.appender();
      SampleRejectedException e =
          assertThrows(SampleRejectedException.class, () -> a.append(0, labels("api"), 15_000, 1));
      assertEquals(SampleRejectedException.Reason.OUT_OF_BOUNDS, e.reason());
      a.rollback();
    }
    try (FileStorage fs = FileStorage.open(dir, SETTINGS)) {
      assertEquals(2, fs.blocks().size());
      assertAllData(fs);
      Appender a = fs.appender();
      for (String job : JOBS) {
        assertEquals(refs.get(job), a.append(0, labels(job), 30_000, 30), "ref of " + job);
      }
      a.commit();
    }
  }

  static Stream<Arguments> selectors() {
    return Stream.of(
        arguments(named("job=\"db\"", List.of(Matcher.eq("job", "db"))), List.of("db")),
        arguments(
            named("job!=\"db\"", List.of(Matcher.neq("job", "db"))),
            List.of("api", "batch", "web")),
        arguments(
            named("job=~\"a.*|w.*\"", List.of(Matcher.re("job", "a.*|w.*"))),
            List.of("api", "web")),
        arguments(
            named("regex is anchored: job=~\"pi\"", List.of(Matcher.re("job", "pi"))), List.of()),
        arguments(
            named(
                "job!~\"a.*\",instance=~\".*:9100\"",
                List.of(Matcher.nre("job", "a.*"), Matcher.re("instance", ".*:9100"))),
            List.of("batch", "db", "web")),
        arguments(
            named(
                "missing label equals empty: env=\"\"",
                List.of(Matcher.eq("__name__", "up"), Matcher.eq("env", ""))),
            List.of("api", "batch", "db", "web")),
        arguments(
            named("env=~\".+\" matches nothing", List.of(Matcher.re("env", ".+"))), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("selectors")
  void selectMatchesAcrossBlocksAndHead(List<Matcher> matchers, List<String> jobs)
      throws Exception {
    try (FileStorage fs = FileStorage.open(dir, SETTINGS)) {
      fill(fs);
      fs.cutIfNeeded(0);
      assertEquals(
          jobs,
          fs.querier().select(matchers, 0, 40_000).stream()
              .map(s -> s.labels().get("job"))
              .toList());
      assertEquals(jobs, fs.querier().labelValues("job", matchers, 0, 40_000));
      assertEquals(
          jobs.stream().filter(j -> !j.equals("batch")).toList(),
          fs.querier().labelValues("job", matchers, 25_000, 40_000),
          "only series with data");
    }
  }

  @Test
  void labelNamesAndTimeRange() throws Exception {
    try (FileStorage fs = FileStorage.open(dir, SETTINGS)) {
      fill(fs);
      fs.cutIfNeeded(0);
      assertEquals(List.of("__name__", "instance", "job"), fs.querier().labelNames());
      List<SeriesData> s = fs.querier().select(List.of(Matcher.eq("job", "api")), 9_000, 11_000);
      assertEquals(
          List.of(9_000L, 10_000L, 11_000L),
          s.get(0).samples().stream().map(Sample::timestampMillis).toList(),
          "bounds inclusive");
    }
  }
}
