package dev.quarry.util;

import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One thread of control running tasks one at a time, now ({@link #execute}) or after a delay
 * ({@link #schedule}): the scrape manager's reload thread, a remote queue's metadata thread. The
 * seam through which tests run the manager on their own thread with time advanced by hand.
 */
public interface SerialScheduler extends Executor, Timer {
  /** Runs no new tasks; those already running finish. */
  void shutdown();

  /** A daemon thread named {@code name}. */
  static SerialScheduler newThread(String name) {
    ScheduledExecutorService ex =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
    return new SerialScheduler() {
      @Override
      public void execute(Runnable task) {
        ex.execute(task);
      }

      @Override
      public Pending schedule(long delayMillis, Runnable task) {
        ScheduledFuture<?> f = ex.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
      }

      @Override
      public void shutdown() {
        ex.shutdown();
      }
    };
  }
}
