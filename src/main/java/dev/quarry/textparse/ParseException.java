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
  private final boolean sampleRead;

  public ParseException(String reason, int line, int byteOffset, String excerpt) {
    this(reason, line, byteOffset, excerpt, false);
  }

  /**
   * {@code sampleRead}: the failing sample's line was read whole, and Prometheus, which finds this
   * fault only when it appends the sample, counts it in {@code scrape_samples_scraped}.
   */
  public ParseException(
      String reason, int line, int byteOffset, String excerpt, boolean sampleRead) {
    super("line " + line + " (byte " + byteOffset + "): " + reason + ": " + excerpt);
    this.reason = reason;
    this.line = line;
    this.byteOffset = byteOffset;
    this.sampleRead = sampleRead;
  }

  /**
   * An error in a binary body, which has no lines: the message is {@code byte N: reason}, N the
   * offset from the start of the body, and {@link #line()} is 0.
   */
  public static ParseException atByte(String reason, int byteOffset) {
    return new ParseException(reason, byteOffset);
  }

  private ParseException(String reason, int byteOffset) {
    super("byte " + byteOffset + ": " + reason);
    this.reason = reason;
    this.line = 0;
    this.byteOffset = byteOffset;
    this.sampleRead = false;
  }

  /** Whether the failing sample was read whole (a label name given twice); see the constructor. */
  public boolean sampleRead() {
    return sampleRead;
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
