package dev.quarry.scrape;

import io.netty.handler.codec.http.HttpResponseStatus;
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
 * Quarry's {@code User-Agent} and {@code X-Prometheus-Scrape-Timeout-Seconds}. The body is copied
 * into a pooled buffer, or with {@code Content-Encoding: gzip} inflated into it as it arrives
 * ({@link Gunzip}; the client itself does not decompress); {@code body_size_limit} applies to the
 * decompressed size while reading, so an oversized, endless or gzip-bomb body is cut off early.
 *
 * <p>Errors are worded like Prometheus': {@code server returned HTTP status 404 Not Found},
 * {@code body size limit exceeded}, {@code Get "<location>": stopped after 10 redirects}, and {@code Get "<url>": context deadline exceeded} on
 * timeout. Runs on the calling loop's context.
 */
public final class TargetScraper implements Scraper {
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
    Promise<ScrapeResponse> result = Promise.promise();
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
    Body body = new Body(Math.max(sizeHint, 4096));
    long timer =
        vertx.setTimer(
            timeoutMillis,
            id -> {
              if (result.tryFail(new ScrapeException("Get \"" + url + "\": context deadline exceeded"))) {
                body.abort();
              }
            });
    requester
        .apply(opts)
        .compose(
            req -> {
              body.request = req;
              if (result.future().isComplete()) {
                req.reset(); // the deadline passed while waiting for a connection
                return Future.failedFuture("scrape already ended");
              }
              return req.send();
            })
        .onSuccess(resp -> read(resp, body, result))
        .onFailure(e -> result.tryFail(new ScrapeException("Get \"" + url + "\": " + describe(e))));
    return result.future().onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.failed()) {
        body.release();
      }
    });
  }

  private void read(HttpClientResponse resp, Body body, Promise<ScrapeResponse> result) {
    // Set first: aborting a response (bad status, size limit, timeout) resets its stream, and a
    // response without a handler would report that reset as an unhandled error.
    resp.exceptionHandler(
        e -> result.tryFail(new ScrapeException("Get \"" + url + "\": " + describe(e))));
    String location = resp.getHeader("Location");
    if (followRedirects && isRedirect(resp.statusCode()) && location != null) {
      // The client follows at most 10 redirects and hands back the next one: Go's client fails
      // there, naming the Location it would have followed.
      result.tryFail(
          new ScrapeException("Get \"" + location + "\": stopped after 10 redirects"));
      body.abort();
      return;
    }
    if (resp.statusCode() != 200) {
      String reason = resp.statusMessage();
      if (reason == null || reason.isEmpty()) {
        reason = HttpResponseStatus.valueOf(resp.statusCode()).reasonPhrase();
      }
      result.tryFail(
          new ScrapeException("server returned HTTP status " + resp.statusCode() + " " + reason));
      body.abort();
      return;
    }
    String contentType = resp.getHeader("Content-Type");
    if ("gzip".equals(resp.getHeader("Content-Encoding"))) {
      body.gunzip = new Gunzip();
    }
    resp.handler(
        chunk -> {
          if (result.future().isComplete()) {
            return;
          }
          boolean fits;
          try {
            fits = body.append(chunk, bodySizeLimit);
          } catch (IOException e) {
            result.tryFail(new ScrapeException(e.getMessage()));
            body.abort();
            return;
          }
          if (!fits) {
            result.tryFail(ScrapeException.bodySizeLimit());
            body.abort();
          }
        });
    resp.endHandler(
        v -> {
          if (body.buf == null) {
            return;
          }
          if (body.gunzip != null) {
            try {
              body.gunzip.finish();
            } catch (IOException e) {
              result.tryFail(new ScrapeException(e.getMessage()));
              body.release();
              return;
            }
            body.releaseGunzip();
          }
          result.tryComplete(new ScrapeResponse(body.buf, body.len, contentType));
        });
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

  /**
   * The body being read into a pooled buffer, grown by size class as chunks arrive; a gzip body
   * is inflated into it as it arrives.
   */
  private final class Body implements Gunzip.Output {
    byte[] buf;
    int len;
    HttpClientRequest request;
    Gunzip gunzip;

    Body(int initial) {
      buf = buffers.get(initial);
    }

    /**
     * Appends a chunk (inflated when the body is gzip); false when the limit is reached
     * (Prometheus fails at size ≥ limit).
     */
    boolean append(Buffer chunk, long limit) throws IOException {
      if (gunzip != null) {
        return gunzip.feed(chunk.getByteBuf().nioBuffer(), this) && (limit <= 0 || len < limit);
      }
      int n = chunk.length();
      if (limit > 0 && (long) len + n >= limit) {
        return false;
      }
      ensure(len + n);
      chunk.getBytes(0, n, buf, len);
      len += n;
      return true;
    }

    private void ensure(int size) {
      if (size > buf.length) {
        byte[] bigger = buffers.get(Math.max(size, buf.length * 2));
        System.arraycopy(buf, 0, bigger, 0, len);
        buffers.put(buf);
        buf = bigger;
      }
    }

    @Override
    public byte[] buffer() {
      return buf;
    }

    @Override
    public int length() {
      return len;
    }

    @Override
    public void advance(int n) {
      len += n;
    }

    @Override
    public int room() {
      long left = bodySizeLimit > 0 ? bodySizeLimit - len : Integer.MAX_VALUE;
      if (left <= 0) {
        return 0;
      }
      if (len == buf.length) {
        ensure(len + 1);
      }
      return (int) Math.min(buf.length - len, left);
    }

    void abort() {
      if (request != null) {
        request.reset();
      }
      release();
    }

    void releaseGunzip() {
      if (gunzip != null) {
        gunzip.release();
        gunzip = null;
      }
    }

    void release() {
      releaseGunzip();
      if (buf != null) {
        buffers.put(buf);
        buf = null;
      }
    }
  }
}
