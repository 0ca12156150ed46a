package dev.quarry.promql;

import dev.quarry.storage.Matcher;
import java.util.List;

/** Entry points of the PromQL parser (Prometheus 2.42's language). Stateless, thread-safe. */
public final class PromQL {
  private PromQL() {}

  /**
   * Parses and type-checks an expression.
   *
   * @throws ParseException with Prometheus' message and position when it is not valid PromQL
   */
  public static Expr parse(String query) {
    Expr e = new Parser(query).parseQuery();
    new Checker(query).check(e);
    return e;
  }

  /**
   * Parses a series selector as {@code match[]} takes it ({@code up{job="a"}}): an instant vector
   * selector only, its matchers returned.
   */
  public static List<Matcher> parseMetricSelector(String selector) {
    Expr e = parse(selector);
    if (e instanceof Expr.VectorSelector vs && vs.offsetMillis() == 0 && vs.at() == null) {
      return vs.matchers();
    }
    throw new ParseException(
        selector, 0, "expected type instant vector in selector, got " + e.type().documented());
  }

  /** Formats an expression as Prometheus' {@code String()}: the same as {@code e.toString()}. */
  public static String format(Expr e) {
    return Printer.format(e);
  }
}
