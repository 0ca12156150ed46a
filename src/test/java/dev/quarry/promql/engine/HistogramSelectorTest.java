package dev.quarry.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Labels;
import dev.quarry.storage.Appender;
import dev.quarry.storage.Matcher;
import dev.quarry.storage.MemoryStorage;
import dev.quarry.storage.Queryable;
import dev.quarry.storage.SampleIterator;
import dev.quarry.storage.Series;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Selectors over native histograms: the lookback as for floats, and range vectors and steps that
 * keep their own copies although the store's iterator reuses one histogram holder (as the file
 * store's does).
 */
class HistogramSelectorTest {
  static final long MIN = 60_000;
  static final Labels H = Labels.of("__name__", "h");
  MemoryStorage mem;
  Engine engine;

  /** h: a histogram with count k at k minutes, k = 0..4; nothing after. */
  @BeforeEach
  void load() {
    mem = MemoryStorage.withNativeHistograms();
    for (int k = 0; k <= 4; k++) {
      FloatHistogram fh = new FloatHistogram().set(0, 0, 0, k, 2 * k);
      fh.positiveSpans().add(0, 1);
      fh.addPositiveCount(k);
      Appender a = mem.appender();
      a.appendHistogram(0, H, k * MIN, null, fh);
      a.commit();
    }
    engine = new Engine(new ReusingHolder(mem), Engine.Settings.DEFAULTS);
  }

  @Test
  void rangeVectorPointsKeepTheirOwnHistograms() {
    QueryResult.Matrix m = (QueryResult.Matrix) engine.instant("h[10m]", 4 * MIN);
    dev.quarry.promql.engine.Series s = m.series().get(0);
    assertEquals(5, s.size());
    for (int k = 0; k <= 4; k++) {
      assertEquals(k, s.h(k).count(), "point " + k);
    }
  }

  @Test
  void rangeQueryStepsKeepTheirOwnHistogramsAndLookbackEndsAfterFiveMinutes() {
    QueryResult.Matrix m =
        engine.range(
            dev.quarry.promql.PromQL.parse("h"),
            0,
            10 * MIN,
            MIN,
            new java.util.concurrent.atomic.AtomicBoolean());
    dev.quarry.promql.engine.Series s = m.series().get(0);
    // steps 0..4 see their own sample, 5..9 the last one (4 min) within 5 min, 10 nothing
    assertEquals(10, s.size());
    for (int i = 0; i < 10; i++) {
      assertEquals(Math.min(i, 4), s.h(i).count(), "step " + i);
    }
    assertEquals(9 * MIN, s.t(9));
  }

  @Test
  void floatFunctionsSeeAHistogramAsZero() {
    List<Sample> v = ((QueryResult.Vector) engine.instant("abs(h)", 4 * MIN)).samples();
    assertEquals(0, v.get(0).v());
    assertNull(v.get(0).h());
  }

  /** A store whose iterators hand out one holder, overwritten on every next(). */
  private record ReusingHolder(Queryable in) implements Queryable {
    @Override
    public List<Series> select(long mint, long maxt, List<Matcher> matchers) {
      return in.select(mint, maxt, matchers).stream().map(ReusingHolder::wrap).toList();
    }

    private static Series wrap(Series s) {
      return new Series() {
        @Override
        public Labels labels() {
          return s.labels();
        }

        @Override
        public SampleIterator iterator() {
          SampleIterator it = s.iterator();
          FloatHistogram holder = new FloatHistogram();
          return new SampleIterator() {
            @Override
            public boolean next() {
              if (!it.next()) {
                holder.reset().set(0, 0, 0, -1, -1); // what was handed out is now garbage
                return false;
              }
              FloatHistogram h = it.floatHistogram();
              holder.reset().set(h.schema(), h.zeroThreshold(), h.zeroCount(), h.count(), h.sum());
              holder.positiveSpans().copyFrom(h.positiveSpans());
              for (int i = 0; i < h.positiveBucketCount(); i++) {
                holder.addPositiveCount(h.positiveCount(i));
              }
              return true;
            }

            @Override
            public long timestamp() {
              return it.timestamp();
            }

            @Override
            public double value() {
              return it.value();
            }

            @Override
            public FloatHistogram floatHistogram() {
              return holder;
            }
          };
        }
      };
    }

    @Override
    public List<String> labelNames(long mint, long maxt, List<Matcher> matchers) {
      return in.labelNames(mint, maxt, matchers);
    }

    @Override
    public List<String> labelValues(String name, long mint, long maxt, List<Matcher> matchers) {
      return in.labelValues(name, mint, maxt, matchers);
    }
  }
}
