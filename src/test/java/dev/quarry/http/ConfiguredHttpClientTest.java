package dev.quarry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Named.named;

import dev.quarry.config.Authorization;
import dev.quarry.config.BasicAuth;
import dev.quarry.config.HttpClientConfig;
import dev.quarry.config.TlsConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfiguredHttpClientTest {
  @TempDir Path dir;
  Vertx vertx;
  HttpServer server;
  ConfiguredHttpClient client;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    // Echoes the Authorization header it received, or "-" when there was none.
    server =
        await(
            vertx
                .createHttpServer()
                .requestHandler(
                    req -> {
                      String auth = req.getHeader("Authorization");
                      if (req.path().equals("/redirect")) {
                        req.response()
                            .setStatusCode(302)
                            .putHeader(
                                "Location", "http://127.0.0.1:" + req.localAddress().port() + "/")
                            .end();
                      } else {
                        req.response().end(auth == null ? "-" : auth);
                      }
                    })
                .listen(0, "127.0.0.1"));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (client != null) {
      await(client.close());
    }
    await(vertx.close());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /**
   * Runs an exchange on a Vert.x context, as the agent does: a chain started from the test thread
   * may register the body handler after the response ended.
   */
  private <T> T onContext(java.util.function.Supplier<Future<T>> exchange) throws Exception {
    io.vertx.core.Promise<T> p = io.vertx.core.Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> exchange.get().onComplete(p));
    return await(p.future());
  }

  private static HttpClientConfig withAuth(BasicAuth basic, Authorization authz) {
    return new HttpClientConfig(basic, authz, TlsConfig.DEFAULT, null, true, true);
  }

  private String get(String path) throws Exception {
    RequestOptions o =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setAbsoluteURI("http://127.0.0.1:" + server.actualPort() + path);
    return onContext(() -> client.request(o).compose(r -> r.send()).compose(r -> r.body()))
        .toString();
  }

  private static String basic(String user, String pw) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + pw).getBytes());
  }

  static Stream<Arguments> inlineAuth() {
    return Stream.of(
        Arguments.of(named("no auth", withAuth(null, null)), "-"),
        Arguments.of(
            named("basic auth", withAuth(new BasicAuth("alice", "s3cret", null), null)),
            basic("alice", "s3cret")),
        Arguments.of(
            named(
                "authorization defaults to Bearer",
                withAuth(null, new Authorization(null, "tok", null))),
            "Bearer tok"),
        Arguments.of(
            named(
                "authorization with own type",
                withAuth(null, new Authorization("Token", "tok", null))),
            "Token tok"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inlineAuth")
  void appliesTheConfiguredAuthorizationHeader(HttpClientConfig config, String expected)
      throws Exception {
    client = new HttpClientFactory(vertx).create("test", config);
    assertEquals(expected, get("/"));
  }

  @Test
  void passwordFileIsReadAgainForEachRequestAndTrimmed() throws Exception {
    Path pw = dir.resolve("pw");
    Files.writeString(pw, "first\n");
    client =
        new HttpClientFactory(vertx)
            .create("test", withAuth(new BasicAuth("bob", null, pw.toString()), null));
    assertEquals(basic("bob", "first"), get("/"));
    Files.writeString(pw, "rotated\n");
    assertEquals(basic("bob", "rotated"), get("/"));
  }

  @Test
  void credentialsFileIsReadAgainForEachRequest() throws Exception {
    Path tok = dir.resolve("token");
    Files.writeString(tok, "one\n");
    client =
        new HttpClientFactory(vertx)
            .create("test", withAuth(null, new Authorization(null, null, tok.toString())));
    assertEquals("Bearer one", get("/"));
    Files.writeString(tok, "two");
    assertEquals("Bearer two", get("/"));
  }

  @Test
  void unreadableSecretFileFailsTheRequestNamingClientAndFile() {
    Path missing = dir.resolve("missing");
    client =
        new HttpClientFactory(vertx)
            .create("job \"x\"", withAuth(new BasicAuth("bob", null, missing.toString()), null));
    ExecutionException e =
        org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> get("/"));
    String msg = e.getCause().getMessage();
    assertTrue(msg.startsWith("job \"x\": unable to read file " + missing), msg);
  }

  @Test
  void anAuthorizationHeaderSetByTheCallerWins() throws Exception {
    client =
        new HttpClientFactory(vertx)
            .create("test", withAuth(null, new Authorization(null, "tok", null)));
    RequestOptions o =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setAbsoluteURI("http://127.0.0.1:" + server.actualPort() + "/")
            .putHeader("Authorization", "Custom x");
    assertEquals(
        "Custom x",
        onContext(() -> client.request(o).compose(r -> r.send()).compose(r -> r.body()))
            .toString());
  }

  @ParameterizedTest(name = "follow_redirects={0}")
  @org.junit.jupiter.params.provider.CsvSource({"true, 200", "false, 302"})
  void redirectsFollowTheConfig(boolean follow, int status) throws Exception {
    client =
        new HttpClientFactory(vertx)
            .create(
                "test", new HttpClientConfig(null, null, TlsConfig.DEFAULT, null, follow, true));
    RequestOptions o =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setAbsoluteURI("http://127.0.0.1:" + server.actualPort() + "/redirect");
    assertEquals(
        status,
        (int) onContext(() -> client.request(o).compose(r -> r.send()).map(r -> r.statusCode())));
  }

  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = '|',
      textBlock =
          """
          unknown min_version | TLS99 | \
          | tls_config.min_version: unknown TLS version: TLS99
          bad proxy scheme    |       | ftp://p:21    | proxy_url: unsupported proxy scheme "ftp"
          """)
  void invalidSettingsNameTheField(String name, String minVersion, String proxy, String expected) {
    HttpClientConfig c =
        new HttpClientConfig(
            null,
            null,
            new TlsConfig(null, null, null, null, false, minVersion),
            proxy,
            true,
            true);
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> new HttpClientFactory(vertx).create("job \"j\"", c));
    assertEquals(true, e.getMessage().startsWith("job \"j\": " + expected), e.getMessage());
  }
}
