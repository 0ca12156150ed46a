package dev.quarry.storage.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.model.Labels;
import dev.quarry.storage.Appender;
import dev.quarry.storage.Matcher;
import dev.quarry.storage.Queryable;
import dev.quarry.storage.SampleIterator;
import dev.quarry.storage.Series;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file store through the read SPI: blocks and head merged lazily, bounds inclusive. */
class QueryableTest {
  @TempDir Path dir;

  private static List<Long> times(Series s) {
    List<Long> out = new ArrayList<>();
    SampleIterator it = s.iterator();
    while (it.next()) {
      out.add(it.timestamp());
    }
    return out;
  }

  @Test
  void seriesSpanBlocksAndHeadOnceEachTimestampWithinInclusiveBounds() throws Exception {
    FileStorageSettings settings =
        FileStorageSettings.DEFAULTS.withBlockRange(Duration.ofSeconds(10));
    try (FileStorage fs = FileStorage.open(dir, settings)) {
      for (long t = 0; t < 30_000; t += 1000) {
        Appender a = fs.appender();
        a.append(0, Labels.of("__name__", "up", "job", "b"), t, t);
        a.append(0, Labels.of("__name__", "up", "job", "a"), t, t);
        if (t < 3000) {
          a.append(0, Labels.of("__name__", "other"), t, 1);
        }
        a.commit();
      }
      assertTrue(fs.cutIfNeeded(1_000_000));
      Queryable q = fs.querier();
      List<Series> sel = q.select(8000, 22_000, List.of(Matcher.eq("__name__", "up")));
      assertEquals(List.of("a", "b"), sel.stream().map(s -> s.labels().get("job")).toList());
      List<Long> want = new ArrayList<>();
      for (long t = 8000; t <= 22_000; t += 1000) {
        want.add(t);
      }
      assertEquals(want, times(sel.get(0)), "across two blocks and the head");
      assertEquals(want, times(sel.get(0)), "a series iterates again from its start");
      assertEquals(
          List.of(),
          q.select(5000, 9000, List.of(Matcher.eq("__name__", "other"))),
          "no series without samples in range");
      assertEquals(List.of("__name__", "job"), q.labelNames(0, 40_000, List.of()));
      assertEquals(List.of("other", "up"), q.labelValues("__name__", 0, 40_000, List.of()));
    }
  }

  @Test
  void streamedSelectionHandsOnTheListedSeriesInOrderFromBlocksOrHeadAlone() throws Exception {
    FileStorageSettings settings =
        FileStorageSettings.DEFAULTS.withBlockRange(Duration.ofSeconds(10));
    try (FileStorage fs = FileStorage.open(dir, settings)) {
      for (long t = 0; t < 30_000; t += 1000) {
        Appender a = fs.appender();
        for (String job : List.of("c", "a", "b")) {
          a.append(0, Labels.of("__name__", "up", "job", job), t, t);
        }
        a.append(0, Labels.of("__name__", "down", "job", "a"), t, t);
        a.commit();
      }
      assertTrue(fs.cutIfNeeded(1_000_000));
      Queryable q = fs.querier();
      List<Matcher> up = List.of(Matcher.eq("__name__", "up"));
      // Across blocks and the head, then from the head alone (no block reaches past 20 s).
      for (long[] range : new long[][] {{8000, 22_000}, {25_000, 40_000}}) {
        List<Series> listed = q.select(range[0], range[1], up);
        List<String> jobs = new ArrayList<>();
        List<List<Long>> streamed = new ArrayList<>();
        q.select(
            range[0],
            range[1],
            up,
            s -> {
              jobs.add(s.labels().get("job"));
              streamed.add(times(s));
            });
        assertEquals(List.of("a", "b", "c"), jobs, "label order from " + range[0]);
        assertEquals(listed.stream().map(QueryableTest::times).toList(), streamed);
      }
      List<String> none = new ArrayList<>();
      q.select(31_000, 40_000, up, s -> none.add(s.labels().toString()));
      assertEquals(List.of(), none, "no series without samples in range");
    }
  }
}
