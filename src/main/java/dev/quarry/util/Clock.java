package dev.quarry.util;

import java.util.concurrent.locks.Condition;

/**
 * The time Quarry's engines run on: wall-clock milliseconds (sample timestamps, tick alignment,
 * back-off and {@code Retry-After}, sample age, resharding and backlog checks), a monotonic
 * nanosecond count (durations, rate limits, batch deadlines), sleeping (a remote queue's back-off
 * and idle polls of the WAL) and timed waits on a condition (a shard waiting for samples until its
 * batch deadline). The seam through which tests move time by hand: the scrape engine and the remote
 * queues take one through their constructors. Implementations are thread-safe.
 */
public interface Clock {
  /** Milliseconds since the epoch, as sample timestamps are. */
  long millis();

  /** A monotonic count of nanoseconds, only meaningful as a difference. */
  long nanos();

  /** Waits {@code millis} on this clock. */
  void sleep(long millis) throws InterruptedException;

  /**
   * Waits on {@code c} (its lock held) until signalled or {@code nanos} have passed on this clock,
   * as {@link Condition#awaitNanos}: the nanoseconds left, zero or less once the time is up.
   */
  long awaitNanos(Condition c, long nanos) throws InterruptedException;

  /** The system's clocks ({@link System#currentTimeMillis}, {@link System#nanoTime}). */
  static Clock system() {
    return SystemClock.INSTANCE;
  }

  /** The system clocks, real sleeps and real waits. */
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

    @Override
    public void sleep(long millis) throws InterruptedException {
      Thread.sleep(millis);
    }

    @Override
    public long awaitNanos(Condition c, long nanos) throws InterruptedException {
      return c.awaitNanos(nanos);
    }
  }
}
