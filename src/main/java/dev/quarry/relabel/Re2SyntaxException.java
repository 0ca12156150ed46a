package dev.quarry.relabel;

/**
 * A regex that RE2 (and so Prometheus) would refuse. The message has the same form as Go's {@code
 * regexp/syntax} errors: {@code error parsing regexp: <what>: `<where>`}, where {@code <where>} is
 * the offending piece of the expression as Go would quote it.
 */
public final class Re2SyntaxException extends IllegalArgumentException {
  private final String code;
  private final String expr;

  Re2SyntaxException(String code, String expr) {
    super("error parsing regexp: " + code + ": `" + expr + "`");
    this.code = code;
    this.expr = expr;
  }

  /** What is wrong, in Go's words (for example {@code missing closing )}). */
  public String code() {
    return code;
  }

  /** The part of the expression at fault. */
  public String expr() {
    return expr;
  }
}
