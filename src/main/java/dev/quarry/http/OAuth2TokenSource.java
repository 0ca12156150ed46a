package dev.quarry.http;

import dev.quarry.config.OAuth2Config;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * The access tokens of one {@code oauth2} block, fetched with the client credentials grant as
 * golang.org/x/oauth2's {@code clientcredentials} does and cached until {@link
 * OAuth2Token#EXPIRY_DELTA} before they expire, so many requests share one token and a token is
 * replaced before it runs out.
 *
 * <p>The token request is a form-encoded POST of {@code grant_type=client_credentials}, {@code
 * scope} (the scopes joined by spaces) and {@code endpoint_params}. The client id and secret go
 * first in a basic-auth header (each URL-encoded, as x/oauth2's {@code AuthStyleInHeader}); when
 * that fails they are sent in the form instead, and whichever way worked is kept for the later
 * fetches (x/oauth2's {@code AuthStyleAutoDetect}). A {@code client_secret_file} is read before
 * every request, as Prometheus does; a changed secret drops the cached token.
 *
 * <p>Everything is non-blocking: the fetch is a Vert.x request and concurrent callers wait for the
 * one fetch in flight. A fetch ends after at most {@link #FETCH_TIMEOUT_MILLIS}. A failed fetch is
 * not cached: the next request tries again. Errors name the token URL (its password masked) and
 * never contain the secret or a token.
 *
 * <p>Thread-safe: the cache, the fetch in flight and the learnt auth style are guarded by {@code
 * this}; every returned future completes on the caller's Vert.x context.
 */
final class OAuth2TokenSource {
  /** The longest one token fetch may take. */
  static final long FETCH_TIMEOUT_MILLIS = 30_000;

  /** The largest token response read, as x/oauth2's 1 MiB. */
  private static final int MAX_BODY = 1 << 20;

  private enum AuthStyle {
    HEADER,
    PARAMS
  }

  private final Vertx vertx;
  private final ConfiguredHttpClient http;
  private final OAuth2Config config;
  private final Secret secret;
  private final InstantSource clock;
  private final String shownUrl;

  private String secretValue;
  private OAuth2Token token;
  private Future<OAuth2Token> inflight;
  private AuthStyle style;

  /**
   * A source fetching from {@code config.tokenUrl()} through {@code http}, a client built from the
   * block's own {@code tls_config} and {@code proxy_url}.
   */
  OAuth2TokenSource(
      Vertx vertx, ConfiguredHttpClient http, OAuth2Config config, InstantSource clock) {
    this.vertx = vertx;
    this.http = http;
    this.config = config;
    this.secret = Secret.of(vertx, config.clientSecret(), config.clientSecretFile());
    this.clock = clock;
    this.shownUrl = UrlRedactor.redact(config.tokenUrl());
  }

  /**
   * The {@code Authorization} header value for a request: the cached token while it is valid, else
   * a newly fetched one. {@code userAgent} (may be null) is sent with a token request, as
   * Prometheus sends the request's own.
   */
  Future<String> authorization(String userAgent) {
    Context caller = vertx.getOrCreateContext();
    Future<String> header =
        secret
            .fetch()
            .recover(
                e ->
                    Future.failedFuture(
                        new IllegalStateException("oauth2 client secret: " + e.getMessage(), e)))
            .compose(s -> token(s, userAgent))
            .map(OAuth2Token::header);
    Promise<String> p = Promise.promise();
    header.onComplete(
        ar -> {
          if (Vertx.currentContext() == caller) {
            p.handle(ar);
          } else {
            caller.runOnContext(v -> p.handle(ar));
          }
        });
    return p.future();
  }

  /** Closes the token endpoint's client. */
  Future<Void> close() {
    return http.close();
  }

  private synchronized Future<OAuth2Token> token(String currentSecret, String userAgent) {
    if (!currentSecret.equals(secretValue)) {
      secretValue = currentSecret;
      token = null;
      inflight = null;
    }
    if (token != null && token.validAt(clock.instant())) {
      return Future.succeededFuture(token);
    }
    if (inflight == null) {
      Future<OAuth2Token> f = fetch(currentSecret, userAgent);
      inflight = f;
      f.onComplete(ar -> settle(f, ar));
    }
    return inflight;
  }

  private synchronized void settle(Future<OAuth2Token> f, AsyncResult<OAuth2Token> ar) {
    if (inflight == f) {
      inflight = null;
      if (ar.succeeded()) {
        token = ar.result();
      }
    }
  }

  private Future<OAuth2Token> fetch(String clientSecret, String userAgent) {
    AuthStyle known;
    synchronized (this) {
      known = style;
    }
    if (known != null) {
      return exchange(known, clientSecret, userAgent);
    }
    return exchange(AuthStyle.HEADER, clientSecret, userAgent)
        .map(t -> learnt(AuthStyle.HEADER, t))
        .recover(
            e ->
                exchange(AuthStyle.PARAMS, clientSecret, userAgent)
                    .map(t -> learnt(AuthStyle.PARAMS, t)));
  }

  private synchronized OAuth2Token learnt(AuthStyle s, OAuth2Token t) {
    style = s;
    return t;
  }

  /** One token request, ended by {@link #FETCH_TIMEOUT_MILLIS} whatever the endpoint does. */
  private Future<OAuth2Token> exchange(AuthStyle how, String clientSecret, String userAgent) {
    Map<String, String> form = new TreeMap<>(); // Go's url.Values.Encode sorts by key
    form.put("grant_type", "client_credentials");
    if (!config.scopes().isEmpty()) {
      form.put("scope", String.join(" ", config.scopes()));
    }
    form.putAll(config.endpointParams());
    RequestOptions o =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(config.tokenUrl())
            .setConnectTimeout(FETCH_TIMEOUT_MILLIS)
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/x-www-form-urlencoded");
    if (userAgent != null) {
      o.putHeader(HttpHeaders.USER_AGENT, userAgent);
    }
    if (how == AuthStyle.HEADER) {
      String pair = queryEscape(config.clientId()) + ":" + queryEscape(clientSecret);
      o.putHeader(
          HttpHeaders.AUTHORIZATION,
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    } else {
      form.put("client_id", config.clientId());
      if (!clientSecret.isEmpty()) {
        form.put("client_secret", clientSecret);
      }
    }
    Buffer body = Buffer.buffer(encode(form));
    Promise<OAuth2Token> result = Promise.promise();
    HttpClientRequest[] sent = {null};
    long timer =
        vertx.setTimer(
            FETCH_TIMEOUT_MILLIS,
            id -> {
              if (result.tryFail(failure("no answer within " + FETCH_TIMEOUT_MILLIS / 1000 + "s"))
                  && sent[0] != null) {
                sent[0].reset();
              }
            });
    http.request(o)
        .compose(
            req -> {
              sent[0] = req;
              return req.send(body);
            })
        .compose(this::read)
        .onComplete(
            ar -> {
              vertx.cancelTimer(timer);
              if (ar.succeeded()) {
                result.tryComplete(ar.result());
              } else {
                Throwable e = ar.cause();
                result.tryFail(
                    e instanceof TokenException ? e : failure(UrlRedactor.redactAll(describe(e))));
              }
            });
    return result.future();
  }

  /** The token of a response, or a failure naming its status or what was wrong with it. */
  private Future<OAuth2Token> read(HttpClientResponse resp) {
    Promise<OAuth2Token> p = Promise.promise();
    Buffer body = Buffer.buffer();
    resp.exceptionHandler(e -> p.tryFail(failure(describe(e))));
    resp.handler(
        chunk -> {
          if (body.length() + chunk.length() > MAX_BODY) {
            p.tryFail(failure("response larger than " + MAX_BODY + " bytes"));
            resp.request().reset();
            return;
          }
          body.appendBuffer(chunk);
        });
    resp.endHandler(
        v -> {
          String text = body.toString(StandardCharsets.UTF_8);
          int status = resp.statusCode();
          if (status < 200 || status > 299) {
            String reason = resp.statusMessage();
            if (reason == null || reason.isEmpty()) {
              reason = HttpResponseStatus.valueOf(status).reasonPhrase();
            }
            p.tryFail(
                failure("server returned HTTP status " + status + " " + reason + excerpt(text)));
            return;
          }
          try {
            p.tryComplete(
                OAuth2Token.parse(resp.getHeader(HttpHeaders.CONTENT_TYPE), text, clock.instant()));
          } catch (IllegalStateException e) {
            p.tryFail(failure(e.getMessage()));
          }
        });
    return p.future();
  }

  private TokenException failure(String reason) {
    return new TokenException("oauth2: cannot fetch token from " + shownUrl + ": " + reason);
  }

  /** The start of an error body, on one line, as context for the status. */
  private static String excerpt(String body) {
    String s = body.strip().replaceAll("\\s+", " ");
    if (s.isEmpty()) {
      return "";
    }
    return ": " + (s.length() > 256 ? s.substring(0, 256) + "…" : s);
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }

  /** {@code k=v&…} with Go's {@code url.QueryEscape} for keys and values. */
  static String encode(Map<String, String> sorted) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> e : sorted.entrySet()) {
      if (b.length() > 0) {
        b.append('&');
      }
      b.append(queryEscape(e.getKey())).append('=').append(queryEscape(e.getValue()));
    }
    return b.toString();
  }

  /**
   * Go's {@code url.QueryEscape}: letters, digits and {@code -_.~} stay, a space becomes {@code +},
   * every other UTF-8 byte {@code %XX}.
   */
  static String queryEscape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        b.append((char) c);
      } else if (c == ' ') {
        b.append('+');
      } else {
        b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        b.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return b.toString();
  }

  /** A failed token fetch; its message names the token URL. */
  static final class TokenException extends IllegalStateException {
    TokenException(String message) {
      super(message);
    }
  }
}
