package dev.quarry.scrape;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;

/**
 * Where a scrape's parsing, appending and committing run: off the event loop (commits write to
 * disk), with the result handed back to the calling loop's context. The seam through which tests
 * run that work inline.
 */
public interface Worker {
  /** Runs {@code task}; the future completes on the caller's context. */
  <T> Future<T> submit(Callable<T> task);

  /** The bounded Vert.x worker pool {@code pool}, unordered. */
  static Worker of(WorkerExecutor pool) {
    return new Worker() {
      @Override
      public <T> Future<T> submit(Callable<T> task) {
        return pool.executeBlocking(task, false);
      }
    };
  }
}
