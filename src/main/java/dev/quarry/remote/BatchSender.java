package dev.quarry.remote;

import dev.quarry.util.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Sends one compressed batch until the receiver acknowledges it or answers with an error not worth
 * retrying, waiting between attempts as {@link BackoffPolicy} says. Shared by a queue's shards,
 * each calling {@link #attempt} from its own thread; its mutable state is the volatile stop flag
 * and last failure time and an atomic total of sending time, safe from any thread.
 */
final class BatchSender {
  private static final Logger LOG = Logger.getLogger(RemoteQueue.class);

  private final String displayName;
  private final HttpSender http;
  private final RemoteMetrics metrics;
  private final BackoffPolicy policy;
  private final AtomicLong sendNanos = new AtomicLong();
  private volatile boolean abandon;
  private volatile long lastFailureMillis;

  private final Clock clock;

  BatchSender(String displayName, HttpSender http, RemoteMetrics metrics, BackoffPolicy policy) {
    this(displayName, http, metrics, policy, Clock.system());
  }

  BatchSender(
      String displayName,
      HttpSender http,
      RemoteMetrics metrics,
      BackoffPolicy policy,
      Clock clock) {
    this.clock = clock;
    this.displayName = displayName;
    this.http = http;
    this.metrics = metrics;
    this.policy = policy;
  }

  /** Gives up at once on every batch being sent or retried (their callers are interrupted). */
  void abandon() {
    abandon = true;
  }

  String displayName() {
    return displayName;
  }

  String shownUrl() {
    return http.shownUrl();
  }

  /** Logs a 2.0 receiver's answer that it wrote fewer than it was sent. */
  void partialWrite(long written, int sent) {
    LOG.warnf(
        "remote write %s: the receiver wrote %d of %d sent in a batch (its"
            + " X-Prometheus-Remote-Write-*-Written headers)",
        displayName, written, sent);
  }

  /** When a send last failed in a way that is retried (0: never). */
  long lastFailureMillis() {
    return lastFailureMillis;
  }

  /** The nanoseconds acknowledged sends took since the last call. */
  long takeSendNanos() {
    return sendNanos.getAndSet(0);
  }

  /**
   * Sends one compressed request of {@code n} {@code what} until it is acknowledged (true) or
   * answered with a non-recoverable error (false). Interrupted only when the queue stops.
   */
  boolean attempt(byte[] body, int n, String what) throws InterruptedException {
    return attempt(body, n, what, false).ok();
  }

  /**
   * As the other {@code attempt}, sending a 2.0 request when {@code v2}; returns the last answer,
   * acknowledged or not. A 415 to a 2.0 request is returned at once, not logged: the caller falls
   * back to 1.0.
   */
  HttpSender.Result attempt(byte[] body, int n, String what, boolean v2)
      throws InterruptedException {
    long backoff = policy.first();
    while (true) {
      if (abandon) {
        throw new InterruptedException();
      }
      long t0 = clock.nanos();
      HttpSender.Result r = http.send(body, v2);
      long took = clock.nanos() - t0;
      metrics.sendDuration.record(took, TimeUnit.NANOSECONDS);
      if (r.ok()) {
        sendNanos.addAndGet(took);
        metrics.bytesSent.increment(body.length);
        return r;
      }
      if (v2 && r.status() == 415) {
        return r;
      }
      if (!policy.recoverable(r.status())) {
        LOG.errorf(
            "remote write %s: the receiver answered %d to a batch of %d %s, which are dropped: %s",
            displayName, r.status(), n, what, r.message().trim());
        return r;
      }
      lastFailureMillis = clock.millis();
      if (what.equals("samples")) {
        metrics.samplesRetried.increment(n);
      }
      long sleep = BackoffPolicy.sleepMillis(backoff, r.retryAfter(), clock.millis());
      LOG.warnf(
          "remote write %s: %s; retrying %d %s in %d ms",
          displayName,
          r.status() == 0
              ? r.message()
              : "the receiver answered " + r.status() + ": " + r.message().trim(),
          n,
          what,
          sleep);
      clock.sleep(sleep);
      backoff = policy.next(backoff);
    }
  }
}
