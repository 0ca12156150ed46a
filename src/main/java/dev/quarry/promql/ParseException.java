package dev.quarry.promql;

/**
 * A query that does not parse or type-check. The message is Prometheus' wording with the line and
 * column of the fault: {@code 1:5: parse error: unexpected <op:+>}.
 */
public final class ParseException extends RuntimeException {
  private final int pos;

  ParseException(String query, int pos, String message) {
    super(position(query, pos) + " parse error: " + message);
    this.pos = pos;
  }

  /** The offset in the query where the error was found. */
  public int pos() {
    return pos;
  }

  private static String position(String query, int pos) {
    if (pos < 0 || pos > query.length()) {
      return "invalid position:";
    }
    int line = 1;
    int lastBreak = -1;
    for (int i = 0; i < pos; i++) {
      if (query.charAt(i) == '\n') {
        line++;
        lastBreak = i;
      }
    }
    return line + ":" + (pos - lastBreak) + ":";
  }
}
