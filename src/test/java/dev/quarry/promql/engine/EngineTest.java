package dev.quarry.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quarry.model.Labels;
import dev.quarry.model.StaleMarker;
import dev.quarry.promql.PromQL;
import dev.quarry.storage.Appender;
import dev.quarry.storage.file.FileStorage;
import dev.quarry.storage.file.FileStorageSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lookback, staleness, steps and limits of the engine over the file store. Boundaries are
 * Prometheus 2.42's: a lookback or range window includes both its ends.
 */
class EngineTest {
  static final long MIN = 60_000;
  @TempDir Path dir;
  FileStorage fs;
  Engine engine;

  @BeforeEach
  void open() throws Exception {
    fs = FileStorage.open(dir, FileStorageSettings.DEFAULTS);
    engine = new Engine(fs.querier(), Engine.Settings.DEFAULTS);
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

  private List<Sample> at(String q, long t) {
    return ((QueryResult.Vector) engine.instant(q, t)).samples();
  }

  @Test
  void instantTakesTheNewestSampleWithinTheLookbackStampedWithTheQueryTime() {
    List<Sample> r = at("m", 3 * MIN + 30_000);
    assertEquals(
        List.of(
            new Sample(Labels.of("__name__", "m", "s", "a"), 3 * MIN + 30_000, 3),
            new Sample(Labels.of("__name__", "m", "s", "b"), 3 * MIN + 30_000, 103)),
        r);
    assertEquals(List.of(), at("m{s=\"a\"}", -1), "nothing before the first sample");
    // 2.42 keeps a sample exactly 5 minutes old; one millisecond later it is gone.
    assertEquals(1, at("m{s=\"a\"}", 15 * MIN).size());
    assertEquals(0, at("m{s=\"a\"}", 15 * MIN + 1).size());
  }

  @Test
  void aStalenessMarkerEndsTheSeriesAtOnce() {
    assertEquals(1, at("m{s=\"b\"}", 4 * MIN - 1).size());
    assertEquals(0, at("m{s=\"b\"}", 4 * MIN).size(), "stale at the marker, not 5 minutes later");
    assertEquals(0, at("m{s=\"b\"}", 6 * MIN).size());
  }

  @Test
  void rangeSelectorReturnsRawSamplesWithoutMarkersBothEndsIncluded() {
    List<Series> r = ((QueryResult.Matrix) engine.instant("m[2m]", 4 * MIN)).series();
    assertEquals(2, r.size());
    assertEquals(List.of(2 * MIN, 3 * MIN, 4 * MIN), times(r.get(0)));
    assertEquals(List.of(2 * MIN, 3 * MIN), times(r.get(1)), "the marker at 4 min is dropped");
  }

  @Test
  void rangeQueryEvaluatesEveryStepSortedByLabels() {
    List<Series> r = range("m", 2 * MIN, 5 * MIN, MIN);
    assertEquals(List.of(2 * MIN, 3 * MIN, 4 * MIN, 5 * MIN), times(r.get(0)));
    assertEquals(5.0, r.get(0).v(3));
    assertEquals(List.of(2 * MIN, 3 * MIN), times(r.get(1)));
    assertThrows(
        EvalException.class,
        () -> range("m[1m]", 0, 10, 1),
        "a range vector is no range query's result");
  }

  @Test
  void tooManySamplesFailsTheQuery() {
    Engine small =
        new Engine(
            fs.querier(), new Engine.Settings(Duration.ofMinutes(5), 5, Duration.ofMinutes(1), 1));
    assertEquals(2, ((QueryResult.Vector) small.instant("m", 3 * MIN)).samples().size());
    EvalException e =
        assertThrows(
            EvalException.class,
            () -> small.range(PromQL.parse("m"), 0, 10 * MIN, MIN, new AtomicBoolean()));
    assertEquals(EvalException.Kind.EXECUTION, e.kind());
    assertEquals(
        "query processing would load too many samples into memory in query execution",
        e.getMessage());
  }

  @Test
  void aQueryPastItsDeadlineOrCanceledStops() {
    Engine none =
        new Engine(
            fs.querier(), new Engine.Settings(Duration.ofMinutes(5), 1000, Duration.ZERO, 1));
    EvalException e = assertThrows(EvalException.class, () -> none.instant("m", MIN));
    assertEquals(EvalException.Kind.TIMEOUT, e.kind());
    assertEquals("query timed out in expression evaluation", e.getMessage());
    EvalException c =
        assertThrows(
            EvalException.class,
            () -> engine.instant(PromQL.parse("m"), MIN, new AtomicBoolean(true)));
    assertEquals(EvalException.Kind.CANCELED, c.kind());
  }

  private List<Series> range(String q, long start, long end, long step) {
    return engine.range(PromQL.parse(q), start, end, step, new AtomicBoolean()).series();
  }

  private static List<Long> times(Series s) {
    Long[] out = new Long[s.size()];
    for (int i = 0; i < s.size(); i++) {
      out[i] = s.t(i);
    }
    return List.of(out);
  }
}
