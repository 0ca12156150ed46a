package dev.quarry.promql.engine;

import dev.quarry.promql.Expr;
import dev.quarry.promql.PromQL;
import dev.quarry.promql.ValueType;
import dev.quarry.storage.Queryable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs PromQL queries over a {@link Queryable}, as Prometheus 2.42's engine: instant queries (one
 * step) and range queries (every step of {@code [start, end]}, result sorted by labels), with the
 * lookback delta, a limit on samples held in memory, a timeout and a limit on queries running at
 * once (later ones wait, within their timeout). Blocking: call it from a worker thread, never an
 * event loop. Thread-safe; each query is evaluated on its caller's thread.
 */
public final class Engine {
  /** The engine's settings ({@code quarry.query.*}). */
  public record Settings(
      Duration lookbackDelta, long maxSamples, Duration timeout, int maxConcurrency) {
    public static final Settings DEFAULTS =
        new Settings(Duration.ofMinutes(5), 50_000_000, Duration.ofMinutes(2), 20);
  }

  private final Queryable store;
  private final Settings settings;
  private final Semaphore slots;

  public Engine(Queryable store, Settings settings) {
    this.store = store;
    this.settings = settings;
    this.slots = new Semaphore(settings.maxConcurrency(), true);
  }

  /**
   * The value of {@code query} at {@code t} (Unix ms).
   *
   * @throws dev.quarry.promql.ParseException when the query is not valid PromQL
   * @throws EvalException when evaluation fails, times out or is canceled
   */
  public QueryResult instant(String query, long t) {
    return instant(PromQL.parse(query), t, new AtomicBoolean());
  }

  public QueryResult instant(Expr e, long t, AtomicBoolean canceled) {
    return run(
        canceled,
        budget -> {
          Evaluator ev = new Evaluator(store, t, t, 1, lookback(), budget);
          Object v = ev.eval(e);
          if (v instanceof String s) {
            return new QueryResult.Str(t, s);
          }
          @SuppressWarnings("unchecked")
          List<Series> m = (List<Series>) v;
          if (e.type() == ValueType.SCALAR) {
            return new QueryResult.Scalar(t, m.get(0).v(0));
          }
          if (e.type() == ValueType.MATRIX) {
            return new QueryResult.Matrix(m);
          }
          List<Sample> out = new ArrayList<>(m.size());
          for (Series s : m) {
            out.add(new Sample(s.metric(), t, s.v(0), s.h(0)));
          }
          return new QueryResult.Vector(out);
        });
  }

  /**
   * The value of {@code query} at every step from {@code start} to {@code end} (Unix ms): a matrix
   * sorted by labels.
   *
   * @throws EvalException with Prometheus' message for a range vector or string expression
   */
  public QueryResult.Matrix range(Expr e, long start, long end, long step, AtomicBoolean canceled) {
    if (e.type() != ValueType.SCALAR && e.type() != ValueType.VECTOR) {
      throw EvalException.exec(
          "invalid expression type \""
              + e.type().documented()
              + "\" for range query, must be Scalar or instant Vector");
    }
    return run(
        canceled,
        budget -> {
          Evaluator ev = new Evaluator(store, start, end, step, lookback(), budget);
          List<Series> m = new ArrayList<>(ev.matrix(e));
          m.sort((a, b) -> a.metric().compareTo(b.metric()));
          return new QueryResult.Matrix(m);
        });
  }

  private long lookback() {
    return settings.lookbackDelta().toMillis();
  }

  private interface Body<T> {
    T run(Budget budget);
  }

  private <T> T run(AtomicBoolean canceled, Body<T> body) {
    long timeout = settings.timeout().toNanos();
    long deadline = System.nanoTime() + timeout;
    try {
      if (!slots.tryAcquire(timeout, TimeUnit.NANOSECONDS)) {
        throw new EvalException(EvalException.Kind.TIMEOUT, "query timed out in queue");
      }
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new EvalException(EvalException.Kind.CANCELED, "query was canceled in queue");
    }
    try {
      return body.run(new Budget(settings.maxSamples(), deadline, canceled));
    } finally {
      slots.release();
    }
  }
}
