package dev.quarry.remote;

import java.util.concurrent.locks.Condition;

/**
 * The time a remote queue runs on: wall-clock milliseconds (back-off, {@code Retry-After}, sample
 * age, resharding and backlog checks), a monotonic nanosecond counter (send durations, batch
 * deadlines), sleeping (back-off, idle polls of the WAL) and timed waits on a condition (a shard
 * waiting for samples until its batch deadline). {@link #SYSTEM} is the real one; tests hand in
 * their own so that behaviour over time needs no real waiting. Implementations are thread-safe:
 * every shard and the WAL follower share one.
 */
interface QueueClock {
  long millis();

  long nanos();

  void sleep(long millis) throws InterruptedException;

  /**
   * Waits on {@code c} (its lock held) until signalled or {@code nanos} have passed, as {@link
   * Condition#awaitNanos}: the nanoseconds left, zero or less once the time is up.
   */
  long awaitNanos(Condition c, long nanos) throws InterruptedException;

  QueueClock SYSTEM =
      new QueueClock() {
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
      };
}
