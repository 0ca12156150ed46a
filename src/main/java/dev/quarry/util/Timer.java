package dev.quarry.util;

import io.vertx.core.Vertx;

/**
 * Runs a task once after a delay. A scrape loop's timers are set on the loop's context and fire on
 * it; the scrape manager's fire on its reload thread, a remote queue's metadata rounds on the
 * queue's metadata thread. The seam through which tests fire timers by hand.
 */
@FunctionalInterface
public interface Timer {
  /** A pending task; cancelling one that has run or was cancelled does nothing. */
  @FunctionalInterface
  interface Pending {
    void cancel();
  }

  /** Runs {@code task} after {@code delayMillis} (Vert.x timers wait at least 1 ms). */
  Pending schedule(long delayMillis, Runnable task);

  /** Vert.x timers: set on a context, the task runs on that context. */
  static Timer of(Vertx vertx) {
    return (delay, task) -> {
      long id = vertx.setTimer(Math.max(1, delay), i -> task.run());
      return () -> vertx.cancelTimer(id);
    };
  }
}
