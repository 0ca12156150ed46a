package dev.quarry.promql;

import java.util.Locale;

/** PromQL's binary operators with their precedence (higher binds tighter) and associativity. */
public enum BinaryOp {
  OR("or", 1),
  AND("and", 2),
  UNLESS("unless", 2),
  EQLC("==", 3),
  NEQ("!=", 3),
  LTE("<=", 3),
  LSS("<", 3),
  GTE(">=", 3),
  GTR(">", 3),
  ADD("+", 4),
  SUB("-", 4),
  MUL("*", 5),
  DIV("/", 5),
  MOD("%", 5),
  ATAN2("atan2", 5),
  POW("^", 6);

  private final String text;
  private final int precedence;

  BinaryOp(String text, int precedence) {
    this.text = text;
    this.precedence = precedence;
  }

  public int precedence() {
    return precedence;
  }

  public boolean rightAssociative() {
    return this == POW;
  }

  public boolean isComparison() {
    return precedence == 3;
  }

  public boolean isSetOperator() {
    return this == AND || this == OR || this == UNLESS;
  }

  /** The operator of a token text ({@code +}, {@code and}, {@code AND}), or null. */
  static BinaryOp of(String text) {
    String t = text.toLowerCase(Locale.ROOT);
    for (BinaryOp op : values()) {
      if (op.text.equals(t)) {
        return op;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return text;
  }
}
