package dev.quarry.scrape;

/**
 * Where a loop reports a scrape whose fetch failed (the job's {@code scrape_failure_log_file}), as
 * Prometheus does: a connection error, a timeout, a non-2xx status or a body over the limit, but
 * not a page that failed to parse or broke a limit while being appended, nor a forced error such as
 * {@code target_limit}. Called on the append worker threads, for many targets at once:
 * implementations are thread-safe and may block briefly on I/O (never on an event loop).
 */
@FunctionalInterface
public interface ScrapeFailureLog {
  /** Logs nothing. */
  ScrapeFailureLog NONE = (target, error) -> {};

  /** Records that the scrape of {@code target} failed with {@code error}. */
  void scrapeFailed(Target target, String error);
}
