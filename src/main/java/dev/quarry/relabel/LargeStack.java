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
 * Runs regex matches on threads with a 512 MiB stack and waits for their answers: the matcher of an
 * expression with a long run of non-consuming steps recurses once per step (see {@link
 * EmptySteps}), deeper than a default 1 MiB stack allows. Only such expressions come here, and they
 * are rare; the hand-off costs tens of microseconds.
 *
 * <p>Owned by whoever compiles the patterns that use it (a scrape engine hands one to its jobs'
 * relabelers; a pattern compiled without one gets its own) and sized by that owner. The threads are
 * daemons made on demand, at most {@code threads} of them (the stack is reserved address space,
 * touched only as deep as a match goes), and end after 30 idle seconds, so an instance that is no
 * longer used holds no thread. Thread-safe: any thread may call {@link #call}.
 */
public final class LargeStack {
  private static final long STACK_BYTES = 512L << 20;

  private final ThreadPoolExecutor pool;

  /** At most {@code threads} matches run at once; more wait for a thread. */
  public LargeStack(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1: " + threads);
    }
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          String name = "quarry-regex-" + n.incrementAndGet();
          Thread t = new Thread(null, r, name, STACK_BYTES);
          t.setDaemon(true);
          return t;
        };
    pool =
        new ThreadPoolExecutor(
            threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
    pool.allowCoreThreadTimeOut(true);
  }

  /** The answer of {@code match}, computed on a large-stack thread; the caller waits for it. */
  <T> T call(Callable<T> match) {
    Future<T> f = pool.submit(match);
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
