package dev.quarry.scrape;

import dev.quarry.storage.Appender;
import dev.quarry.textparse.ParseWarnings;
import dev.quarry.textparse.Parser;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Scrapes one target every interval, on one Vert.x event-loop context for its whole life.
 *
 * <p>Each tick fetches the page (non-blocking I/O on the context), then parses, appends and commits
 * it on the bounded worker pool (commits write to disk; large pages would stall the event loop),
 * then reports the target's health and schedules the next tick. A failed scrape is appended as an
 * empty one, so the previous scrape's series get staleness markers; a failed append (parse error, a
 * limit) is rolled back and then appended empty the same way.
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
  private final Context context;
  private final long intervalMs;
  private final long timeoutMs;
  private final ScrapeAppend append;
  private final ReportSeries report;

  private long timerId = -1;
  private long nextTick;
  private long alignedTime = Long.MIN_VALUE;
  private long lastScrapeTime = Long.MIN_VALUE;
  private int lastSize;
  private boolean running;
  private boolean inFlight;
  private Promise<Void> stopped;
  private long endOfRunTimer = -1;
  private volatile String forcedError;

  public ScrapeLoop(LoopOptions options) {
    this.o = options;
    this.context = options.vertx().getOrCreateContext();
    this.intervalMs = options.target().interval().toMillis();
    this.timeoutMs = options.target().timeout().toMillis();
    this.append =
        new ScrapeAppend(
            options.cache(),
            options.sampleLabels(),
            options.honorTimestamps(),
            options.trackTimestampsStaleness(),
            options.sampleLimit());
    this.report = new ReportSeries(options.target().publicLabels(), options.extraMetrics());
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
    context.runOnContext(
        v -> {
          running = true;
          long now = o.clock().millis();
          long offset = Long.remainderUnsigned(o.target().hash() ^ o.offsetSeed(), intervalMs);
          long first = now - Math.floorMod(now, intervalMs) + offset;
          if (first < now) {
            first += intervalMs;
          }
          nextTick = first;
          schedule(now);
          p.complete();
        });
    return p.future();
  }

  /**
   * Stops ticking and completes once an in-flight scrape has been committed. With {@code staleness}
   * (the target went away), the series of the last scrape get staleness markers once the next
   * scrape would have been due, stamped with the first missed tick; not on reload or shutdown.
   */
  public Future<Void> stop(boolean staleness) {
    Promise<Void> p = Promise.promise();
    context.runOnContext(
        v -> {
          running = false;
          if (timerId >= 0) {
            o.vertx().cancelTimer(timerId);
            timerId = -1;
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
    context.runOnContext(
        v -> {
          if (endOfRunTimer >= 0) {
            o.vertx().cancelTimer(endOfRunTimer);
            endOfRunTimer = -1;
          }
          p.complete();
        });
    return p.future();
  }

  private void schedule(long now) {
    while (nextTick <= now - 1) {
      nextTick += intervalMs; // skip ticks missed while a scrape ran long
      o.metrics().skippedTicks.increment();
    }
    long delay = Math.max(1, nextTick - now);
    timerId = o.vertx().setTimer(delay, id -> tick());
  }

  private void tick() {
    timerId = -1;
    if (!running) {
      return;
    }
    long scrapeTime = alignedScrapeTime(o.clock().millis());
    nextTick += intervalMs;
    inFlight = true;
    long startNanos = System.nanoTime();
    String forced = forcedError;
    Future<ScrapeResponse> fetched =
        forced != null
            ? Future.failedFuture(new ScrapeException(forced))
            : o.scraper().scrape(timeoutMs, lastSize);
    fetched
        .transform(
            ar -> {
              double seconds = (System.nanoTime() - startNanos) / 1e9;
              ScrapeResponse resp = ar.succeeded() ? ar.result() : null;
              Throwable err = ar.failed() ? ar.cause() : null;
              return o.worker()
                  .<String>executeBlocking(
                      () -> appendAndCommit(resp, err, scrapeTime, seconds), false)
                  .onComplete(
                      done -> {
                        String error =
                            done.succeeded() ? done.result() : "append failed: " + done.cause();
                        o.metrics().scrapes.increment();
                        o.metrics().duration.record((System.nanoTime() - startNanos) / 1e9);
                        if (error != null) {
                          o.metrics().failed.increment();
                          if (error.equals("sample limit exceeded")) {
                            o.metrics().sampleLimit.increment();
                          } else if (error.startsWith(ScrapeException.BODY_SIZE_LIMIT)) {
                            o.metrics().bodySizeLimit.increment();
                          }
                        }
                        o.target()
                            .health()
                            .report(Instant.ofEpochMilli(scrapeTime), seconds, error);
                        if (resp != null) {
                          if (resp.length() > 0) {
                            lastSize = resp.length();
                          }
                          o.buffers().put(resp.body());
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
                schedule(o.clock().millis());
              }
            });
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

  /**
   * Runs on the worker: appends the scrape (or an empty one on failure) and the report series in
   * one transaction and commits it. Returns the error the target shows, or null when up.
   */
  private String appendAndCommit(ScrapeResponse resp, Throwable scrapeErr, long t, double seconds) {
    String error = scrapeErr == null ? null : errorText(scrapeErr);
    boolean bodyLimitHit = scrapeErr instanceof ScrapeException se && se.bodyLimitExceeded();
    Appender app = o.appendable().appender();
    int total = 0;
    int added = 0;
    int seriesAdded = 0;
    boolean hadBody = resp != null && resp.length() > 0;
    Parser parser = null;
    try {
      if (resp != null) {
        parser = o.parsers().parserFor(resp.contentType());
        parser.reset(resp.body(), 0, resp.length());
      }
      ScrapeAppend.Result r = append.append(parser, app, t);
      total = r.total();
      added = r.added();
      seriesAdded = r.seriesAdded();
      if (!r.rejected().isEmpty()) {
        LOG.debugf("target %s: samples rejected by storage: %s", o.target(), r.rejected());
      }
    } catch (ScrapeAppend.AppendFailed | ScrapeException e) {
      app.rollback();
      append.cache().abortScrape();
      if (e instanceof ScrapeAppend.AppendFailed af) {
        // Prometheus reports what the failed attempt counted before it stopped.
        total = af.total;
        added = af.added;
        seriesAdded = af.seriesAdded;
      }
      error = e.getMessage();
      hadBody = false;
      app = o.appendable().appender();
      try {
        append.append(null, app, t);
      } catch (ScrapeAppend.AppendFailed impossible) {
        throw new IllegalStateException(impossible);
      }
    } finally {
      ParseWarnings w = parser == null ? ParseWarnings.NONE : parser.warnings();
      o.target().health().warnings(w.kept());
      o.metrics().warnings.increment(w.total());
      if (parser != null) {
        o.parsers().release(parser);
      }
    }
    long bodyBytes = resp != null && error == null ? resp.length() : bodyLimitHit ? -1 : 0;
    report.append(
        app,
        t,
        error == null ? 1 : 0,
        seconds,
        total,
        added,
        seriesAdded,
        timeoutMs / 1000.0,
        o.sampleLimit(),
        bodyBytes);
    try {
      app.commit();
    } catch (RuntimeException e) {
      append.cache().abortScrape();
      LOG.errorf("target %s: commit failed: %s", o.target(), e.getMessage());
      return "commit failed: " + e.getMessage();
    }
    append.cache().iterDone(hadBody);
    return error;
  }

  private static String errorText(Throwable t) {
    return t instanceof ScrapeException ? t.getMessage() : String.valueOf(t.getMessage());
  }

  private void scheduleEndOfRunStaleness() {
    long staleTime = nextTick; // the first tick that will not happen
    long fireAt = nextTick + intervalMs + intervalMs / 10;
    long delay = Math.max(1, fireAt - o.clock().millis());
    endOfRunTimer =
        o.vertx()
            .setTimer(
                delay,
                id -> {
                  endOfRunTimer = -1;
                  if (o.closing().get()) {
                    return;
                  }
                  o.worker()
                      .executeBlocking(
                          () -> {
                            Appender app = o.appendable().appender();
                            append.append(null, app, staleTime);
                            report.appendStale(app, staleTime);
                            app.commit();
                            return null;
                          },
                          false)
                      .onFailure(
                          e ->
                              LOG.warnf(
                                  "target %s: end-of-run staleness failed: %s", o.target(), e));
                });
  }
}
