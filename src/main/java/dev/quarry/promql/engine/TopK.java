package dev.quarry.promql.engine;

import dev.quarry.model.Labels;
import dev.quarry.promql.AggregateOp;
import dev.quarry.promql.Expr.Aggregate;
import dev.quarry.promql.Expr.Call;
import dev.quarry.promql.Printer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * topk and bottomk over a function of a range vector ({@code topk(10, rate(x[5m]))}), folded series
 * by series: each series the function yields is offered to its group's {@link ValueHeap} at each
 * step it has a value and then dropped, so neither the function's matrix nor a vector per step is
 * built, and the output labels (the input's without the metric name) are made only for the samples
 * that win. The input order, the heaps and the order groups and samples come out in are those of
 * the step-by-step evaluation in {@link Aggregations}, which handles every other argument.
 * Stateless; each evaluation's heaps belong to its thread.
 */
final class TopK {
  /** Folding gives up above this many heap slots and kept samples, and above 4 per point. */
  private static final long FUSE_CELLS = 4_000_000;

  private TopK() {}

  /** The k of a step from its parameter, as Prometheus checks it; k < 1 selects nothing. */
  static long k(double param) {
    if (param >= 0x1p63 || param < -0x1p63 || Double.isNaN(param)) {
      throw EvalException.exec("Scalar value " + Printer.literal(param) + " overflows int64");
    }
    return (long) param;
  }

  /**
   * {@code a} (topk or bottomk) folded over its argument when that is a function over a range
   * vector, or null when it is not or when the heaps would grow too many (the caller then evaluates
   * it step by step).
   */
  static List<Series> eval(Evaluator ev, Aggregate a, List<String> grouping) {
    if (!(Evaluator.unwrap(a.expr()) instanceof Call c)
        || c.func().name().equals("absent_over_time")) {
      return null;
    }
    int mi = Calls.rangeArg(c);
    return mi < 0 ? null : fused(ev, a, grouping, c, mi);
  }

  /** One group: its heap at each step (null before its first sample there). */
  private static final class Group {
    final ValueHeap[] heaps;

    Group(int steps) {
      heaps = new ValueHeap[steps];
    }
  }

  private static List<Series> fused(
      Evaluator ev, Aggregate a, List<String> grouping, Call c, int mi) {
    long orig = ev.budget.current();
    int steps = ev.steps();
    // The parameter first, as the step-by-step evaluation reads it; its errors wait until the
    // input's have had their turn, as they would there.
    Series param = ev.matrix(a.param()).get(0);
    long[] ks = new long[steps];
    RuntimeException kError = null;
    for (int i = 0; i < steps; i++) {
      try {
        ks[i] = k(param.v(i));
      } catch (EvalException e) {
        kError = kError == null ? e : kError;
        ks[i] = 0;
      }
    }
    boolean top = a.op() == AggregateOp.TOPK;
    FoldKeys keys = new FoldKeys(a, grouping, c, mi);
    Map<Labels, Group> groups = new HashMap<>();
    @SuppressWarnings("unchecked")
    List<ValueHeap>[] byStep = new List[steps];
    long[] cells = new long[2]; // [0] heap slots and samples held, [1] points folded
    boolean folded =
        keys.fold(
            ev,
            (s, key) -> {
              Group g = groups.get(key);
              if (g == null) {
                g = new Group(steps);
                groups.put(key, g);
                cells[0] += steps;
              }
              int k = (int) ((s.t(0) - ev.start) / ev.interval);
              long tk = ev.start + k * ev.interval;
              for (int p = 0; p < s.size(); p++) {
                while (tk < s.t(p)) {
                  tk += ev.interval;
                  k++;
                }
                if (ks[k] < 1) {
                  continue;
                }
                ValueHeap h = g.heaps[k];
                if (h == null) {
                  h = g.heaps[k] = new ValueHeap(top, ks[k]);
                  if (byStep[k] == null) {
                    byStep[k] = new ArrayList<>();
                  }
                  byStep[k].add(h);
                }
                if (h.offer(s.metric(), s.v(p))) {
                  cells[0]++;
                }
              }
              cells[1] += s.size();
              return cells[0] <= Math.max(FUSE_CELLS, 4 * cells[1]);
            });
    if (!folded) {
      ev.budget.reset(orig);
      return null;
    }
    keys.checkDistinct();
    if (kError != null) {
      throw kError;
    }
    return steps == 1 ? instant(ev, orig, byStep[0], keys) : range(ev, orig, byStep, keys);
  }

  private static List<Series> instant(
      Evaluator ev, long orig, List<ValueHeap> heaps, FoldKeys keys) {
    List<Series> out = new ArrayList<>();
    if (heaps != null) {
      for (ValueHeap h : heaps) {
        h.sort();
        for (int i = 0; i < h.size(); i++) {
          Series x = new Series(keys.output(h.metric(i)), 1);
          x.add(ev.start, h.value(i));
          out.add(x);
        }
      }
    }
    ev.budget.reset(orig);
    ev.budget.add(out.size());
    return out;
  }

  /** Step by step, each step's groups in order of their first sample there, as Evaluator does. */
  private static List<Series> range(
      Evaluator ev, long orig, List<ValueHeap>[] byStep, FoldKeys keys) {
    Map<Labels, Labels> outputs = new IdentityHashMap<>();
    Map<Labels, Series> out = new LinkedHashMap<>();
    long total = 0;
    for (int k = 0; k < byStep.length; k++) {
      if (byStep[k] == null) {
        continue;
      }
      ev.budget.check();
      long ts = ev.start + k * ev.interval;
      for (ValueHeap h : byStep[k]) {
        h.sort();
        for (int i = 0; i < h.size(); i++) {
          Labels l = outputs.computeIfAbsent(h.metric(i), keys::output);
          out.computeIfAbsent(l, x -> new Series(x, byStep.length)).add(ts, h.value(i));
        }
        ev.budget.add(h.size());
        total += h.size();
      }
      byStep[k] = null;
    }
    ev.budget.reset(orig);
    ev.budget.add(total);
    return new ArrayList<>(out.values());
  }

  /** Whether {@code op} is one this class folds. */
  static boolean applies(AggregateOp op) {
    return op == AggregateOp.TOPK || op == AggregateOp.BOTTOMK;
  }
}
