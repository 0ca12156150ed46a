package dev.quarry.promql.engine;

import dev.quarry.model.StaleMarker;
import dev.quarry.promql.Expr.MatrixSelector;
import dev.quarry.promql.Expr.VectorSelector;
import dev.quarry.storage.SampleIterator;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads selectors from the store, streaming each series' iterator once. An instant selector at step
 * {@code ts} takes the newest sample in {@code [ref - lookback, ref]}, {@code ref = ts} (or the
 * {@code @} time) minus the offset, unless that sample is a staleness marker; a range selector
 * keeps the samples in {@code [ref - range, ref]} without staleness markers (both ends inclusive,
 * as in 2.42).
 */
final class Selectors {
  private Selectors() {}

  /** Raw points of a range selector or a subquery and how to window them per step. */
  record RangeInput(List<Series> series, long rangeMillis, long offsetMillis, Long at) {}

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
    for (dev.quarry.storage.Series s :
        ev.store.select(firstRef - ev.lookback, lastRef, vs.matchers())) {
      ev.budget.check();
      SampleIterator it = s.iterator();
      boolean pending = it.next();
      boolean has = false;
      long pt = 0;
      double pv = 0;
      Series ss = new Series(s.labels(), Math.min(steps, 16));
      for (long ts = ev.start; ts <= ev.end; ts += ev.interval) {
        long ref = (at != null ? at : ts) - off;
        while (pending && it.timestamp() <= ref) {
          pt = it.timestamp();
          pv = it.value();
          has = true;
          pending = it.next();
        }
        if (has && pt >= ref - ev.lookback && !StaleMarker.isStale(pv)) {
          ss.add(ts, timestamps ? pt / 1000.0 : pv);
          ev.budget.add(1);
        }
      }
      if (ss.size() > 0) {
        out.add(ss);
      }
    }
    return out;
  }

  /** A range selector's points over all steps, for windowing; stale markers dropped. */
  static RangeInput range(Evaluator ev, MatrixSelector ms) {
    VectorSelector vs = ms.selector();
    Long at = ev.atTime(vs.at());
    long off = vs.offsetMillis();
    long firstRef = (at != null ? at : ev.start) - off;
    long lastRef = (at != null ? at : ev.end) - off;
    List<Series> out = new ArrayList<>();
    for (dev.quarry.storage.Series s :
        ev.store.select(firstRef - ms.rangeMillis(), lastRef, vs.matchers())) {
      ev.budget.check();
      SampleIterator it = s.iterator();
      Series ss = new Series(s.labels(), 16);
      while (it.next()) {
        if (!StaleMarker.isStale(it.value())) {
          ss.add(it.timestamp(), it.value());
        }
      }
      if (ss.size() > 0) {
        out.add(ss);
        if (ev.start == ev.end) {
          ev.budget.add(ss.size());
        }
      }
    }
    return new RangeInput(out, ms.rangeMillis(), off, at);
  }
}
