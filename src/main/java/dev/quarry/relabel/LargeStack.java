package dev.quarry.relabel;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a regex match on a thread with a 512 MiB stack and waits for its answer: the matcher of an
 * expression with a long run of non-consuming steps recurses once per step (see {@link
 * EmptySteps}), deeper than a default 1 MiB stack allows. Only such expressions come here, and they
 * are rare; the hand-off costs tens of microseconds.
 *
 * <p>The threads are daemons made on demand, at most two (the stack is reserved address space,
 * touched only as deep as a match goes), and end after 30 idle seconds. Their pool is the one
 * process-wide state of this package: the work it does is a pure function, so sharing is safe.
 */
final class LargeStack {
  private static final long STACK_BYTES = 512L << 20;

  private static final ThreadPoolExecutor POOL = newPool();

  private LargeStack() {}

  private static ThreadPoolExecutor newPool() {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory threads =
        r -> {
          Thread t = new Thread(null, r, "quarry-regex-" + n.incrementAndGet(), STACK_BYTES);
          t.setDaemon(true);
          return t;
        };
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** The answer of {@code match}, computed on a large-stack thread; the caller waits for it. */
  static <T> T call(Callable<T> match) {
    Future<T> f = POOL.submit(match);
    try {
      return f.get();
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while matching a regex", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException r) {
        throw r;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(c);
    }
  }
}
