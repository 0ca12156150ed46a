package dev.quarry.scrape;

/**
 * The scrape engine's time: wall-clock milliseconds for timestamps and tick alignment, a monotonic
 * nanosecond count for durations and rate limits. The seam through which tests advance time by
 * hand. Implementations are thread-safe.
 */
public interface Clock {
  /** Milliseconds since the epoch, as sample timestamps are. */
  long millis();

  /** A monotonic count of nanoseconds, only meaningful as a difference. */
  long nanos();

  /** The system's clocks ({@link System#currentTimeMillis}, {@link System#nanoTime}). */
  static Clock system() {
    return SystemClock.INSTANCE;
  }

  /** The system clocks. */
  enum SystemClock implements Clock {
    INSTANCE;

    @Override
    public long millis() {
      return System.currentTimeMillis();
    }

    @Override
    public long nanos() {
      return System.nanoTime();
    }
  }
}
