package dev.quarry.remote;

import dev.quarry.config.QueueConfig;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * When and how long a sending shard waits before retrying a batch: pure functions of the queue
 * settings, the receiver's answer and the clock reading given, no state of its own (immutable, safe
 * from any thread).
 *
 * <p>Network errors (status 0), timeouts and 5xx answers are recoverable, and 429 with {@code
 * retry_on_http_429}; every other answer drops the batch. The wait doubles from {@code min_backoff}
 * (at least 1 ms) to {@code max_backoff} (at least {@code min_backoff}); a {@code Retry-After} the
 * receiver sent, in seconds or as an HTTP date, replaces it for that one wait without changing the
 * doubling.
 */
record BackoffPolicy(long minMillis, long maxMillis, boolean retryOnHttp429) {

  static BackoffPolicy of(QueueConfig q) {
    long min = Math.max(1, q.minBackoff().toMillis());
    return new BackoffPolicy(min, Math.max(min, q.maxBackoff().toMillis()), q.retryOnHttp429());
  }

  /** The wait before the first retry. */
  long first() {
    return minMillis;
  }

  /** The wait after {@code backoff}: doubled, at most {@code max_backoff}. */
  long next(long backoff) {
    return backoff >= maxMillis / 2 ? maxMillis : Math.min(maxMillis, backoff * 2);
  }

  /** Whether an answer with {@code status} (0: none) is retried. */
  boolean recoverable(int status) {
    return status == 0 || status / 100 == 5 || (status == 429 && retryOnHttp429);
  }

  /** How long to sleep now: the receiver's {@code Retry-After} if usable, else {@code backoff}. */
  static long sleepMillis(long backoff, String retryAfter, long nowMillis) {
    long ra = retryAfterMillis(retryAfter, nowMillis);
    return ra >= 0 ? ra : backoff;
  }

  /** {@code Retry-After} in seconds or as an HTTP date, in milliseconds; -1 when absent or bad. */
  static long retryAfterMillis(String header) {
    return retryAfterMillis(header, System.currentTimeMillis());
  }

  /**
   * {@code Retry-After} in seconds or as an HTTP date (counted from {@code nowMillis}), in
   * milliseconds, never negative; -1 when absent or unreadable.
   */
  static long retryAfterMillis(String header, long nowMillis) {
    if (header == null || header.isBlank()) {
      return -1;
    }
    String h = header.trim();
    try {
      return Math.max(0, Long.parseLong(h)) * 1000;
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME);
        return Math.max(0, at.toInstant().toEpochMilli() - nowMillis);
      } catch (RuntimeException e2) {
        return -1;
      }
    }
  }
}
