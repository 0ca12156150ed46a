package dev.quarry.promql.engine;

import dev.quarry.model.FloatHistogram;
import dev.quarry.model.FloatHistograms;
import dev.quarry.model.Labels;
import dev.quarry.promql.BinaryOp;
import dev.quarry.promql.Expr.Binary;
import dev.quarry.promql.Expr.VectorMatching;
import dev.quarry.promql.Expr.VectorMatching.Card;
import dev.quarry.promql.ValueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binary operators as Prometheus 2.42: arithmetic drops the metric name (atan2 keeps it), a
 * comparison filters unless {@code bool} turns it into 0/1 (which drops the name), vector matching
 * one-to-one or many-to-one/one-to-many with {@code group_x} labels copied from the one side, and
 * its errors; {@code and}, {@code or}, {@code unless} match on all labels but the name unless told
 * otherwise.
 */
final class BinaryOps {
  private BinaryOps() {}

  private static final VectorMatching DEFAULT_SET =
      new VectorMatching(Card.MANY_TO_MANY, List.of(), false, List.of());

  static List<Series> eval(Evaluator ev, Binary b) {
    ValueType lt = b.lhs().type();
    ValueType rt = b.rhs().type();
    BinaryOp op = b.op();
    if (lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
      return ev.rangeEval(
          (a, ts) -> {
            double l = a.get(0).get(0).v();
            double r = a.get(1).get(0).v();
            double v = op.isComparison() ? (compare(op, l, r) ? 1 : 0) : arith(op, l, r);
            return List.of(new Sample(Labels.EMPTY, ts, v));
          },
          b.lhs(),
          b.rhs());
    }
    if (lt == ValueType.VECTOR && rt == ValueType.VECTOR) {
      VectorMatching m = b.matching() != null ? b.matching() : DEFAULT_SET;
      return ev.rangeEval(
          (a, ts) ->
              switch (op) {
                case AND -> and(a.get(0), a.get(1), m, true);
                case UNLESS -> and(a.get(0), a.get(1), m, false);
                case OR -> or(a.get(0), a.get(1), m);
                default -> vectorBinop(op, a.get(0), a.get(1), m, b.returnBool(), ts);
              },
          b.lhs(),
          b.rhs());
    }
    boolean swap = lt == ValueType.SCALAR;
    return ev.rangeEval(
        (a, ts) -> {
          List<Sample> vec = a.get(swap ? 1 : 0);
          double scalar = a.get(swap ? 0 : 1).get(0).v();
          List<Sample> out = new ArrayList<>(vec.size());
          for (Sample s : vec) {
            double l = swap ? scalar : s.v();
            double r = swap ? s.v() : scalar;
            double v;
            boolean keep = true;
            if (op.isComparison()) {
              keep = compare(op, l, r);
              v = s.v();
            } else {
              v = arith(op, l, r);
            }
            if (b.returnBool()) {
              v = keep ? 1 : 0;
              keep = true;
            }
            if (keep) {
              Labels metric =
                  dropsName(op) || b.returnBool() ? LabelOps.dropName(s.metric()) : s.metric();
              // 2.42 copies the vector's sample: a histogram passes unchanged, bool or not.
              out.add(new Sample(metric, ts, v, s.h()));
            }
          }
          return out;
        },
        b.lhs(),
        b.rhs());
  }

  static boolean dropsName(BinaryOp op) {
    return switch (op) {
      case ADD, SUB, MUL, DIV, POW, MOD -> true;
      default -> false;
    };
  }

  static double arith(BinaryOp op, double l, double r) {
    return switch (op) {
      case ADD -> l + r;
      case SUB -> l - r;
      case MUL -> l * r;
      case DIV -> l / r;
      case MOD -> l % r;
      case POW -> GoMath.pow(l, r);
      case ATAN2 -> Math.atan2(l, r);
      default -> throw new IllegalStateException(op.toString());
    };
  }

  static boolean compare(BinaryOp op, double l, double r) {
    return switch (op) {
      case EQLC -> l == r;
      case NEQ -> l != r;
      case GTR -> l > r;
      case LSS -> l < r;
      case GTE -> l >= r;
      case LTE -> l <= r;
      default -> throw new IllegalStateException(op.toString());
    };
  }

  private static Labels sig(Labels l, VectorMatching m) {
    return LabelOps.signature(l, m.on(), m.labels());
  }

  private static List<Sample> and(
      List<Sample> lhs, List<Sample> rhs, VectorMatching m, boolean keepMatched) {
    if (lhs.isEmpty() || rhs.isEmpty()) {
      return keepMatched ? List.of() : lhs;
    }
    Set<Labels> right = new HashSet<>();
    for (Sample s : rhs) {
      right.add(sig(s.metric(), m));
    }
    List<Sample> out = new ArrayList<>();
    for (Sample s : lhs) {
      if (right.contains(sig(s.metric(), m)) == keepMatched) {
        out.add(s);
      }
    }
    return out;
  }

  private static List<Sample> or(List<Sample> lhs, List<Sample> rhs, VectorMatching m) {
    if (lhs.isEmpty() || rhs.isEmpty()) {
      List<Sample> out = new ArrayList<>(lhs);
      out.addAll(rhs);
      return out;
    }
    Set<Labels> left = new HashSet<>();
    List<Sample> out = new ArrayList<>(lhs);
    for (Sample s : lhs) {
      left.add(sig(s.metric(), m));
    }
    for (Sample s : rhs) {
      if (!left.contains(sig(s.metric(), m))) {
        out.add(s);
      }
    }
    return out;
  }

  private static List<Sample> vectorBinop(
      BinaryOp op,
      List<Sample> lhs,
      List<Sample> rhs,
      VectorMatching m,
      boolean returnBool,
      long ts) {
    if (lhs.isEmpty() || rhs.isEmpty()) {
      return List.of();
    }
    boolean oneToMany = m.card() == Card.ONE_TO_MANY;
    if (oneToMany) {
      List<Sample> t = lhs;
      lhs = rhs;
      rhs = t;
    }
    Map<Labels, Sample> right = new HashMap<>();
    for (Sample rs : rhs) {
      Labels sig = sig(rs.metric(), m);
      Sample dup = right.putIfAbsent(sig, rs);
      if (dup != null) {
        Labels matched =
            m.on()
                ? LabelOps.keep(rs.metric(), m.labels())
                : LabelOps.without(rs.metric(), m.labels());
        throw EvalException.exec(
            "found duplicate series for the match group "
                + matched
                + " on the "
                + (oneToMany ? "left" : "right")
                + " hand-side of the operation: ["
                + rs.metric()
                + ", "
                + dup.metric()
                + "];many-to-many matching not allowed:"
                + " matching labels must be unique on one side");
      }
    }
    Map<Labels, Set<Labels>> matched = new HashMap<>();
    List<Sample> out = new ArrayList<>();
    for (Sample ls : lhs) {
      Labels sig = sig(ls.metric(), m);
      Sample rs = right.get(sig);
      if (rs == null) {
        continue;
      }
      double vl = oneToMany ? rs.v() : ls.v();
      double vr = oneToMany ? ls.v() : rs.v();
      double v;
      boolean keep = true;
      if (op.isComparison()) {
        keep = compare(op, vl, vr);
        v = vl;
      } else {
        v = arith(op, vl, vr);
      }
      if (returnBool) {
        v = keep ? 1 : 0;
      } else if (!keep) {
        continue;
      }
      Labels metric = resultMetric(ls.metric(), rs.metric(), op, m);
      if (returnBool) {
        metric = LabelOps.dropName(metric);
      }
      if (m.card() == Card.ONE_TO_ONE) {
        if (matched.containsKey(sig)) {
          throw EvalException.exec(
              "multiple matches for labels: many-to-one matching must be"
                  + " explicit (group_left/group_right)");
        }
        matched.put(sig, null);
      } else if (!matched.computeIfAbsent(sig, x -> new HashSet<>()).add(metric)) {
        throw EvalException.exec(
            "multiple matches for labels: grouping labels must" + " ensure unique matches");
      }
      FloatHistogram hl = oneToMany ? rs.h() : ls.h();
      FloatHistogram hr = oneToMany ? ls.h() : rs.h();
      // 2.42 adds two histograms; any other operation sees them as 0 and yields a float.
      FloatHistogram h =
          op == BinaryOp.ADD && hl != null && hr != null ? FloatHistograms.add(hl, hr) : null;
      out.add(new Sample(metric, ts, h != null ? 0 : v, h));
    }
    return out;
  }

  private static Labels resultMetric(Labels lhs, Labels rhs, BinaryOp op, VectorMatching m) {
    Labels.Builder b = lhs.toBuilder();
    if (dropsName(op)) {
      b.del(Labels.METRIC_NAME);
    }
    if (m.card() == Card.ONE_TO_ONE) {
      if (m.on()) {
        b.removeIf(n -> !m.labels().contains(n));
      } else {
        b.removeIf(n -> m.labels().contains(n));
      }
    }
    for (String ln : m.include()) {
      b.set(ln, rhs.get(ln));
    }
    return b.build();
  }
}
