package dev.quarry.remote;

/**
 * The time a remote queue runs on: wall-clock milliseconds (back-off, {@code Retry-After}, sample
 * age, resharding and backlog checks), a monotonic nanosecond counter (send durations, batch
 * deadlines) and sleeping (back-off, idle polls of the WAL). {@link #SYSTEM} is the real one; tests
 * hand in their own so that behaviour over time needs no real waiting. Implementations are
 * thread-safe: every shard and the WAL follower share one.
 */
interface QueueClock {
  long millis();

  long nanos();

  void sleep(long millis) throws InterruptedException;

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
      };
}
