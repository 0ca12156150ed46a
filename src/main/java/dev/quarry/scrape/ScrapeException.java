package dev.quarry.scrape;

/**
 * A failed scrape with the message the targets API and logs show, worded like Prometheus' (for
 * example {@code server returned HTTP status 404 Not Found}), and why it failed.
 */
public final class ScrapeException extends Exception {
  /** Prometheus' wording when a body exceeds {@code body_size_limit}. */
  public static final String BODY_SIZE_LIMIT = "body size limit exceeded";

  private final ScrapeFailure reason;

  /** A page that could not be fetched ({@link ScrapeFailure#SCRAPE}). */
  public ScrapeException(String message) {
    this(message, ScrapeFailure.SCRAPE);
  }

  public ScrapeException(String message, ScrapeFailure reason) {
    super(message, null, false, false);
    this.reason = reason;
  }

  /** The failure for a body larger than {@code body_size_limit}. */
  public static ScrapeException bodySizeLimit() {
    return new ScrapeException(BODY_SIZE_LIMIT, ScrapeFailure.BODY_SIZE_LIMIT);
  }

  /**
   * The failure for a body that does not fit although no {@code body_size_limit} stopped it (the
   * most a scrape may buffer, or the heap); {@code detail} names the target.
   */
  public static ScrapeException bodySizeLimit(String detail) {
    return new ScrapeException(BODY_SIZE_LIMIT + ": " + detail, ScrapeFailure.BODY_SIZE_LIMIT);
  }

  public ScrapeFailure reason() {
    return reason;
  }

  /** True when the body exceeded a limit ({@code scrape_body_size_bytes} is then -1). */
  public boolean bodyLimitExceeded() {
    return reason == ScrapeFailure.BODY_SIZE_LIMIT;
  }
}
