package dev.quarry.remote;

import dev.quarry.http.ConfiguredHttpClient;
import dev.quarry.http.SigV4Signer;
import dev.quarry.http.UrlRedactor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Posts snappy-compressed {@code WriteRequest}s to one receiver with the remote write 1.0 headers,
 * through a configured Vert.x client (TLS, proxy, basic auth, authorization, oauth2), signed with
 * AWS Signature Version 4 when the entry has {@code sigv4}. {@link #send} blocks its caller, a
 * sending shard's own thread, never an event loop. Safe for concurrent use by the shards.
 *
 * <p>Each exchange is started on the sender's event-loop context, so the handlers of its futures
 * are registered on the thread that completes them: registered from a shard's thread, a fast answer
 * could complete {@code send} before {@code body()} was asked for, and the body's end was then lost
 * (the request hung until its timeout).
 */
final class HttpSender {
  /**
   * What the receiver answered; {@code status} 0 when the request failed without an answer. The
   * written counts are those of remote write 2.0's {@code X-Prometheus-Remote-Write-*-Written}
   * headers, -1 where a header is missing.
   */
  record Result(
      int status,
      String retryAfter,
      String message,
      long samplesWritten,
      long histogramsWritten,
      long exemplarsWritten) {
    Result(int status, String retryAfter, String message) {
      this(status, retryAfter, message, -1, -1, -1);
    }

    boolean ok() {
      return status / 100 == 2;
    }
  }

  static final String V2_CONTENT_TYPE =
      "application/x-protobuf;proto=io.prometheus.write.v2.Request";

  private final Context context;
  private final ConfiguredHttpClient client;
  private final String url;

  /** The URL as messages show it: its password masked. */
  private final String shownUrl;

  private final Map<String, String> headers;
  private final String userAgent;
  private final long timeoutMillis;
  private final SigV4Signer signer;

  HttpSender(
      Vertx vertx,
      ConfiguredHttpClient client,
      String url,
      Map<String, String> headers,
      String userAgent,
      Duration timeout) {
    this(vertx, client, url, headers, userAgent, timeout, null);
  }

  /** A sender whose requests {@code signer} signs (null: unsigned). */
  HttpSender(
      Vertx vertx,
      ConfiguredHttpClient client,
      String url,
      Map<String, String> headers,
      String userAgent,
      Duration timeout,
      SigV4Signer signer) {
    this.signer = signer;
    this.context = vertx.getOrCreateContext();
    this.client = client;
    this.url = url;
    this.shownUrl = UrlRedactor.redact(url);
    this.headers = headers;
    this.userAgent = userAgent;
    this.timeoutMillis = Math.max(1, timeout.toMillis());
  }

  /** Snappy block compression of {@code len} bytes of {@code raw}, with a compressor of its own. */
  static byte[] compress(byte[] raw, int len) {
    return new SnappyBlock().compress(raw, len);
  }

  /** The receiver's URL as messages show it. */
  String shownUrl() {
    return shownUrl;
  }

  /** Sends one compressed 1.0 request and waits for the answer (at most {@code remote_timeout}). */
  Result send(byte[] compressed) throws InterruptedException {
    return send(compressed, false);
  }

  /**
   * Sends one compressed request, a 2.0 {@code io.prometheus.write.v2.Request} when {@code v2}
   * (2.0's Content-Type and {@code X-Prometheus-Remote-Write-Version: 2.0.0}), else 1.0.
   */
  Result send(byte[] compressed, boolean v2) throws InterruptedException {
    RequestOptions o =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(url)
            .putHeader("Content-Encoding", "snappy")
            .putHeader("Content-Type", v2 ? V2_CONTENT_TYPE : "application/x-protobuf")
            .putHeader("X-Prometheus-Remote-Write-Version", v2 ? "2.0.0" : "0.1.0")
            .putHeader("User-Agent", userAgent);
    headers.forEach(o::putHeader);
    // Touched on the context only: a request given up on before the pool handed it out is reset
    // as soon as it is.
    HttpClientRequest[] inFlight = {null};
    boolean[] abandoned = {false};
    Runnable abandon =
        () ->
            context.runOnContext(
                v -> {
                  abandoned[0] = true;
                  if (inFlight[0] != null) {
                    inFlight[0].reset();
                  }
                });
    CompletableFuture<Result> f = new CompletableFuture<>();
    context.runOnContext(
        v ->
            (signer == null ? Future.succeededFuture(o) : signer.sign(o, compressed))
                .compose(client::request)
                .compose(
                    req -> {
                      inFlight[0] = req;
                      if (abandoned[0]) {
                        req.reset();
                      }
                      return req.send(Buffer.buffer(compressed));
                    })
                .compose(
                    resp ->
                        resp.body()
                            .map(
                                b ->
                                    new Result(
                                        resp.statusCode(),
                                        resp.getHeader("Retry-After"),
                                        b.length() > 512 ? b.getString(0, 512) + "…" : b.toString(),
                                        written(resp.getHeader(SAMPLES_WRITTEN)),
                                        written(resp.getHeader(HISTOGRAMS_WRITTEN)),
                                        written(resp.getHeader(EXEMPLARS_WRITTEN)))))
                .onSuccess(f::complete)
                .onFailure(f::completeExceptionally));
    try {
      return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      abandon.run();
      return new Result(0, null, "Post \"" + shownUrl + "\": context deadline exceeded");
    } catch (ExecutionException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      return new Result(
          0, null, "Post \"" + shownUrl + "\": " + UrlRedactor.redactAll(c.getMessage()));
    } catch (InterruptedException e) {
      abandon.run();
      throw e;
    }
  }

  private static final String SAMPLES_WRITTEN = "X-Prometheus-Remote-Write-Samples-Written";
  private static final String HISTOGRAMS_WRITTEN = "X-Prometheus-Remote-Write-Histograms-Written";
  private static final String EXEMPLARS_WRITTEN = "X-Prometheus-Remote-Write-Exemplars-Written";

  /** A written-count header's value; -1 when missing or not a number. */
  static long written(String header) {
    if (header == null) {
      return -1;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  void close() {
    client.close();
  }
}
