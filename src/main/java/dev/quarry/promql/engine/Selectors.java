package dev.quarry.promql.engine;

import dev.quarry.model.FloatHistogram;
import dev.quarry.model.StaleMarker;
import dev.quarry.promql.Expr.MatrixSelector;
import dev.quarry.promql.Expr.VectorSelector;
import dev.quarry.storage.SampleIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads selectors from the store, streaming each series' iterator once. An instant selector at step
 * {@code ts} takes the newest sample in {@code [ref - lookback, ref]}, {@code ref = ts} (or the
 * {@code @} time) minus the offset, unless that sample is a staleness marker; a range selector
 * keeps the samples in {@code [ref - range, ref]} without staleness markers (both ends inclusive,
 * as in 2.42). A native histogram sample is read as a copy of the iterator's holder, which the next
 * sample may overwrite.
 */
final class Selectors {
  private Selectors() {}

  /** Feeds the series of a range input to a consumer, one at a time. */
  @FunctionalInterface
  interface SeriesSource {
    void forEach(Consumer<Series> fn);
  }

  /**
   * Raw points of a range selector or a subquery and how to window them per step. A series the
   * source passes may be reused after the consumer returns: keep a copy, never the instance.
   */
  record RangeInput(SeriesSource series, long rangeMillis, long offsetMillis, Long at) {}

  /**
   * The selector's value at every step; with {@code timestamps} the value is the sample's own
   * timestamp in seconds (for {@code timestamp()}).
   */
  static List<Series> instant(Evaluator ev, VectorSelector vs, boolean timestamps) {
    Long at = ev.atTime(vs.at());
    long off = vs.offsetMillis();
    long firstRef = (at != null ? at : ev.start) - off;
    long lastRef = (at != null ? at : ev.end) - off;
    List<Series> out = new ArrayList<>();
    int steps = ev.steps();
    ev.store.select(
        firstRef - ev.lookback,
        lastRef,
        vs.matchers(),
        s -> {
          ev.budget.check();
          SampleIterator it = s.iterator();
          boolean pending = it.next();
          boolean has = false;
          long pt = 0;
          double pv = 0;
          FloatHistogram ph = null;
          Series ss = new Series(s.labels(), Math.min(steps, 16));
          for (long ts = ev.start; ts <= ev.end; ts += ev.interval) {
            long ref = (at != null ? at : ts) - off;
            while (pending && it.timestamp() <= ref) {
              pt = it.timestamp();
              FloatHistogram fh = it.floatHistogram();
              pv = fh == null ? it.value() : 0;
              ph = fh == null || timestamps ? null : fh.copy();
              has = true;
              pending = it.next();
            }
            if (has && pt >= ref - ev.lookback && (ph != null || !StaleMarker.isStale(pv))) {
              ss.add(ts, timestamps ? pt / 1000.0 : pv, ph);
              ev.budget.add(1);
            }
          }
          if (ss.size() > 0) {
            out.add(ss);
          }
        });
    return out;
  }

  /**
   * A range selector's points over all steps for windowing, staleness markers dropped: streamed one
   * series at a time ({@link #streamRange}) where the window is computed as the series is read.
   */
  static RangeInput range(Evaluator ev, MatrixSelector ms) {
    VectorSelector vs = ms.selector();
    return new RangeInput(
        fn -> streamRange(ev, ms, fn), ms.rangeMillis(), vs.offsetMillis(), ev.atTime(vs.at()));
  }

  /** A range selector's points over all steps, each series its own copy (a matrix result). */
  static List<Series> rangeMatrix(Evaluator ev, MatrixSelector ms) {
    List<Series> out = new ArrayList<>();
    streamRange(ev, ms, s -> out.add(s.relabel(s.metric())));
    return out;
  }

  /**
   * Calls {@code fn} with the points of each selected series that some step's window can see,
   * staleness markers dropped, in label order, skipping series left empty. Each series' iterator is
   * read once, into one buffer reused from series to series: the {@link Series} passed to {@code
   * fn} is valid only during the call. Only one series' raw points are in memory at a time; an
   * instant evaluation still counts them all against the sample budget, as they would be in a
   * matrix.
   */
  static void streamRange(Evaluator ev, MatrixSelector ms, Consumer<Series> fn) {
    VectorSelector vs = ms.selector();
    Long at = ev.atTime(vs.at());
    long off = vs.offsetMillis();
    long firstRef = (at != null ? at : ev.start) - off;
    long lastRef = (at != null ? at : ev.end) - off;
    Series buf = new Series(null, 64);
    ev.store.select(
        firstRef - ms.rangeMillis(),
        lastRef,
        vs.matchers(),
        s -> {
          ev.budget.check();
          SampleIterator it = s.iterator();
          buf.reuse(s.labels());
          while (it.next()) {
            FloatHistogram fh = it.floatHistogram();
            if (fh != null) {
              buf.add(it.timestamp(), 0, fh.copy());
              continue;
            }
            double v = it.value();
            if (!StaleMarker.isStale(v)) {
              buf.add(it.timestamp(), v);
            }
          }
          if (buf.size() > 0) {
            if (ev.start == ev.end) {
              ev.budget.add(buf.size());
            }
            fn.accept(buf);
          }
        });
  }
}
