package dev.quarry.scrape;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.util.function.Function;

/**
 * Fetches a target's page with the job's non-blocking HTTP client: {@code Accept} negotiated from
 * the job's scrape protocols, {@code Accept-Encoding: gzip} (identity when compression is off),
 * Quarry's {@code User-Agent} and {@code X-Prometheus-Scrape-Timeout-Seconds}.
 *
 * <p>Guarantees: a scrape ends at its timeout whatever the body does (a total deadline, waiting for
 * a connection included). The body goes into a pooled buffer ({@link ScrapeBody}), a plain one with
 * a Content-Length into one of exactly that size; a gzip body is inflated as it arrives ({@link
 * Gunzip}; the client itself does not decompress), at most {@link #INFLATE_BUDGET} bytes per
 * event-loop callback, with the response paused until the rest is done, so no gzip bomb blocks the
 * event loop. {@code body_size_limit} applies to the decompressed size while reading, and without
 * it the pool's {@link BufferPool#maxBufferBytes()} does: an oversized, endless or gzip-bomb body
 * fails that scrape alone.
 *
 * <p>Errors are worded like Prometheus': {@code server returned HTTP status 404 Not Found}, {@code
 * body size limit exceeded}, {@code Get "<location>": stopped after 10 redirects}, and {@code Get
 * "<url>": context deadline exceeded} on timeout. Must be called on the scraping loop's context;
 * each scrape's state is confined to it.
 */
public final class TargetScraper implements Scraper {
  /** Bytes inflated per event-loop callback before the rest of a gzip body waits its turn. */
  static final long INFLATE_BUDGET = 1 << 20;

  private final Vertx vertx;
  private final Function<RequestOptions, Future<HttpClientRequest>> requester;
  private final String url;
  private final String accept;
  private final boolean compression;
  private final long bodySizeLimit;
  private final BufferPool buffers;
  private final String userAgent;
  private final boolean followRedirects;

  public TargetScraper(
      Vertx vertx,
      Function<RequestOptions, Future<HttpClientRequest>> requester,
      String url,
      String accept,
      boolean compression,
      long bodySizeLimit,
      BufferPool buffers,
      String userAgent,
      boolean followRedirects) {
    this.vertx = vertx;
    this.requester = requester;
    this.url = url;
    this.accept = accept;
    this.compression = compression;
    this.bodySizeLimit = bodySizeLimit;
    this.buffers = buffers;
    this.userAgent = userAgent;
    this.followRedirects = followRedirects;
  }

  @Override
  public Future<ScrapeResponse> scrape(long timeoutMillis, int sizeHint) {
    return new Exchange(timeoutMillis, sizeHint).start();
  }

  /**
   * One scrape: the request, its deadline and the body being read. Lives on the context that called
   * {@link #scrape}; every callback below runs there.
   */
  private final class Exchange {
    private final Promise<ScrapeResponse> result = Promise.promise();
    private final Context context = vertx.getOrCreateContext();
    private final long timeoutMillis;
    private final int sizeHint;
    private HttpClientRequest request;
    private HttpClientResponse response;
    private ScrapeBody body;
    private String contentType;
    private boolean ended;
    private boolean paused;
    private boolean inflateScheduled;

    Exchange(long timeoutMillis, int sizeHint) {
      this.timeoutMillis = timeoutMillis;
      this.sizeHint = sizeHint;
    }

    Future<ScrapeResponse> start() {
      RequestOptions opts =
          new RequestOptions()
              .setMethod(HttpMethod.GET)
              .setAbsoluteURI(url)
              // Waiting for a pooled connection counts into the scrape; the timer below reports
              // the deadline, this only takes a late waiter out of the pool's queue.
              .setConnectTimeout(timeoutMillis + 1000)
              .putHeader("Accept", accept)
              .putHeader("Accept-Encoding", compression ? "gzip" : "identity")
              .putHeader("User-Agent", userAgent)
              .putHeader("X-Prometheus-Scrape-Timeout-Seconds", formatSeconds(timeoutMillis));
      // A total deadline, whatever the body does: it fires between the bounded steps of reading.
      long timer =
          vertx.setTimer(
              timeoutMillis, id -> fail("Get \"" + url + "\": context deadline exceeded"));
      requester
          .apply(opts)
          .compose(
              req -> {
                request = req;
                if (result.future().isComplete()) {
                  req.reset(); // the deadline passed while waiting for a connection
                  return Future.failedFuture("scrape already ended");
                }
                return req.send();
              })
          .onSuccess(this::read)
          .onFailure(e -> fail("Get \"" + url + "\": " + describe(e)));
      return result
          .future()
          .onComplete(
              ar -> {
                vertx.cancelTimer(timer);
                if (ar.failed()) {
                  if (request != null) {
                    request.reset();
                  }
                  if (body != null) {
                    body.release();
                  }
                }
              });
    }

    private void fail(String message) {
      fail(new ScrapeException(message));
    }

    private void fail(ScrapeException e) {
      result.tryFail(e);
    }

    private boolean done() {
      return result.future().isComplete();
    }

    private void read(HttpClientResponse resp) {
      response = resp;
      // Set first: aborting a response (bad status, size limit, timeout) resets its stream, and
      // a response without a handler would report that reset as an unhandled error.
      resp.exceptionHandler(e -> fail("Get \"" + url + "\": " + describe(e)));
      if (done()) {
        return;
      }
      String location = resp.getHeader("Location");
      if (followRedirects && isRedirect(resp.statusCode()) && location != null) {
        // The client follows at most 10 redirects and hands back the next one: Go's client
        // fails there, naming the Location it would have followed.
        fail("Get \"" + location + "\": stopped after 10 redirects");
        return;
      }
      if (resp.statusCode() != 200) {
        String reason = resp.statusMessage();
        if (reason == null || reason.isEmpty()) {
          reason = HttpResponseStatus.valueOf(resp.statusCode()).reasonPhrase();
        }
        fail("server returned HTTP status " + resp.statusCode() + " " + reason);
        return;
      }
      contentType = resp.getHeader("Content-Type");
      boolean gzip = "gzip".equals(resp.getHeader("Content-Encoding"));
      long declared = gzip ? -1 : contentLength(resp.getHeader("Content-Length"));
      // A plain body with a Content-Length is read into a buffer of exactly that size.
      body = new ScrapeBody(buffers, url, bodySizeLimit);
      if (!body.open(declared, sizeHint)) {
        fail(body.failure());
        return;
      }
      if (gzip) {
        body.gunzip();
      }
      resp.handler(this::chunk);
      resp.endHandler(
          v -> {
            ended = true;
            if (body.isGzip()) {
              inflate();
            } else {
              complete();
            }
          });
    }

    private void chunk(Buffer chunk) {
      if (done()) {
        return;
      }
      if (!body.isGzip()) {
        if (!body.append(chunk)) {
          fail(body.failure());
        }
        return;
      }
      body.queue(chunk);
      if (!inflateScheduled) {
        inflate();
      }
    }

    /**
     * Inflates what has arrived, at most {@link #INFLATE_BUDGET} bytes per event-loop callback:
     * when more is left, the response is paused and the rest continues in a later callback, so the
     * deadline and other targets' scrapes run in between.
     */
    private void inflate() {
      if (done()) {
        return;
      }
      int status;
      try {
        status = body.inflate(INFLATE_BUDGET);
      } catch (IOException e) {
        fail(e.getMessage());
        return;
      }
      switch (status) {
        case Gunzip.LIMIT -> fail(body.failure());
        case Gunzip.BUDGET -> {
          if (!paused && !ended) {
            paused = true;
            response.pause();
          }
          inflateScheduled = true;
          context.runOnContext(
              v -> {
                inflateScheduled = false;
                inflate();
              });
        }
        default -> {
          if (paused) {
            paused = false;
            response.resume();
          }
          if (ended) {
            try {
              body.finishGzip();
            } catch (IOException e) {
              fail(e.getMessage());
              return;
            }
            complete();
          }
        }
      }
    }

    private void complete() {
      if (!done()) {
        result.tryComplete(body.response(contentType));
      }
    }
  }

  /** The Content-Length, or -1 when absent or malformed (the body is then read as it comes). */
  private static long contentLength(String header) {
    if (header == null) {
      return -1;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The statuses Go's client (and Vert.x') follows for a GET. */
  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }

  /** Seconds as Go's {@code strconv.FormatFloat(s, 'f', -1, 64)} prints them: 10, 0.5, 1.25. */
  static String formatSeconds(long millis) {
    if (millis % 1000 == 0) {
      return Long.toString(millis / 1000);
    }
    return java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
  }
}
