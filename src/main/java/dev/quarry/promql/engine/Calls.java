package dev.quarry.promql.engine;

import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Labels;
import dev.quarry.promql.Expr;
import dev.quarry.promql.Expr.Call;
import dev.quarry.promql.Expr.MatrixSelector;
import dev.quarry.promql.Expr.Subquery;
import dev.quarry.promql.Expr.VectorSelector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Evaluates function calls: those over a range vector (selector or subquery) slide a window over
 * each series' points, one output point per step; the others run step by step over their arguments'
 * vectors. {@code timestamp(selector)} reads the samples' own timestamps.
 */
final class Calls {
  private Calls() {}

  static List<Series> eval(Evaluator ev, Call c) {
    String name = c.func().name();
    Expr first = c.args().isEmpty() ? null : Evaluator.unwrap(c.args().get(0));
    if (name.equals("timestamp") && first instanceof VectorSelector vs) {
      List<Series> out = new ArrayList<>();
      for (Series s : Selectors.instant(ev, vs, true)) {
        out.add(s.relabel(LabelOps.dropName(s.metric())));
      }
      Evaluator.checkDistinct(out);
      return out;
    }
    int mi = rangeArg(c);
    if (mi >= 0) {
      List<Series> out = new ArrayList<>();
      overRange(ev, c, mi, out::add);
      if (name.equals("absent_over_time")) {
        return absentOverTime(ev, out, c.args().get(0));
      }
      if (!distinctOutput(c, mi)) {
        Evaluator.checkDistinct(out);
      }
      return out;
    }
    return ev.rangeEval(InstantFunctions.of(c), c.args().toArray(new Expr[0]));
  }

  /** The index of the range-vector argument (selector or subquery) of {@code c}, or -1. */
  static int rangeArg(Call c) {
    for (int i = 0; i < c.args().size(); i++) {
      Expr a = Evaluator.unwrap(c.args().get(i));
      if (a instanceof MatrixSelector || a instanceof Subquery) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Calls {@code sink} with the output series of {@code c}, a function over its range-vector
   * argument {@code mi}, one per input series with a value at some step, in input order; each
   * counts against the sample budget. Neither their distinctness nor absent_over_time's inversion
   * is applied here.
   */
  static void overRange(Evaluator ev, Call c, int mi, Consumer<Series> sink) {
    overRange(ev, c, mi, null, sink);
  }

  /**
   * As {@link #overRange(Evaluator, Call, int, Consumer)}, but each output series is one reused
   * buffer, valid only during the call, and labelled with its input series' labels: the output's
   * labels are those without the metric name unless {@link #keepsName} (the caller computes them
   * only where it needs them).
   */
  static void overRangeTransient(Evaluator ev, Call c, int mi, Consumer<Series> sink) {
    overRange(ev, c, mi, new Series(null, ev.steps()), sink);
  }

  /** Whether {@code c}'s output keeps its input's metric name. */
  static boolean keepsName(Call c) {
    return c.func().name().equals("last_over_time");
  }

  /**
   * Whether the output series of {@code c} over argument {@code mi} have distinct labels without a
   * check: they keep their input's labels, or the input selector names one metric, so dropping the
   * name cannot make two of them equal.
   */
  static boolean distinctOutput(Call c, int mi) {
    if (keepsName(c)) {
      return true;
    }
    if (Evaluator.unwrap(c.args().get(mi)) instanceof MatrixSelector ms) {
      for (dev.quarry.storage.Matcher m : ms.selector().matchers()) {
        if (m.type() == dev.quarry.storage.Matcher.Type.EQ && m.name().equals(Labels.METRIC_NAME)) {
          return true;
        }
      }
    }
    return false;
  }

  private static void overRange(Evaluator ev, Call c, int mi, Series reuse, Consumer<Series> sink) {
    Expr arg = Evaluator.unwrap(c.args().get(mi));
    Selectors.RangeInput in =
        arg instanceof MatrixSelector ms
            ? Selectors.range(ev, ms)
            : subqueryInput(ev, (Subquery) arg);
    List<List<Series>> scalars = new ArrayList<>();
    for (int i = 0; i < c.args().size(); i++) {
      scalars.add(i == mi ? List.of() : ev.matrix(c.args().get(i)));
    }
    RangeFunctions.Fn fn = RangeFunctions.of(c.func().name());
    boolean keepName = keepsName(c);
    double[] params = new double[c.args().size()];
    in.series()
        .forEach(
            s -> {
              Series ss;
              if (reuse != null) {
                reuse.reuse(s.metric());
                ss = windows(ev, in, s, fn, reuse, mi, scalars, params, c);
              } else {
                Labels metric = keepName ? s.metric() : LabelOps.dropName(s.metric());
                ss =
                    windows(
                        ev,
                        in,
                        s,
                        fn,
                        new Series(metric, windowSteps(ev, in, s)),
                        mi,
                        scalars,
                        params,
                        c);
              }
              if (ss != null) {
                sink.accept(ss);
              }
            });
  }

  /**
   * {@code fn} over the window of {@code s} at every step (a sliding window: each point enters and
   * leaves once) into {@code ss}, or null when no step has a value. Reads {@code s} only during the
   * call.
   */
  private static Series windows(
      Evaluator ev,
      Selectors.RangeInput in,
      Series s,
      RangeFunctions.Fn fn,
      Series ss,
      int mi,
      List<List<Series>> scalars,
      double[] params,
      Call c) {
    ev.budget.check();
    String name = c.func().name();
    boolean histRate =
        (name.equals("rate") || name.equals("increase") || name.equals("delta"))
            && s.hasHistograms();
    long rangeMs = in.rangeMillis();
    int lo = 0;
    int hi = 0;
    int step = -1;
    for (long ts = ev.start; ts <= ev.end; ts += ev.interval) {
      if ((++step & 63) == 63) {
        ev.budget.check(); // a long series (a subquery's) is checked every 64 steps too
      }
      long ref = (in.at() != null ? in.at() : ts) - in.offsetMillis();
      long mint = ref - rangeMs;
      while (lo < s.size() && s.t(lo) < mint) {
        lo++;
      }
      if (hi < lo) {
        hi = lo;
      }
      while (hi < s.size() && s.t(hi) <= ref) {
        hi++;
      }
      if (hi <= lo) {
        continue;
      }
      for (int i = 0; i < params.length; i++) {
        if (i != mi) {
          params[i] = scalars.get(i).get(0).v(step);
        }
      }
      ev.budget.add(hi - lo);
      RangeFunctions.Window w = new RangeFunctions.Window(s, lo, hi, mint, ref, rangeMs, ts);
      if (histRate && NativeHistograms.hasHistogram(w)) {
        FloatHistogram h = NativeHistograms.rate(w, !name.equals("delta"), name.equals("rate"));
        ev.budget.add(-(hi - lo));
        if (h != null) {
          ss.add(ts, 0, h);
        }
        continue;
      }
      double v = fn.apply(w, params);
      ev.budget.add(-(hi - lo));
      if (!Double.isNaN(v) || !RangeFunctions.isNone(v)) {
        ss.add(ts, v);
      }
    }
    if (ss.size() == 0) {
      return null;
    }
    ev.budget.add(ss.size());
    return ss;
  }

  /**
   * At most how many steps can see a point of {@code s} in their window: those with {@code ref} in
   * {@code [first point, last point + range]}; all of them with {@code @}.
   */
  private static int windowSteps(Evaluator ev, Selectors.RangeInput in, Series s) {
    int steps = ev.steps();
    if (steps == 1 || in.at() != null || s.size() == 0) {
      return steps;
    }
    long from = s.t(0) + in.offsetMillis();
    long to = s.t(s.size() - 1) + in.rangeMillis() + in.offsetMillis();
    long lo = from <= ev.start ? 0 : (from - ev.start + ev.interval - 1) / ev.interval;
    long hi = to >= ev.end ? steps - 1 : (to - ev.start) / ev.interval;
    return (int) Math.max(1, Math.min(steps, hi - lo + 1));
  }

  private static Selectors.RangeInput subqueryInput(Evaluator ev, Subquery sq) {
    List<Series> m = ev.subquery(sq);
    return new Selectors.RangeInput(
        m::forEach, sq.rangeMillis(), sq.offsetMillis(), ev.atTime(sq.at()));
  }

  /** 1 at the steps where no series had a point, labelled from the selector's matchers. */
  private static List<Series> absentOverTime(Evaluator ev, List<Series> mat, Expr arg) {
    Set<Long> found = new HashSet<>();
    for (Series s : mat) {
      if (s.size() == ev.steps()) {
        return List.of();
      }
      for (int i = 0; i < s.size(); i++) {
        found.add(s.t(i));
      }
    }
    Series out = new Series(InstantFunctions.absentLabels(arg), 16);
    for (long ts = ev.start; ts <= ev.end; ts += ev.interval) {
      if (!found.contains(ts)) {
        out.add(ts, 1);
      }
    }
    return out.size() == 0 ? List.of() : List.of(out);
  }
}
