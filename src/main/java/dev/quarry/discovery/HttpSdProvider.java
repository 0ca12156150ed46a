package dev.quarry.discovery;

import com.google.re2j.Pattern;
import dev.quarry.config.HttpClientConfig;
import dev.quarry.config.HttpSdConfig;
import dev.quarry.http.ConfiguredHttpClient;
import dev.quarry.http.HttpClientFactory;
import dev.quarry.http.UrlRedactor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One {@code http_sd_configs} entry: GETs the URL every {@code refresh_interval} with the client
 * built from its HTTP settings (auth, TLS, proxy) and reports the groups of the JSON answer, each
 * with {@code __meta_url} and source {@code "<url>:<index>"}.
 *
 * <p>As in Prometheus: the request carries {@code Accept: application/json}, the agent's {@code
 * User-Agent} and {@code X-Prometheus-Refresh-Interval-Seconds}; the whole refresh (connect,
 * headers, body) ends at a total deadline of one refresh interval, as Prometheus' client timeout,
 * however slowly the server sends: a timer resets the request, since Vert.x' request timeout is
 * only an idle timeout. The answer must be status 200 with {@code Content-Type: application/json}
 * (optionally {@code ; charset=utf-8}) and a JSON list of groups. On any failure the URL and reason
 * are logged and passed to the failure listener, and the last good groups stay (before the first
 * success, the provider reports an empty list once, so waiting for a first discovery never hangs on
 * an unreachable endpoint).
 *
 * <p>{@link #stop} resets an in-flight request instead of waiting for it, so neither a reload nor
 * shutdown waits on a slow endpoint.
 *
 * <p>Threading: state is confined to the context {@link #start} runs on; one refresh at a time, the
 * next one scheduled when the previous ends; the JSON body is parsed on a worker.
 */
final class HttpSdProvider implements DiscoveryProvider {
  private static final Logger LOG = Logger.getLogger(HttpSdProvider.class);
  static final String META_URL = "__meta_url";
  private static final Pattern JSON_TYPE =
      Pattern.compile("(?i)application/json(;\\s*charset=(\"utf-8\"|utf-8))?");

  private final Vertx vertx;
  private final HttpSdConfig config;
  private final HttpClientFactory clients;
  private final String userAgent;
  private final String name;

  // Confined to the start context.
  private ConfiguredHttpClient client;
  private Consumer<List<TargetGroup>> updates;
  private Consumer<String> failures;
  private long timerId = -1;
  private boolean stopped;
  private List<TargetGroup> reported;
  private Future<Void> inFlight = Future.succeededFuture();
  private Promise<List<TargetGroup>> attempt;
  private HttpClientRequest request;

  HttpSdProvider(
      Vertx vertx, String job, HttpSdConfig config, HttpClientFactory clients, String userAgent) {
    this.vertx = vertx;
    this.config = config;
    this.clients = clients;
    this.userAgent = userAgent;
    this.name = "job \"" + job + "\" http_sd " + UrlRedactor.redact(config.url());
  }

  @Override
  public void start(Consumer<List<TargetGroup>> updates) {
    start(updates, reason -> {});
  }

  @Override
  public void start(Consumer<List<TargetGroup>> updates, Consumer<String> failures) {
    this.updates = updates;
    this.failures = failures;
    try {
      HttpClientConfig hc =
          config.httpClient() == null ? HttpClientConfig.DEFAULT : config.httpClient();
      client = clients.create(name, hc);
    } catch (IllegalArgumentException e) {
      fail("cannot build HTTP client: " + e.getMessage());
      report(List.of());
      return;
    }
    refresh();
  }

  @Override
  public Future<Void> stop() {
    stopped = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    abort(new IllegalStateException("discovery stopped"));
    Future<Void> done = inFlight.otherwiseEmpty();
    return client == null ? done : done.compose(v -> client.close());
  }

  private void refresh() {
    if (stopped) {
      return;
    }
    inFlight =
        fetch()
            .onSuccess(this::report)
            .onFailure(
                e -> {
                  if (stopped) {
                    return;
                  }
                  fail("unable to refresh target groups: " + e.getMessage());
                  if (reported == null) {
                    report(List.of());
                  }
                })
            .<Void>mapEmpty()
            .otherwiseEmpty()
            .onComplete(
                v -> {
                  if (!stopped) {
                    timerId = vertx.setTimer(intervalMillis(), id -> refresh());
                  }
                });
  }

  /**
   * One attempt, failed at the total deadline whatever the server does: the timer fails the attempt
   * and resets the request, which releases the connection.
   */
  private Future<List<TargetGroup>> fetch() {
    long deadline = intervalMillis();
    RequestOptions opts =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setAbsoluteURI(config.url())
            .setConnectTimeout(deadline)
            .putHeader("Accept", "application/json")
            .putHeader("User-Agent", userAgent)
            .putHeader("X-Prometheus-Refresh-Interval-Seconds", refreshSeconds());
    Promise<List<TargetGroup>> p = Promise.promise();
    attempt = p;
    long timer =
        vertx.setTimer(
            deadline,
            id ->
                abort(
                    new TimeoutException(
                        "refresh did not finish within "
                            + config.refreshInterval()
                            + " (the refresh_interval)")));
    client
        .request(opts)
        .compose(
            req -> {
              if (p.future().isComplete()) {
                req.reset();
                return Future.failedFuture("aborted");
              }
              request = req;
              return req.send();
            })
        .compose(resp -> resp.body().compose(body -> check(resp, body)))
        .compose(
            body ->
                vertx.executeBlocking(
                    () ->
                        TargetGroupParser.parseJson(
                            body.getBytes(), config.url(), META_URL, config.url()),
                    false))
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                p.tryComplete(ar.result());
              } else {
                p.tryFail(ar.cause());
              }
            });
    return p.future()
        .onComplete(
            ar -> {
              vertx.cancelTimer(timer);
              request = null;
              attempt = null;
            });
  }

  /** Fails the attempt in flight, if any, and resets its request. */
  private void abort(Throwable why) {
    Promise<List<TargetGroup>> p = attempt;
    HttpClientRequest req = request;
    if (p != null && p.tryFail(why) && req != null) {
      req.reset(0, why);
    }
  }

  private void fail(String reason) {
    LOG.errorf("%s: %s", name, reason);
    failures.accept(name + ": " + reason);
  }

  private static Future<Buffer> check(HttpClientResponse resp, Buffer body) {
    if (resp.statusCode() != 200) {
      return Future.failedFuture(
          "server returned HTTP status " + resp.statusCode() + " " + resp.statusMessage());
    }
    String type = resp.getHeader("Content-Type");
    if (type == null || !JSON_TYPE.matcher(type.strip()).matches()) {
      return Future.failedFuture("unsupported content type \"" + (type == null ? "" : type) + "\"");
    }
    return Future.succeededFuture(body);
  }

  private void report(List<TargetGroup> groups) {
    if (stopped || groups.equals(reported)) {
      return;
    }
    reported = groups;
    updates.accept(groups);
  }

  private long intervalMillis() {
    return Math.max(1, config.refreshInterval().toMillis());
  }

  /** Seconds in the shortest decimal form ({@code 60}, {@code 0.5}), as Prometheus sends it. */
  private String refreshSeconds() {
    return BigDecimal.valueOf(config.refreshInterval().toMillis())
        .movePointLeft(3)
        .stripTrailingZeros()
        .toPlainString();
  }
}
