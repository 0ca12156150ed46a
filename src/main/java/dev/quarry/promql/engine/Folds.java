package dev.quarry.promql.engine;

import dev.quarry.model.Labels;
import dev.quarry.promql.AggregateOp;
import dev.quarry.promql.Expr.Aggregate;
import dev.quarry.promql.Expr.Call;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The aggregations that fold a group's values into one (sum, avg, min, max, count, group, stddev,
 * stdvar), evaluated series by series instead of step by step. Over a function of a range vector
 * ({@code sum by (job) (rate(x[5m]))}) each series the function yields is folded into its group's
 * row of per-step accumulators as it comes and dropped, so that matrix is never held; over any
 * other argument, the matrix is evaluated, each series' group key computed once and each group's
 * members folded into one scratch row. Either way a step sees its values in input order, as
 * Aggregations' step-by-step evaluation would, so the arithmetic (and its rounding) is the same;
 * groups come out in order of their first member, which is the step-by-step order for an instant
 * evaluation. Stateless; each evaluation's rows belong to its thread.
 */
final class Folds {
  /** Fusing gives up above this many accumulators and above 4 per point folded. */
  private static final long FUSE_CELLS = 4_000_000;

  private Folds() {}

  /** Whether {@code op} is a fold (it takes no parameter and keeps no samples). */
  static boolean applies(AggregateOp op) {
    return switch (op) {
      case SUM, AVG, MIN, MAX, COUNT, GROUP, STDDEV, STDVAR -> true;
      default -> false;
    };
  }

  /** The aggregation {@code a} (a fold) of {@code a.expr()} at every step. */
  static List<Series> eval(Evaluator ev, Aggregate a, List<String> grouping) {
    if (Evaluator.unwrap(a.expr()) instanceof Call c
        && !c.func().name().equals("absent_over_time")) {
      int mi = Calls.rangeArg(c);
      if (mi >= 0) {
        List<Series> out = fused(ev, a, grouping, c, mi);
        if (out != null) {
          return out;
        }
      }
    }
    long orig = ev.budget.current();
    List<Series> in = ev.matrix(a.expr());
    if (a.op() == AggregateOp.SUM && in.stream().anyMatch(Series::hasHistograms)) {
      List<Series> out = NativeHistograms.sum(ev, in, m -> Aggregations.key(a, m, grouping));
      return finish(ev, orig, out);
    }
    // Group members as linked lists through the input's indexes, groups by first member.
    Map<Labels, Integer> index = new HashMap<>();
    List<Labels> keys = new ArrayList<>();
    int[] first = new int[16];
    int[] last = new int[16];
    int[] next = new int[in.size()];
    for (int i = 0; i < in.size(); i++) {
      Labels key = Aggregations.key(a, in.get(i).metric(), grouping);
      Integer g = index.putIfAbsent(key, keys.size());
      next[i] = -1;
      if (g == null) {
        int n = keys.size();
        if (n == first.length) {
          first = Arrays.copyOf(first, n * 2);
          last = Arrays.copyOf(last, n * 2);
        }
        keys.add(key);
        first[n] = i;
        last[n] = i;
      } else {
        next[last[g]] = i;
        last[g] = i;
      }
    }
    Row row = new Row(a.op(), ev.steps());
    List<Series> out = new ArrayList<>(keys.size());
    for (int g = 0; g < keys.size(); g++) {
      ev.budget.check();
      for (int i = first[g]; i >= 0; i = next[i]) {
        row.fold(ev, in.get(i));
      }
      addNonEmpty(out, row.emit(ev, keys.get(g)));
    }
    return finish(ev, orig, out);
  }

  /**
   * The fold of {@code c}, a function over its range-vector argument {@code mi}, without its matrix
   * (each of its series is one reused buffer, and its labels without the metric name are made only
   * where a check or the group key needs them); null when that would hold too many accumulators
   * (sparse series spread over many groups and steps), and the caller then evaluates the argument
   * as a matrix. The function's output still counts against the sample budget as its matrix would,
   * and labels that collide once the metric name is dropped fail as they would there.
   */
  private static List<Series> fused(
      Evaluator ev, Aggregate a, List<String> grouping, Call c, int mi) {
    long orig = ev.budget.current();
    Map<Labels, Row> index = new HashMap<>();
    List<Labels> keys = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    FoldKeys foldKeys = new FoldKeys(a, grouping, c, mi);
    long[] points = new long[1];
    boolean folded =
        foldKeys.fold(
            ev,
            (s, key) -> {
              if (s.hasHistograms() && a.op() == AggregateOp.SUM) {
                return false; // summed step by step in NativeHistograms
              }
              Row row = index.get(key);
              if (row == null) {
                if ((rows.size() + 1L) * ev.steps() > Math.max(FUSE_CELLS, 4 * points[0])) {
                  return false;
                }
                row = new Row(a.op(), ev.steps());
                index.put(key, row);
                keys.add(key);
                rows.add(row);
              }
              row.fold(ev, s);
              points[0] += s.size();
              return true;
            });
    if (!folded) {
      ev.budget.reset(orig);
      return null;
    }
    foldKeys.checkDistinct();
    List<Series> out = new ArrayList<>(rows.size());
    for (int g = 0; g < rows.size(); g++) {
      addNonEmpty(out, rows.get(g).emit(ev, keys.get(g)));
    }
    return finish(ev, orig, out);
  }

  private static void addNonEmpty(List<Series> out, Series s) {
    if (s.size() > 0) {
      out.add(s);
    }
  }

  /** As step by step: the output counts while the input is still held, then the input goes. */
  private static List<Series> finish(Evaluator ev, long orig, List<Series> out) {
    long total = 0;
    for (Series s : out) {
      total += s.size();
    }
    ev.budget.add(total);
    ev.budget.reset(orig);
    ev.budget.add(total);
    return out;
  }

  private static boolean needsMean(AggregateOp op) {
    return op == AggregateOp.AVG || op == AggregateOp.STDDEV || op == AggregateOp.STDVAR;
  }

  /**
   * The per-step accumulators of one group, as Prometheus' aggregation() keeps them for a group at
   * one step; a count of 0 means no value at that step yet. Emitting clears the row for reuse.
   */
  private static final class Row {
    private final AggregateOp op;
    private final double[] value;
    private final double[] mean;
    private final int[] count;

    /** The lowest and highest steps holding values. */
    private int lo = Integer.MAX_VALUE;

    private int hi = -1;

    Row(AggregateOp op, int steps) {
      this.op = op;
      this.value = new double[steps];
      this.mean = needsMean(op) ? new double[steps] : null;
      this.count = new int[steps];
    }

    /** Adds the points of {@code s} (at steps of {@code ev}, in time order). */
    void fold(Evaluator ev, Series s) {
      if (s.size() == 0) {
        return;
      }
      // One division for the first point, then walk the steps.
      int k = (int) ((s.t(0) - ev.start) / ev.interval);
      lo = Math.min(lo, k);
      long tk = ev.start + k * ev.interval;
      for (int p = 0; p < s.size(); p++) {
        long t = s.t(p);
        while (tk < t) {
          tk += ev.interval;
          k++;
        }
        add(k, s.v(p));
      }
      hi = Math.max(hi, k);
    }

    /** The group's series: a point at each step holding values. */
    Series emit(Evaluator ev, Labels key) {
      int present = 0;
      for (int k = lo; k <= hi; k++) {
        if (count[k] > 0) {
          present++;
        }
      }
      Series out = new Series(key, present);
      for (int k = lo; k <= hi; k++) {
        if (count[k] > 0) {
          out.add(ev.start + k * ev.interval, result(k));
          count[k] = 0;
        }
      }
      lo = Integer.MAX_VALUE;
      hi = -1;
      return out;
    }

    /** One value into step {@code k}'s accumulator. */
    private void add(int k, double v) {
      int c = ++count[k];
      if (c == 1) {
        value[k] =
            switch (op) {
              case STDVAR, STDDEV -> 0;
              case GROUP -> 1;
              default -> v;
            };
        if (mean != null) {
          mean[k] = v;
        }
        return;
      }
      switch (op) {
        case SUM -> value[k] += v;
        case AVG -> {
          double m = mean[k];
          if (Double.isInfinite(m)) {
            if (Double.isInfinite(v) && (m > 0) == (v > 0)) {
              break;
            }
            if (!Double.isInfinite(v) && !Double.isNaN(v)) {
              break;
            }
          }
          mean[k] = m + (v / c - m / c);
        }
        case MAX -> {
          if (value[k] < v || Double.isNaN(value[k])) {
            value[k] = v;
          }
        }
        case MIN -> {
          if (value[k] > v || Double.isNaN(value[k])) {
            value[k] = v;
          }
        }
        case STDVAR, STDDEV -> {
          double delta = v - mean[k];
          mean[k] += delta / c;
          value[k] += delta * (v - mean[k]);
        }
        default -> {}
      }
    }

    private double result(int k) {
      return switch (op) {
        case AVG -> mean[k];
        case COUNT -> count[k];
        case STDVAR -> value[k] / count[k];
        case STDDEV -> Math.sqrt(value[k] / count[k]);
        default -> value[k];
      };
    }
  }
}
