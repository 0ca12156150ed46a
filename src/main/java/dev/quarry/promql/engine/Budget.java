package dev.quarry.promql.engine;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The limits of one query: samples held in memory ({@code quarry.query.max-samples}), a deadline
 * ({@code quarry.query.timeout}) and cancellation. Owned by the query's thread; only the cancel
 * flag is set from elsewhere.
 */
final class Budget {
  private final long maxSamples;
  private final long deadlineNanos;
  private final AtomicBoolean canceled;
  private long current;

  Budget(long maxSamples, long deadlineNanos, AtomicBoolean canceled) {
    this.maxSamples = maxSamples;
    this.deadlineNanos = deadlineNanos;
    this.canceled = canceled;
  }

  long current() {
    return current;
  }

  void reset(long samples) {
    current = samples;
  }

  void add(long n) {
    current += n;
    if (current > maxSamples) {
      throw EvalException.exec(
          "query processing would load too many samples into memory in" + " query execution");
    }
  }

  /** Throws when the query ran out of time or was canceled. */
  void check() {
    if (canceled.get()) {
      throw new EvalException(
          EvalException.Kind.CANCELED, "query was canceled in expression evaluation");
    }
    if (System.nanoTime() - deadlineNanos > 0) {
      throw new EvalException(
          EvalException.Kind.TIMEOUT, "query timed out in expression evaluation");
    }
  }
}
