package dev.quarry.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quarry.model.Labels;
import dev.quarry.model.StaleMarker;
import dev.quarry.storage.Appender;
import dev.quarry.storage.file.FileStorage;
import dev.quarry.storage.file.FileStorageSettings;
import dev.quarry.storage.file.Sample;
import dev.quarry.storage.file.SeriesData;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lookback, staleness and steps of the query engine over the file store. */
class QueryEngineTest {
  static final long MIN = 60_000;
  @TempDir Path dir;
  FileStorage fs;
  QueryEngine engine;

  @BeforeEach
  void open() throws Exception {
    fs = FileStorage.open(dir, FileStorageSettings.DEFAULTS);
    engine = new QueryEngine(fs.querier()::select, 5 * MIN);
    // a: samples every minute from 0 to 10 min; b: from 0 to 3 min, then a staleness marker.
    for (long t = 0; t <= 10 * MIN; t += MIN) {
      Appender app = fs.appender();
      app.append(0, Labels.of("__name__", "m", "s", "a"), t, t / MIN);
      if (t <= 3 * MIN) {
        app.append(0, Labels.of("__name__", "m", "s", "b"), t, 100 + t / MIN);
      } else if (t == 4 * MIN) {
        app.append(0, Labels.of("__name__", "m", "s", "b"), t, StaleMarker.STALE_NAN);
      }
      app.commit();
    }
  }

  @AfterEach
  void close() throws Exception {
    fs.close();
  }

  private List<QueryEngine.Point> at(String q, long t) {
    return engine.instant(SelectorParser.parse(q), t);
  }

  @Test
  void instantTakesTheNewestSampleWithinTheLookbackStampedWithTheQueryTime() {
    List<QueryEngine.Point> r = at("m", 3 * MIN + 30_000);
    assertEquals(2, r.size());
    assertEquals(new QueryEngine.Point(Labels.of("__name__", "m", "s", "a"), 3 * MIN + 30_000, 3), r.get(0));
    assertEquals(103, r.get(1).value());
    assertEquals(List.of(), at("m{s=\"a\"}", -1), "nothing before the first sample");
    // 5 minutes after a's last sample it is gone, one millisecond before it is still there.
    assertEquals(1, at("m{s=\"a\"}", 15 * MIN - 1).size());
    assertEquals(0, at("m{s=\"a\"}", 15 * MIN).size());
  }

  @Test
  void aStalenessMarkerEndsTheSeriesAtOnce() {
    assertEquals(1, at("m{s=\"b\"}", 4 * MIN - 1).size());
    assertEquals(0, at("m{s=\"b\"}", 4 * MIN).size(), "stale at the marker, not 5 minutes later");
    assertEquals(0, at("m{s=\"b\"}", 6 * MIN).size());
  }

  @Test
  void rangeSelectorReturnsRawSamplesWithoutMarkers() {
    List<SeriesData> r = engine.rangeAt(SelectorParser.parse("m[2m]"), 4 * MIN);
    assertEquals(2, r.size());
    assertEquals(List.of(new Sample(3 * MIN, 3), new Sample(4 * MIN, 4)), r.get(0).samples());
    assertEquals(List.of(new Sample(3 * MIN, 103)), r.get(1).samples(), "(t-2m, t]: 2 min excluded");
  }

  @Test
  void rangeQueryEvaluatesEveryStep() {
    List<SeriesData> r = engine.range(SelectorParser.parse("m"), 2 * MIN, 5 * MIN, MIN);
    assertEquals(
        List.of(new Sample(2 * MIN, 2), new Sample(3 * MIN, 3), new Sample(4 * MIN, 4), new Sample(5 * MIN, 5)),
        r.get(0).samples());
    assertEquals(List.of(new Sample(2 * MIN, 102), new Sample(3 * MIN, 103)), r.get(1).samples());
    assertThrows(QueryException.class, () -> engine.range(SelectorParser.parse("m"), 0, 100_000_000, 1));
    assertThrows(QueryException.class, () -> engine.range(SelectorParser.parse("m"), 10, 0, 1));
    assertThrows(QueryException.class, () -> engine.range(SelectorParser.parse("m"), 0, 10, 0));
  }
}
