package dev.quarry.scrape;

/**
 * A failed scrape with the message the targets API and logs show, worded like Prometheus' (for
 * example {@code server returned HTTP status 404 Not Found}).
 */
public final class ScrapeException extends Exception {
  /** Prometheus' wording when a body exceeds {@code body_size_limit}. */
  public static final String BODY_SIZE_LIMIT = "body size limit exceeded";

  private final boolean bodyLimitExceeded;

  public ScrapeException(String message) {
    this(message, false);
  }

  private ScrapeException(String message, boolean bodyLimitExceeded) {
    super(message, null, false, false);
    this.bodyLimitExceeded = bodyLimitExceeded;
  }

  /** The failure for a body larger than {@code body_size_limit}. */
  public static ScrapeException bodySizeLimit() {
    return new ScrapeException(BODY_SIZE_LIMIT, true);
  }

  /**
   * The failure for a body that does not fit although no {@code body_size_limit} stopped it (the
   * most a scrape may buffer, or the heap); {@code detail} names the target.
   */
  public static ScrapeException bodySizeLimit(String detail) {
    return new ScrapeException(BODY_SIZE_LIMIT + ": " + detail, true);
  }

  /** True when the body exceeded a limit ({@code scrape_body_size_bytes} is then -1). */
  public boolean bodyLimitExceeded() {
    return bodyLimitExceeded;
  }
}
