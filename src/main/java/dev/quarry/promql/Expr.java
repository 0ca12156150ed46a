package dev.quarry.promql;

import dev.quarry.storage.Matcher;
import java.util.List;

/**
 * A node of a parsed PromQL expression (Prometheus' {@code parser.Expr}). Nodes are immutable
 * records; {@code pos} is the offset of the node's first character in the query, for errors. {@link
 * #toString()} prints the expression as Prometheus' {@code String()} does.
 */
public sealed interface Expr {
  /** The type of the value this expression evaluates to. */
  ValueType type();

  int pos();

  /** The {@code @} modifier: a fixed time in milliseconds, or the query's start or end. */
  record At(Kind kind, long millis) {
    public enum Kind {
      TIME,
      START,
      END
    }
  }

  /** A number: {@code 1}, {@code 0x1f}, {@code 1e3}, {@code Inf}, {@code NaN}. */
  record NumberLiteral(double value, int pos) implements Expr {
    @Override
    public ValueType type() {
      return ValueType.SCALAR;
    }

    @Override
    public String toString() {
      return Printer.format(this);
    }
  }

  /** A string: {@code "a"}, {@code 'a'}, {@code `a`}. */
  record StringLiteral(String value, int pos) implements Expr {
    @Override
    public ValueType type() {
      return ValueType.STRING;
    }

    @Override
    public String toString() {
      return Printer.format(this);
    }
  }

  /**
   * An instant vector selector. {@code name} is "" without a metric name; {@code matchers} include
   * the name's matcher (last) when there is one. {@code at} is null without {@code @}.
   */
  record VectorSelector(String name, List<Matcher> matchers, long offsetMillis, At at, int pos)
      implements Expr {
    @Override
    public ValueType type() {
      return ValueType.VECTOR;
    }

    VectorSelector withOffset(long offset) {
      return new VectorSelector(name, matchers, offset, at, pos);
    }

    VectorSelector withAt(At a) {
      return new VectorSelector(name, matchers, offsetMillis, a, pos);
    }

    @Override
    public String toString() {
      return Printer.format(this);
    }
  }

  /** A range vector selector: {@code vs[range]}; offset and {@code @} live on the selector. */
  record MatrixSelector(VectorSelector selector, long rangeMillis, int pos) implements Expr {
    @Override
    public ValueType type() {
      return ValueType.MATRIX;
    }

    @Override
    public String toString() {
      return Printer.format(this);
    }
  }

  /** A subquery: {@code expr[range:step]}, {@code stepMillis} 0 for the default step. */
  record Subquery(Expr expr, long rangeMillis, long stepMillis, long offsetMillis, At at, int pos)
      implements Expr {
    @Override
    public ValueType type() {
      return ValueType.MATRIX;
    }

    @Override
    public String toString() {
      return Printer.format(this);
    }
  }

  /** An aggregation; {@code param} is null for operators without one. */
  record Aggregate(
      AggregateOp op, Expr expr, Expr param, List<String> grouping, boolean without, int pos)
      implements Expr {
    @Override
    public ValueType type() {
      return ValueType.VECTOR;
    }

    @Override
    public String toString() {
      return Printer.format(this);
    }
  }

  /**
   * How the two sides of a binary operation between vectors match: on or ignoring the labels, and
   * which side may have many series per match, with the extra labels copied from the one.
   */
  record VectorMatching(Card card, List<String> labels, boolean on, List<String> include) {
    public enum Card {
      ONE_TO_ONE,
      MANY_TO_ONE,
      ONE_TO_MANY,
      MANY_TO_MANY
    }
  }

  /** A binary operation; {@code matching} is null unless both sides are vectors. */
  record Binary(
      BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool, int opPos)
      implements Expr {
    @Override
    public ValueType type() {
      return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR
          ? ValueType.SCALAR
          : ValueType.VECTOR;
    }

    @Override
    public int pos() {
      return lhs.pos();
    }

    @Override
    public String toString() {
      return Printer.format(this);
    }
  }

  /** A function call. */
  record Call(Function func, List<Expr> args, int pos) implements Expr {
    @Override
    public ValueType type() {
      return func.returns();
    }

    @Override
    public String toString() {
      return Printer.format(this);
    }
  }

  /** Parentheses. */
  record Paren(Expr expr, int pos) implements Expr {
    @Override
    public ValueType type() {
      return expr.type();
    }

    @Override
    public String toString() {
      return Printer.format(this);
    }
  }

  /** Unary minus (or plus) of a non-literal. */
  record Unary(boolean negate, Expr expr, int pos) implements Expr {
    @Override
    public ValueType type() {
      return expr.type();
    }

    @Override
    public String toString() {
      return Printer.format(this);
    }
  }
}
