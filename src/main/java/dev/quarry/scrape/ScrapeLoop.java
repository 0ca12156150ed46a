package dev.quarry.scrape;

import dev.quarry.util.Clock;
import dev.quarry.util.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * Scrapes one target every interval, confined to one context (a Vert.x event-loop context in
 * production) for its whole life. The loop only schedules: each tick fetches the page through its
 * {@link Scraper} (non-blocking I/O on the context), hands the response to {@link ScrapeAppend} on
 * the {@link Worker} (one scrape, one transaction: parse, append, commit; commits write to disk and
 * large pages would stall the event loop), then reports the target's health and schedules the next
 * tick on its {@link Timer}, reading time from its {@link Clock}.
 *
 * <p>Ticks are spread by {@code (target hash ^ seed) mod interval} from whole multiples of the
 * interval, and timestamps within 2 ms (at most 1 % of the interval) of the ideal tick are snapped
 * to it, so samples are regular and compress well. Missed ticks are skipped, never queued.
 *
 * <p>Threading: every field but {@link #forcedError} is confined to the loop's context or handed to
 * the worker for exactly one scrape at a time (the Vert.x hand-off orders the accesses).
 */
public final class ScrapeLoop {
  private static final Logger LOG = Logger.getLogger(ScrapeLoop.class);

  /** Prometheus' tolerance for snapping a scrape time to its ideal tick. */
  static final long TIMESTAMP_TOLERANCE_MILLIS = 2;

  private final LoopOptions o;
  private final ScrapeEnv env;
  private final Executor context;
  private final long intervalMs;
  private final long timeoutMs;
  private final ScrapeAppend append;

  private Timer.Pending timer;
  private long nextTick;
  private long alignedTime = Long.MIN_VALUE;
  private long lastScrapeTime = Long.MIN_VALUE;
  private int lastSize;
  private boolean running;
  private boolean inFlight;
  private Promise<Void> stopped;
  private Timer.Pending endOfRunTimer;
  private volatile String forcedError;

  public ScrapeLoop(LoopOptions options) {
    this.o = options;
    this.env = options.env();
    this.context = env.contexts().get();
    this.intervalMs = options.target().interval().toMillis();
    this.timeoutMs = options.target().timeout().toMillis();
    this.append = new ScrapeAppend(options);
  }

  public Target target() {
    return o.target();
  }

  /** The cache, handed to the loop that replaces this one on reload. */
  public ScrapeCache cache() {
    return append.cache();
  }

  /**
   * Before {@link #start}: this loop replaces {@code previous} (a reload that reuses its cache), so
   * it continues from that loop's last scrape. If it is then stopped for a vanished target before
   * scraping itself, the series of that last scrape (held in the shared cache) still get their
   * end-of-run staleness markers. Call after {@code previous.stop()} has completed.
   */
  void continueAfter(ScrapeLoop previous) {
    lastScrapeTime = previous.lastScrapeTime;
  }

  /** Makes every scrape fail with {@code error} (null clears it), e.g. when target_limit is hit. */
  public void setForcedError(String error) {
    forcedError = error;
  }

  /** Starts ticking at the target's offset. */
  public Future<Void> start() {
    Promise<Void> p = Promise.promise();
    context.execute(
        () -> {
          running = true;
          long now = env.clock().millis();
          nextTick = firstTick(now, intervalMs, o.target().hash() ^ env.offsetSeed());
          schedule(now);
          p.complete();
        });
    return p.future();
  }

  /**
   * The first tick at or after {@code now}: {@code spread mod interval} (unsigned) past a whole
   * multiple of the interval, so a target starts at a stable phase whenever its loop starts.
   */
  static long firstTick(long now, long intervalMs, long spread) {
    long offset = Long.remainderUnsigned(spread, intervalMs);
    long first = now - Math.floorMod(now, intervalMs) + offset;
    return first < now ? first + intervalMs : first;
  }

  /**
   * Stops ticking and completes once an in-flight scrape has been committed. With {@code staleness}
   * (the target went away), the series of the last scrape get staleness markers once the next
   * scrape would have been due, stamped with the first missed tick; not on reload or shutdown.
   */
  public Future<Void> stop(boolean staleness) {
    Promise<Void> p = Promise.promise();
    context.execute(
        () -> {
          running = false;
          if (timer != null) {
            timer.cancel();
            timer = null;
          }
          if (staleness && lastScrapeTime != Long.MIN_VALUE) {
            scheduleEndOfRunStaleness();
          }
          if (inFlight) {
            stopped = p;
          } else {
            p.complete();
          }
        });
    return p.future();
  }

  /** Cancels pending end-of-run staleness markers (at shutdown the storage is about to close). */
  public Future<Void> cancelEndOfRun() {
    Promise<Void> p = Promise.promise();
    context.execute(
        () -> {
          if (endOfRunTimer != null) {
            endOfRunTimer.cancel();
            endOfRunTimer = null;
          }
          p.complete();
        });
    return p.future();
  }

  private void schedule(long now) {
    while (nextTick <= now - 1) {
      nextTick += intervalMs; // skip ticks missed while a scrape ran long
      env.metrics().skippedTicks.increment();
    }
    timer = env.timer().schedule(Math.max(1, nextTick - now), this::tick);
  }

  private void tick() {
    timer = null;
    if (!running) {
      return;
    }
    long scrapeTime = alignedScrapeTime(env.clock().millis());
    nextTick += intervalMs;
    inFlight = true;
    long startNanos = env.clock().nanos();
    String forced = forcedError;
    Future<ScrapeResponse> fetched =
        forced != null
            ? Future.failedFuture(new ScrapeException(forced, ScrapeFailure.TARGET_LIMIT))
            : o.scraper().scrape(timeoutMs, lastSize);
    fetched
        .transform(
            ar -> {
              double seconds = (env.clock().nanos() - startNanos) / 1e9;
              ScrapeResponse resp = ar.succeeded() ? ar.result() : null;
              Throwable err = ar.failed() ? ar.cause() : null;
              return env.worker()
                  .submit(
                      () -> {
                        if (err != null && forced == null) {
                          o.failureLog().scrapeFailed(o.target(), ScrapeAppend.errorText(err));
                        }
                        return append.scrape(resp, err, scrapeTime, seconds);
                      })
                  .onComplete(
                      done -> {
                        ScrapeAppend.Outcome outcome =
                            done.succeeded()
                                ? done.result()
                                : new ScrapeAppend.Outcome(
                                    ScrapeFailure.APPEND, "append failed: " + done.cause());
                        count(outcome, startNanos);
                        o.target()
                            .health()
                            .report(Instant.ofEpochMilli(scrapeTime), seconds, outcome.error());
                        if (resp != null) {
                          if (resp.length() > 0) {
                            lastSize = resp.length();
                          }
                          env.buffers().put(resp.body());
                        }
                      });
            })
        .onComplete(
            v -> {
              inFlight = false;
              lastScrapeTime = scrapeTime;
              if (stopped != null) {
                stopped.complete();
                stopped = null;
              } else if (running) {
                schedule(env.clock().millis());
              }
            });
  }

  private void count(ScrapeAppend.Outcome outcome, long startNanos) {
    ScrapeMetrics m = env.metrics();
    m.scrapes.increment();
    m.duration.record((env.clock().nanos() - startNanos) / 1e9);
    if (outcome.error() != null) {
      m.failed.increment();
      if (outcome.failure() == ScrapeFailure.SAMPLE_LIMIT) {
        m.sampleLimit.increment();
      } else if (outcome.failure() == ScrapeFailure.BODY_SIZE_LIMIT) {
        m.bodySizeLimit.increment();
      } else if (outcome.failure() == ScrapeFailure.BUCKET_LIMIT) {
        m.bucketLimit.increment();
      }
    }
  }

  /** Snaps {@code now} to the ideal tick when the timer fired within tolerance of it. */
  private long alignedScrapeTime(long now) {
    if (intervalMs <= 100 * TIMESTAMP_TOLERANCE_MILLIS) {
      return now;
    }
    if (alignedTime == Long.MIN_VALUE) {
      alignedTime = now;
      return now;
    }
    while (now - alignedTime >= intervalMs) {
      alignedTime += intervalMs;
    }
    long tolerance = Math.min(intervalMs / 100, TIMESTAMP_TOLERANCE_MILLIS);
    return now - alignedTime <= tolerance ? alignedTime : now;
  }

  private void scheduleEndOfRunStaleness() {
    long staleTime = nextTick; // the first tick that will not happen
    long fireAt = nextTick + intervalMs + intervalMs / 10;
    long delay = Math.max(1, fireAt - env.clock().millis());
    endOfRunTimer =
        env.timer()
            .schedule(
                delay,
                () -> {
                  endOfRunTimer = null;
                  if (env.closing().get()) {
                    return;
                  }
                  env.worker()
                      .submit(
                          () -> {
                            append.endOfRun(staleTime);
                            return null;
                          })
                      .onFailure(
                          e ->
                              LOG.warnf(
                                  "target %s: end-of-run staleness failed: %s", o.target(), e));
                });
  }
}
