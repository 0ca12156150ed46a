package dev.quarry.promql.engine;

import dev.quarry.model.Labels;
import dev.quarry.promql.AggregateOp;
import dev.quarry.promql.Expr.Aggregate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The aggregations that fold a group's values into one (sum, avg, min, max, count, group, stddev,
 * stdvar) evaluated group by group over the input matrix instead of step by step: each input
 * series' group key is computed once, then each group's member series are folded into one scratch
 * row of per-step accumulators, in input order, and the row becomes the group's output series. A
 * step sees its values in the same order as {@link Aggregations}' step-by-step evaluation would, so
 * the arithmetic (and its rounding) is the same; groups come out in order of their first member,
 * which is the step-by-step order for an instant evaluation. Only one group's row is in memory at a
 * time besides the input and the output. One instance per evaluation, on its thread.
 */
final class Folds {
  private final AggregateOp op;
  private final int steps;
  private final double[] value;
  private final double[] mean;
  private final int[] count;

  private Folds(AggregateOp op, int steps) {
    this.op = op;
    this.steps = steps;
    this.value = new double[steps];
    this.mean = needsMean(op) ? new double[steps] : null;
    this.count = new int[steps];
  }

  /** Whether {@code op} is a fold (it takes no parameter and keeps no samples). */
  static boolean applies(AggregateOp op) {
    return switch (op) {
      case SUM, AVG, MIN, MAX, COUNT, GROUP, STDDEV, STDVAR -> true;
      default -> false;
    };
  }

  private static boolean needsMean(AggregateOp op) {
    return op == AggregateOp.AVG || op == AggregateOp.STDDEV || op == AggregateOp.STDVAR;
  }

  /** The aggregation {@code a} (a fold) of {@code a.expr()} at every step. */
  static List<Series> eval(Evaluator ev, Aggregate a, List<String> grouping) {
    long orig = ev.budget.current();
    List<Series> in = ev.matrix(a.expr());
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
    Folds f = new Folds(a.op(), ev.steps());
    List<Series> out = new ArrayList<>(keys.size());
    long total = 0;
    for (int g = 0; g < keys.size(); g++) {
      ev.budget.check();
      Series s = f.group(ev, keys.get(g), in, first[g], next);
      total += s.size();
      out.add(s);
    }
    // As step by step: the output counts while the input is still held, then the input goes.
    ev.budget.add(total);
    ev.budget.reset(orig);
    ev.budget.add(total);
    return out;
  }

  /** Folds the members of one group, from {@code member} along {@code next}, into its series. */
  private Series group(Evaluator ev, Labels key, List<Series> in, int member, int[] next) {
    int lo = steps;
    int hi = -1;
    for (int i = member; i >= 0; i = next[i]) {
      Series s = in.get(i);
      for (int p = 0; p < s.size(); p++) {
        int k = (int) ((s.t(p) - ev.start) / ev.interval);
        add(k, s.v(p));
        lo = Math.min(lo, k);
        hi = Math.max(hi, k);
      }
    }
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
    return out;
  }

  /** One value into step {@code k}'s accumulator, as Prometheus' aggregation() does. */
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
