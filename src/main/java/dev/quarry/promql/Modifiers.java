package dev.quarry.promql;

import dev.quarry.promql.Expr.At;
import dev.quarry.promql.Expr.MatrixSelector;
import dev.quarry.promql.Expr.Subquery;
import dev.quarry.promql.Expr.VectorSelector;
import java.math.BigDecimal;
import java.util.function.BiFunction;

/** Sets {@code offset} and {@code @} on the nodes that take them, with Prometheus' errors. */
final class Modifiers {
  private Modifiers() {}

  static Expr offset(Expr e, long off, BiFunction<Integer, String, ParseException> fail) {
    String multiple = "offset may not be set multiple times";
    if (e instanceof VectorSelector vs) {
      if (vs.offsetMillis() != 0) {
        throw fail.apply(e.pos(), multiple);
      }
      return vs.withOffset(off);
    } else if (e instanceof MatrixSelector ms) {
      if (ms.selector().offsetMillis() != 0) {
        throw fail.apply(e.pos(), multiple);
      }
      return new MatrixSelector(ms.selector().withOffset(off), ms.rangeMillis(), ms.pos());
    } else if (e instanceof Subquery sq) {
      if (sq.offsetMillis() != 0) {
        throw fail.apply(e.pos(), multiple);
      }
      return new Subquery(sq.expr(), sq.rangeMillis(), sq.stepMillis(), off, sq.at(), sq.pos());
    }
    throw fail.apply(
        e.pos(),
        "offset modifier must be preceded by an instant vector selector or"
            + " range vector selector or a subquery");
  }

  /** The {@code @} time of {@code e}, in seconds as written. */
  static At atTime(Expr e, double ts, BiFunction<Integer, String, ParseException> fail) {
    if (Double.isNaN(ts)
        || Double.isInfinite(ts)
        || ts >= (double) Long.MAX_VALUE
        || ts <= (double) Long.MIN_VALUE) {
      String shown =
          Double.isNaN(ts)
              ? "NaN"
              : Double.isInfinite(ts)
                  ? (ts > 0 ? "+Inf" : "-Inf")
                  : new BigDecimal(ts).setScale(6).toPlainString();
      throw fail.apply(e.pos(), "timestamp out of bounds for @ modifier: " + shown);
    }
    return new At(At.Kind.TIME, Math.round(ts * 1000));
  }

  static Expr at(Expr e, At at, BiFunction<Integer, String, ParseException> fail) {
    String multiple = "@ <timestamp> may not be set multiple times";
    if (e instanceof VectorSelector vs) {
      if (vs.at() != null) {
        throw fail.apply(e.pos(), multiple);
      }
      return vs.withAt(at);
    } else if (e instanceof MatrixSelector ms) {
      if (ms.selector().at() != null) {
        throw fail.apply(e.pos(), multiple);
      }
      return new MatrixSelector(ms.selector().withAt(at), ms.rangeMillis(), ms.pos());
    } else if (e instanceof Subquery sq) {
      if (sq.at() != null) {
        throw fail.apply(e.pos(), multiple);
      }
      return new Subquery(
          sq.expr(), sq.rangeMillis(), sq.stepMillis(), sq.offsetMillis(), at, sq.pos());
    }
    throw fail.apply(
        e.pos(),
        "@ modifier must be preceded by an instant vector selector or range"
            + " vector selector or a subquery");
  }
}
