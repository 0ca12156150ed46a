package dev.quarry.promql;

import dev.quarry.model.Labels;
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
import dev.quarry.promql.Expr.VectorMatching;
import dev.quarry.promql.Expr.VectorSelector;
import dev.quarry.storage.Matcher;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Prints an expression as Prometheus 2.42's {@code String()} does (what {@code
 * /api/v1/format_query} builds on): one line, matchers sorted, {@code by (…)} before the arguments,
 * {@code [range] @ t offset d}, numbers in shortest form, durations as {@code 1h30m}.
 */
public final class Printer {
  private Printer() {}

  public static String format(Expr e) {
    if (e instanceof NumberLiteral n) {
      return literal(n.value());
    } else if (e instanceof StringLiteral s) {
      return GoQuote.quote(s.value());
    } else if (e instanceof VectorSelector v) {
      return selector(v) + at(v.at()) + offset(v.offsetMillis());
    } else if (e instanceof MatrixSelector m) {
      return selector(m.selector())
          + "["
          + duration(m.rangeMillis())
          + "]"
          + at(m.selector().at())
          + offset(m.selector().offsetMillis());
    } else if (e instanceof Subquery s) {
      return format(s.expr()) + subquerySuffix(s);
    } else if (e instanceof Aggregate a) {
      return aggregate(a);
    } else if (e instanceof Binary b) {
      return format(b.lhs())
          + " "
          + b.op()
          + (b.returnBool() ? " bool" : "")
          + matching(b.matching())
          + " "
          + format(b.rhs());
    } else if (e instanceof Call c) {
      List<String> args = new ArrayList<>();
      c.args().forEach(x -> args.add(format(x)));
      return c.func().name() + "(" + String.join(", ", args) + ")";
    } else if (e instanceof Paren p) {
      return "(" + format(p.expr()) + ")";
    }
    Unary u = (Unary) e;
    return (u.negate() ? "-" : "+") + format(u.expr());
  }

  /** {@code [range:step] @ t offset d}: what follows a subquery's inner expression. */
  static String subquerySuffix(Subquery s) {
    return "["
        + duration(s.rangeMillis())
        + ":"
        + (s.stepMillis() == 0 ? "" : duration(s.stepMillis()))
        + "]"
        + at(s.at())
        + offset(s.offsetMillis());
  }

  /** The operator and its grouping, {@code sum by (job) }, before the parenthesised arguments. */
  static String aggregatePrefix(Aggregate a) {
    StringBuilder sb = new StringBuilder(a.op().toString());
    if (a.without()) {
      sb.append(" without (").append(String.join(", ", a.grouping())).append(") ");
    } else if (!a.grouping().isEmpty()) {
      sb.append(" by (").append(String.join(", ", a.grouping())).append(") ");
    }
    return sb.toString();
  }

  private static String aggregate(Aggregate a) {
    StringBuilder sb = new StringBuilder(aggregatePrefix(a));
    sb.append('(');
    if (a.param() != null) {
      sb.append(format(a.param())).append(", ");
    }
    return sb.append(format(a.expr())).append(')').toString();
  }

  static String matching(VectorMatching m) {
    if (m == null || (m.labels().isEmpty() && !m.on())) {
      return "";
    }
    String s = " " + (m.on() ? "on" : "ignoring") + " (" + String.join(", ", m.labels()) + ")";
    if (m.card() == VectorMatching.Card.MANY_TO_ONE
        || m.card() == VectorMatching.Card.ONE_TO_MANY) {
      s +=
          " group_"
              + (m.card() == VectorMatching.Card.MANY_TO_ONE ? "left" : "right")
              + " ("
              + String.join(", ", m.include())
              + ")";
    }
    return s;
  }

  private static String selector(VectorSelector v) {
    List<String> ls = new ArrayList<>();
    for (Matcher m : v.matchers()) {
      if (m.name().equals(Labels.METRIC_NAME)
          && m.type() == Matcher.Type.EQ
          && m.value().equals(v.name())) {
        continue;
      }
      ls.add(m.name() + op(m.type()) + GoQuote.quote(m.value()));
    }
    if (ls.isEmpty()) {
      return v.name();
    }
    Collections.sort(ls);
    return v.name() + "{" + String.join(",", ls) + "}";
  }

  static String op(Matcher.Type t) {
    return switch (t) {
      case EQ -> "=";
      case NEQ -> "!=";
      case RE -> "=~";
      case NRE -> "!~";
    };
  }

  private static String at(At at) {
    if (at == null) {
      return "";
    }
    return switch (at.kind()) {
      case TIME -> " @ " + BigDecimal.valueOf(at.millis(), 3).toPlainString();
      case START -> " @ start()";
      case END -> " @ end()";
    };
  }

  private static String offset(long ms) {
    if (ms > 0) {
      return " offset " + duration(ms);
    }
    return ms < 0 ? " offset -" + duration(-ms) : "";
  }

  /**
   * A number literal as Go's {@code %v} prints it: the shortest digits, in exponent form ({@code
   * 1e+06}, {@code 1e-05}) when the decimal exponent is below -4 or 6 and above.
   */
  public static String literal(double v) {
    if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
      return number(v);
    }
    BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
    String digits = d.unscaledValue().abs().toString();
    int exp = digits.length() - 1 - d.scale();
    if (exp >= -4 && exp < 6) {
      return d.toPlainString();
    }
    StringBuilder sb = new StringBuilder(v < 0 ? "-" : "").append(digits.charAt(0));
    if (digits.length() > 1) {
      sb.append('.').append(digits, 1, digits.length());
    }
    int e = Math.abs(exp);
    return sb.append(exp < 0 ? "e-" : "e+").append(e < 10 ? "0" : "").append(e).toString();
  }

  /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}. */
  public static String number(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return 1 / v < 0 ? "-0" : "0";
    }
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }

  /** Prometheus' {@code model.Duration} text: {@code 1h30m}, {@code 90d}, {@code 0s}. */
  public static String duration(long ms) {
    if (ms == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    long[] mult = {365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1};
    String[] unit = {"y", "w", "d", "h", "m", "s", "ms"};
    for (int i = 0; i < mult.length; i++) {
      if (i < 2 && ms % mult[i] != 0) {
        continue;
      }
      long n = ms / mult[i];
      if (n > 0) {
        sb.append(n).append(unit[i]);
        ms -= n * mult[i];
      }
    }
    return sb.toString();
  }
}
