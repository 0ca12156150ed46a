package dev.quarry.promql.engine;

import dev.quarry.model.Labels;
import dev.quarry.promql.Expr;
import dev.quarry.promql.Expr.Aggregate;
import dev.quarry.promql.Expr.At;
import dev.quarry.promql.Expr.Binary;
import dev.quarry.promql.Expr.Call;
import dev.quarry.promql.Expr.MatrixSelector;
import dev.quarry.promql.Expr.NumberLiteral;
import dev.quarry.promql.Expr.Paren;
import dev.quarry.promql.Expr.StringLiteral;
import dev.quarry.promql.Expr.Subquery;
import dev.quarry.promql.Expr.Unary;
import dev.quarry.promql.Expr.VectorSelector;
import dev.quarry.promql.ValueType;
import dev.quarry.storage.Queryable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates an expression at every step of {@code [start, end]} as Prometheus 2.42's evaluator
 * does: each node yields a matrix with a point per step where it has a value (a string literal
 * yields its string); operators and functions run step by step over their arguments' vectors at
 * that step ({@link #rangeEval}). Subqueries evaluate with their own steps, aligned to multiples of
 * the step. One evaluator (and its children for subqueries) per query, on one thread.
 */
final class Evaluator {
  /** Prometheus' default evaluation interval: the step of a subquery that names none. */
  static final long DEFAULT_SUBQUERY_STEP = 60_000;

  final Queryable store;
  final long start;
  final long end;
  final long interval;
  final long lookback;
  final Budget budget;
  private final long queryStart;
  private final long queryEnd;

  Evaluator(Queryable store, long start, long end, long interval, long lookback, Budget budget) {
    this(store, start, end, interval, lookback, budget, start, end);
  }

  private Evaluator(
      Queryable store,
      long start,
      long end,
      long interval,
      long lookback,
      Budget budget,
      long queryStart,
      long queryEnd) {
    this.store = store;
    this.start = start;
    this.end = end;
    this.interval = interval;
    this.lookback = lookback;
    this.budget = budget;
    this.queryStart = queryStart;
    this.queryEnd = queryEnd;
  }

  /** One step function: the result vector at {@code ts} from the arguments' vectors. */
  @FunctionalInterface
  interface StepFn {
    List<Sample> apply(List<List<Sample>> args, long ts);
  }

  int steps() {
    return (int) ((end - start) / interval) + 1;
  }

  /** The time of an {@code @} modifier, or null without one. */
  Long atTime(At at) {
    if (at == null) {
      return null;
    }
    return switch (at.kind()) {
      case TIME -> at.millis();
      case START -> queryStart;
      case END -> queryEnd;
    };
  }

  /** A matrix, or a string for a string literal. */
  Object eval(Expr e) {
    budget.check();
    if (e instanceof NumberLiteral n) {
      double v = n.value();
      return rangeEval((args, ts) -> List.of(new Sample(Labels.EMPTY, ts, v)));
    } else if (e instanceof StringLiteral s) {
      return s.value();
    } else if (e instanceof Paren p) {
      return eval(p.expr());
    } else if (e instanceof Unary u) {
      List<Series> m = matrix(u.expr());
      if (!u.negate()) {
        return m;
      }
      List<Series> out = new ArrayList<>(m.size());
      for (Series s : m) {
        Series c = s.relabel(LabelOps.dropName(s.metric()));
        c.negate();
        out.add(c);
      }
      checkDistinct(out);
      return out;
    } else if (e instanceof VectorSelector vs) {
      return Selectors.instant(this, vs, false);
    } else if (e instanceof MatrixSelector ms) {
      return Selectors.rangeMatrix(this, ms);
    } else if (e instanceof Subquery sq) {
      return subquery(sq);
    } else if (e instanceof Call c) {
      return Calls.eval(this, c);
    } else if (e instanceof Aggregate a) {
      return Aggregations.eval(this, a);
    }
    return BinaryOps.eval(this, (Binary) e);
  }

  @SuppressWarnings("unchecked")
  List<Series> matrix(Expr e) {
    return (List<Series>) eval(e);
  }

  /** The matrix of a subquery: its expression evaluated at its own aligned steps. */
  List<Series> subquery(Subquery sq) {
    long step = sq.stepMillis() != 0 ? sq.stepMillis() : DEFAULT_SUBQUERY_STEP;
    Long at = atTime(sq.at());
    long outerStart = at != null ? at : start;
    long outerEnd = at != null ? at : end;
    long first = outerStart - sq.offsetMillis() - sq.rangeMillis();
    long newStart = step * (first / step);
    if (newStart < first) {
      newStart += step;
    }
    Evaluator sub =
        new Evaluator(
            store,
            newStart,
            outerEnd - sq.offsetMillis(),
            step,
            lookback,
            budget,
            queryStart,
            queryEnd);
    return sub.matrix(sq.expr());
  }

  /**
   * Evaluates {@code exprs} (null or string-typed ones are skipped and passed as empty vectors) and
   * calls {@code fn} at each step with their vectors at that step; the results become the output
   * series. An instant evaluation keeps {@code fn}'s order (for sort and topk).
   */
  List<Series> rangeEval(StepFn fn, Expr... exprs) {
    long orig = budget.current();
    List<List<Series>> mats = new ArrayList<>(exprs.length);
    for (Expr x : exprs) {
      mats.add(x == null || x.type() == ValueType.STRING ? List.of() : matrix(x));
    }
    int[][] cursors = new int[exprs.length][];
    for (int i = 0; i < exprs.length; i++) {
      cursors[i] = new int[mats.get(i).size()];
    }
    Map<Labels, Series> out = new LinkedHashMap<>();
    List<List<Sample>> args = new ArrayList<>(exprs.length);
    long total = 0;
    for (long ts = start; ts <= end; ts += interval) {
      budget.check();
      args.clear();
      for (int i = 0; i < exprs.length; i++) {
        List<Series> m = mats.get(i);
        List<Sample> vec = new ArrayList<>(m.size());
        for (int k = 0; k < m.size(); k++) {
          Series s = m.get(k);
          int c = cursors[i][k];
          if (c < s.size() && s.t(c) == ts) {
            vec.add(new Sample(s.metric(), ts, s.v(c), s.h(c)));
            cursors[i][k] = c + 1;
          }
        }
        args.add(vec);
      }
      List<Sample> res = fn.apply(args, ts);
      checkDistinctSamples(res);
      if (start == end) {
        List<Series> one = new ArrayList<>(res.size());
        for (Sample s : res) {
          Series x = new Series(s.metric(), 1);
          x.add(ts, s.v(), s.h());
          one.add(x);
        }
        budget.reset(orig);
        budget.add(one.size());
        return one;
      }
      for (Sample s : res) {
        out.computeIfAbsent(s.metric(), l -> new Series(l, steps())).add(ts, s.v(), s.h());
      }
      total += res.size();
      budget.add(res.size());
    }
    budget.reset(orig);
    budget.add(total);
    return new ArrayList<>(out.values());
  }

  static void checkDistinctSamples(List<Sample> v) {
    if (v.size() < 2) {
      return;
    }
    Set<Labels> seen = new HashSet<>();
    for (Sample s : v) {
      if (!seen.add(s.metric())) {
        throw EvalException.exec("vector cannot contain metrics with the same labelset");
      }
    }
  }

  static void checkDistinct(List<Series> m) {
    if (m.size() < 2) {
      return;
    }
    Set<Labels> seen = new HashSet<>();
    for (Series s : m) {
      if (!seen.add(s.metric())) {
        throw EvalException.exec("vector cannot contain metrics with the same labelset");
      }
    }
  }

  /** {@code e} without enclosing parentheses. */
  static Expr unwrap(Expr e) {
    while (e instanceof Paren p) {
      e = p.expr();
    }
    return e;
  }
}
