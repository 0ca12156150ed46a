package dev.quarry.promql.engine;

import dev.quarry.model.Labels;
import dev.quarry.promql.AggregateOp;
import dev.quarry.promql.Expr;
import dev.quarry.promql.Expr.Aggregate;
import dev.quarry.promql.Printer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The aggregation operators, as Prometheus 2.42's {@code aggregation()}: groups by the {@code by}
 * labels (or all but the {@code without} labels and the metric name), in order of first appearance;
 * avg and stddev/stdvar by running means, min/max preferring numbers over NaN, topk/bottomk keeping
 * the input series' labels, quantile with φ outside [0, 1] giving ±Inf, count_values adding the
 * value label. The folds (sum, avg, ...) run group by group in {@link Folds}; topk and bottomk over
 * a function of a range vector series by series in {@link TopK}; the others here, step by step,
 * topk and bottomk through the same {@link ValueHeap}s.
 */
final class Aggregations {
  private Aggregations() {}

  private static final class Group {
    final Labels labels;
    long count;
    final List<Sample> samples = new ArrayList<>();
    ValueHeap heap;

    Group(Labels labels) {
      this.labels = labels;
    }
  }

  /**
   * The group keys of one aggregation node's evaluation. The input series keep their Labels
   * instances from step to step, so each one's key is computed once instead of once per step; equal
   * keys share one instance, which makes the per-step group lookups identity compares. Each step's
   * vector lists the input series in the same order, so the next slot is tried by reference before
   * the identity map. Owned by the evaluating thread.
   */
  private static final class KeyCache {
    private final Map<Labels, Integer> slots = new IdentityHashMap<>();
    private final Map<Labels, Labels> distinct = new HashMap<>();
    private Labels[] metrics = new Labels[16];
    private Labels[] keys = new Labels[16];
    private int n;
    private int cursor;

    void startStep() {
      cursor = 0;
    }

    Labels key(Aggregate a, Labels metric, List<String> groupBy) {
      int i = cursor;
      if (i >= n || metrics[i] != metric) {
        Integer slot = slots.get(metric);
        if (slot == null) {
          Labels fresh = Aggregations.key(a, metric, groupBy);
          if (n == metrics.length) {
            metrics = Arrays.copyOf(metrics, n * 2);
            keys = Arrays.copyOf(keys, n * 2);
          }
          metrics[n] = metric;
          keys[n] = distinct.computeIfAbsent(fresh, x -> fresh);
          slots.put(metric, n);
          slot = n++;
        }
        i = slot;
      }
      cursor = i + 1;
      return keys[i];
    }
  }

  static List<Series> eval(Evaluator ev, Aggregate a) {
    List<String> grouping = new ArrayList<>(new TreeSet<>(a.grouping()));
    Expr param = a.param() == null ? null : Evaluator.unwrap(a.param());
    if (Folds.applies(a.op())) {
      return Folds.eval(ev, a, grouping);
    }
    if (TopK.applies(a.op())) {
      List<Series> out = TopK.eval(ev, a, grouping);
      if (out != null) {
        return out;
      }
    }
    KeyCache keys = new KeyCache();
    if (param instanceof Expr.StringLiteral s) {
      String label = s.value();
      return ev.rangeEval(
          (args, ts) -> step(a, grouping, 0, label, args.get(0), ts, keys), a.expr());
    }
    return ev.rangeEval(
        (args, ts) -> {
          double p = a.param() == null ? 0 : args.get(0).get(0).v();
          return step(a, grouping, p, null, args.get(1), ts, keys);
        },
        a.param(),
        a.expr());
  }

  /** The group key of {@code metric}: its {@code by} labels, or all but the others. */
  static Labels key(Aggregate a, Labels metric, List<String> groupBy) {
    if (a.without()) {
      return LabelOps.without(metric, groupBy);
    }
    return groupBy.isEmpty() ? Labels.EMPTY : LabelOps.keep(metric, groupBy);
  }

  private static List<Sample> step(
      Aggregate a,
      List<String> grouping,
      double param,
      String valueLabel,
      List<Sample> vec,
      long ts,
      KeyCache keys) {
    AggregateOp op = a.op();
    long k = 0;
    if (TopK.applies(op)) {
      k = TopK.k(param);
      if (k < 1) {
        return List.of();
      }
    }
    List<String> groupBy = grouping;
    if (op == AggregateOp.COUNT_VALUES) {
      if (!LabelOps.validName(valueLabel)) {
        throw EvalException.exec("invalid label name \"" + valueLabel + "\"");
      }
      if (!a.without()) {
        TreeSet<String> g = new TreeSet<>(grouping);
        g.add(valueLabel);
        groupBy = new ArrayList<>(g);
      }
    }
    Map<Labels, Group> groups = new LinkedHashMap<>();
    keys.startStep();
    for (Sample s : vec) {
      Labels key;
      if (op == AggregateOp.COUNT_VALUES) {
        Labels metric = s.metric().toBuilder().set(valueLabel, Printer.number(s.v())).build();
        key = key(a, metric, groupBy);
      } else {
        key = keys.key(a, s.metric(), groupBy);
      }
      Group g = groups.get(key);
      if (g == null) {
        g = new Group(key);
        g.count = 1;
        if (TopK.applies(op)) {
          g.heap = new ValueHeap(op == AggregateOp.TOPK, k);
          g.heap.offer(s.metric(), s.v());
        } else if (op != AggregateOp.COUNT_VALUES) {
          g.samples.add(s);
        }
        groups.put(key, g);
        continue;
      }
      switch (op) {
        case COUNT_VALUES -> g.count++;
        case TOPK, BOTTOMK -> g.heap.offer(s.metric(), s.v());
        default -> g.samples.add(s); // quantile
      }
    }
    List<Sample> out = new ArrayList<>(groups.size());
    for (Group g : groups.values()) {
      double v = 0;
      switch (op) {
        case COUNT_VALUES -> v = g.count;
        case TOPK, BOTTOMK -> {
          g.heap.sort();
          for (int i = 0; i < g.heap.size(); i++) {
            out.add(new Sample(g.heap.metric(i), ts, g.heap.value(i)));
          }
          continue;
        }
        case QUANTILE -> {
          double[] vs = new double[g.samples.size()];
          for (int i = 0; i < vs.length; i++) {
            vs[i] = g.samples.get(i).v();
          }
          v = Quantiles.quantile(param, vs, vs.length);
        }
        default -> {}
      }
      out.add(new Sample(g.labels, ts, v));
    }
    return out;
  }
}
