package dev.quarry.promql;

import dev.quarry.promql.Expr.Aggregate;
import dev.quarry.promql.Expr.Binary;
import dev.quarry.promql.Expr.Call;
import dev.quarry.promql.Expr.Paren;
import dev.quarry.promql.Expr.Subquery;
import dev.quarry.promql.Expr.Unary;
import java.nio.charset.StandardCharsets;

/**
 * Prints an expression as Prometheus 2.42's {@code Pretty(0)} does (the answer of {@code
 * /api/v1/format_query}): a node whose one-line form ({@link Printer}) fits in 100 bytes stays on
 * one line, indented two spaces per depth; a longer aggregation, call or parenthesis puts its
 * arguments on their own lines, a longer binary expression puts each operand on its own lines with
 * the operator between them. Stateless, thread-safe.
 */
public final class Prettier {
  private static final int MAX_LINE = 100;

  private Prettier() {}

  public static String format(Expr e) {
    return pretty(e, 0);
  }

  private static String pretty(Expr e, int level) {
    String flat = Printer.format(e);
    boolean split = flat.getBytes(StandardCharsets.UTF_8).length > MAX_LINE;
    if (e instanceof Subquery s) {
      // Prometheus indents a subquery only through its inner expression.
      return split ? pretty(s.expr(), level) + Printer.subquerySuffix(s) : flat;
    }
    if (e instanceof Unary u) {
      return indent(level) + (u.negate() ? "-" : "+") + pretty(u.expr(), level).strip();
    }
    String in = indent(level);
    if (!split) {
      return in + flat;
    }
    if (e instanceof Aggregate a) {
      StringBuilder sb = new StringBuilder(in).append(Printer.aggregatePrefix(a)).append("(\n");
      if (a.param() != null) {
        sb.append(pretty(a.param(), level + 1)).append(",\n");
      }
      return sb.append(pretty(a.expr(), level + 1)).append('\n').append(in).append(')').toString();
    } else if (e instanceof Binary b) {
      return pretty(b.lhs(), level + 1)
          + "\n"
          + in
          + b.op()
          + (b.returnBool() ? " bool" : "")
          + Printer.matching(b.matching())
          + "\n"
          + pretty(b.rhs(), level + 1);
    } else if (e instanceof Call c) {
      StringBuilder sb = new StringBuilder(in).append(c.func().name()).append("(\n");
      for (int i = 0; i < c.args().size(); i++) {
        sb.append(i == 0 ? "" : ",\n").append(pretty(c.args().get(i), level + 1));
      }
      return sb.append('\n').append(in).append(')').toString();
    } else if (e instanceof Paren p) {
      return in + "(\n" + pretty(p.expr(), level + 1) + "\n" + in + ")";
    }
    return in + flat;
  }

  private static String indent(int level) {
    return "  ".repeat(level);
  }
}
