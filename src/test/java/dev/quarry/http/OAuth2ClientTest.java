package dev.quarry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.config.HttpClientConfig;
import dev.quarry.config.OAuth2Config;
import dev.quarry.config.TlsConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code oauth2} against a token endpoint and a target of the test's own: what the token request
 * carries, that one token serves many requests until shortly before it expires, and how a failing
 * endpoint fails the request.
 */
class OAuth2ClientTest {
  @TempDir Path dir;
  Vertx vertx;
  Vertx serverVertx;
  HttpServer tokenServer;
  HttpServer target;
  ConfiguredHttpClient client;

  /** One token request as the endpoint received it. */
  record TokenRequest(String authorization, String contentType, String userAgent, String body) {
    Map<String, String> form() {
      Map<String, String> m = new LinkedHashMap<>();
      for (String pair : body.split("&")) {
        int eq = pair.indexOf('=');
        m.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
      return m;
    }
  }

  final List<TokenRequest> tokenRequests = new CopyOnWriteArrayList<>();
  final List<String> targetAuth = new CopyOnWriteArrayList<>();
  final AtomicInteger issued = new AtomicInteger();

  /** What the endpoint answers to a request: status, content type and body. */
  volatile Function<TokenRequest, String[]> answer =
      r ->
          new String[] {
            "200",
            "application/json",
            "{\"access_token\":\"tok-"
                + issued.incrementAndGet()
                + "\",\"token_type\":\"bearer\",\"expires_in\":3600}"
          };

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    serverVertx = Vertx.vertx();
    tokenServer =
        await(serverVertx.createHttpServer().requestHandler(this::token).listen(0, "127.0.0.1"));
    target =
        await(
            serverVertx
                .createHttpServer()
                .requestHandler(
                    r -> {
                      String auth = r.getHeader("Authorization");
                      targetAuth.add(auth == null ? "-" : auth);
                      r.response().end("ok");
                    })
                .listen(0, "127.0.0.1"));
  }

  private void token(HttpServerRequest r) {
    r.body()
        .onSuccess(
            b -> {
              TokenRequest t =
                  new TokenRequest(
                      r.getHeader("Authorization"),
                      r.getHeader("Content-Type"),
                      r.getHeader("User-Agent"),
                      b.toString());
              tokenRequests.add(t);
              String[] a = answer.apply(t);
              r.response()
                  .setStatusCode(Integer.parseInt(a[0]))
                  .putHeader("Content-Type", a[1])
                  .end(a[2]);
            });
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      await(client.close());
    }
    await(vertx.close());
    await(serverVertx.close());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  String tokenUrl() {
    return "http://127.0.0.1:" + tokenServer.actualPort() + "/oauth2/token";
  }

  OAuth2Config oauth2(String secret, String secretFile) {
    return new OAuth2Config(
        "my client",
        secret,
        secretFile,
        List.of("read", "write"),
        tokenUrl(),
        Map.of("audience", "https://metrics.example/"),
        TlsConfig.DEFAULT,
        null);
  }

  ConfiguredHttpClient clientWith(OAuth2Config o) {
    return new HttpClientFactory(vertx)
        .create(
            "job \"j\"", new HttpClientConfig(null, null, TlsConfig.DEFAULT, null, true, true, o));
  }

  /** One GET of the target on a Vert.x context, as the agent sends it. */
  Future<String> get() {
    RequestOptions o =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setAbsoluteURI("http://127.0.0.1:" + target.actualPort() + "/metrics")
            .putHeader("User-Agent", "Quarry/test");
    Promise<String> p = Promise.promise();
    vertx
        .getOrCreateContext()
        .runOnContext(
            v ->
                client
                    .request(o)
                    .compose(r -> r.send())
                    .compose(r -> r.body())
                    .map(b -> b.toString())
                    .onComplete(p));
    return p.future();
  }

  @Test
  void oneTokenServesManyRequestsAndTheTargetReceivesItAsBearer() throws Exception {
    client = clientWith(oauth2("s3:cr&t +x", null));
    List<Future<String>> concurrent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      concurrent.add(get());
    }
    await(Future.all(concurrent));
    for (int i = 0; i < 5; i++) {
      await(get());
    }
    assertEquals(1, tokenRequests.size(), "one token request for 25 requests");
    assertEquals(25, targetAuth.size());
    assertTrue(targetAuth.stream().allMatch("Bearer tok-1"::equals), targetAuth.toString());

    TokenRequest t = tokenRequests.get(0);
    // x/oauth2 first sends the client id and secret URL-encoded in a basic-auth header.
    assertEquals(
        "Basic "
            + Base64.getEncoder()
                .encodeToString("my+client:s3%3Acr%26t+%2Bx".getBytes(StandardCharsets.UTF_8)),
        t.authorization());
    assertEquals("application/x-www-form-urlencoded", t.contentType());
    assertEquals("Quarry/test", t.userAgent());
    assertEquals(
        Map.of(
            "grant_type", "client_credentials",
            "scope", "read write",
            "audience", "https://metrics.example/"),
        t.form());
    // Go's url.Values.Encode sorts the keys.
    assertEquals(
        "audience=https%3A%2F%2Fmetrics.example%2F&grant_type=client_credentials"
            + "&scope=read+write",
        t.body());
  }

  @Test
  void credentialsMoveToTheFormWhenTheHeaderIsRefusedAndThatStyleIsKept() throws Exception {
    answer =
        r ->
            r.authorization() != null
                ? new String[] {"401", "application/json", "{\"error\":\"invalid_client\"}"}
                : new String[] {
                  "200",
                  "application/x-www-form-urlencoded",
                  "access_token=form-" + issued.incrementAndGet() + "&token_type=bearer"
                };
    OAuth2TokenSource source = source(oauth2("pw", null), InstantSource.system());
    assertEquals("Bearer form-1", await(onContext(() -> source.authorization(null))));
    assertEquals(2, tokenRequests.size());
    Map<String, String> form = tokenRequests.get(1).form();
    assertEquals("my client", form.get("client_id"));
    assertEquals("pw", form.get("client_secret"));
    assertNull(tokenRequests.get(1).authorization());
    await(source.close());
  }

  @Test
  void tokenIsRefreshedTenSecondsBeforeItExpires() throws Exception {
    answer =
        r ->
            new String[] {
              "200",
              "application/json",
              "{\"access_token\":\"t" + issued.incrementAndGet() + "\",\"expires_in\":60}"
            };
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    OAuth2TokenSource source = source(oauth2("pw", null), now::get);
    assertEquals("Bearer t1", await(onContext(() -> source.authorization(null))));
    now.set(now.get().plus(Duration.ofSeconds(49)));
    assertEquals("Bearer t1", await(onContext(() -> source.authorization(null))));
    assertEquals(1, tokenRequests.size());
    // 60 s of validity less x/oauth2's 10 s expiry delta.
    now.set(now.get().plus(Duration.ofSeconds(2)));
    assertEquals("Bearer t2", await(onContext(() -> source.authorization(null))));
    assertEquals(2, tokenRequests.size());
    // The header style worked the first time, so the refresh used it straight away.
    assertTrue(tokenRequests.get(1).authorization().startsWith("Basic "));
    await(source.close());
  }

  @Test
  void failingTokenEndpointFailsTheRequestNamingTheTokenUrlAndIsRetriedNextTime() throws Exception {
    answer = r -> new String[] {"500", "text/plain", "token service down"};
    client = clientWith(oauth2("hunter2", null));
    ExecutionException e =
        org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> await(get()));
    String msg = e.getCause().getMessage();
    assertTrue(
        msg.contains(
            "oauth2: cannot fetch token from "
                + tokenUrl()
                + ": server returned HTTP status 500 Internal Server Error: token service down"),
        msg);
    assertFalse(msg.contains("hunter2"), msg);
    assertTrue(targetAuth.isEmpty(), "the target was not asked without a token");

    answer = r -> new String[] {"200", "application/json", "{\"access_token\":\"back\"}"};
    assertEquals("ok", await(get()));
    assertEquals(List.of("Bearer back"), targetAuth);
  }

  @Test
  void unreachableTokenEndpointNamesItsUrl() throws Exception {
    String url = tokenUrl();
    await(tokenServer.close());
    client =
        clientWith(
            new OAuth2Config("id", "pw", null, List.of(), url, Map.of(), TlsConfig.DEFAULT, null));
    ExecutionException e =
        org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> await(get()));
    assertTrue(
        e.getCause().getMessage().contains("oauth2: cannot fetch token from " + url + ": "),
        e.getCause().getMessage());
  }

  @Test
  void responseWithoutAccessTokenIsAnError() throws Exception {
    answer = r -> new String[] {"200", "application/json", "{\"token_type\":\"bearer\"}"};
    client = clientWith(oauth2("pw", null));
    ExecutionException e =
        org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> await(get()));
    assertTrue(
        e.getCause().getMessage().endsWith("oauth2: server response missing access_token"),
        e.getCause().getMessage());
  }

  @Test
  void changedSecretFileDropsTheCachedToken() throws Exception {
    Path secret = dir.resolve("secret");
    Files.writeString(secret, "first\n");
    client = clientWith(oauth2(null, secret.toString()));
    await(get());
    await(get());
    assertEquals(1, tokenRequests.size());
    Files.writeString(secret, "second\n");
    await(get());
    assertEquals(2, tokenRequests.size());
    assertEquals(
        "Basic " + Base64.getEncoder().encodeToString("my+client:second".getBytes()),
        tokenRequests.get(1).authorization());
    assertEquals(List.of("Bearer tok-1", "Bearer tok-1", "Bearer tok-2"), targetAuth);
  }

  OAuth2TokenSource source(OAuth2Config o, InstantSource clock) {
    ConfiguredHttpClient endpoint =
        new HttpClientFactory(vertx)
            .create(
                "t oauth2", new HttpClientConfig(null, null, TlsConfig.DEFAULT, null, true, false));
    return new OAuth2TokenSource(vertx, endpoint, o, clock);
  }

  <T> Future<T> onContext(java.util.function.Supplier<Future<T>> f) {
    Promise<T> p = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> f.get().onComplete(p));
    return p.future();
  }
}
