package dev.quarry.textparse;

/**
 * A malformed exposition body. The message names the 1-based line, the byte offset from the start
 * of the body and a short quoted excerpt of the offending line, for example {@code line 12 (byte
 * 3456): expected value after metric, got "\n": "http_requests_total{code=\"200\"} "}.
 */
public final class ParseException extends Exception {
  private final int line;
  private final int byteOffset;
  private final String reason;

  public ParseException(String reason, int line, int byteOffset, String excerpt) {
    super("line " + line + " (byte " + byteOffset + "): " + reason + ": " + excerpt);
    this.reason = reason;
    this.line = line;
    this.byteOffset = byteOffset;
  }

  /** The 1-based line of the error. */
  public int line() {
    return line;
  }

  /** The offset of the error in bytes from the start of the body. */
  public int byteOffset() {
    return byteOffset;
  }

  /** The message without the position and excerpt. */
  public String reason() {
    return reason;
  }
}
