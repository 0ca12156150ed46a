package dev.quarry.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.config.HttpClientConfig;
import dev.quarry.config.OAuth2Config;
import dev.quarry.config.TlsConfig;
import dev.quarry.http.ConfiguredHttpClient;
import dev.quarry.http.HttpClientFactory;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scrapes of a job with {@code oauth2}: the token reaches the target, a token failure fails the
 * scrape.
 */
class TargetScraperOAuth2Test {
  Vertx vertx;
  Vertx serverVertx;
  HttpServer tokenServer;
  HttpServer target;
  ConfiguredHttpClient client;
  final AtomicInteger tokenRequests = new AtomicInteger();
  final List<String> seen = new CopyOnWriteArrayList<>();
  volatile int tokenStatus = 200;

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    serverVertx = Vertx.vertx();
    tokenServer =
        await(
            serverVertx
                .createHttpServer()
                .requestHandler(
                    r -> {
                      tokenRequests.incrementAndGet();
                      r.response()
                          .setStatusCode(tokenStatus)
                          .putHeader("Content-Type", "application/json")
                          .end(
                              tokenStatus == 200
                                  ? "{\"access_token\":\"scrape-token\",\"expires_in\":300}"
                                  : "{\"error\":\"invalid_client\"}");
                    })
                .listen(0, "127.0.0.1"));
    target =
        await(
            serverVertx
                .createHttpServer()
                .requestHandler(
                    r -> {
                      seen.add(String.valueOf(r.getHeader("Authorization")));
                      r.response().putHeader("Content-Type", "text/plain").end("up_metric 1\n");
                    })
                .listen(0, "127.0.0.1"));
    OAuth2Config o =
        new OAuth2Config(
            "job-client", "secret", null, List.of(), tokenUrl(), Map.of(), TlsConfig.DEFAULT, null);
    client =
        new HttpClientFactory(vertx, 100)
            .create(
                "job \"t\"",
                new HttpClientConfig(null, null, TlsConfig.DEFAULT, null, true, true, o),
                false);
  }

  @AfterEach
  void stop() throws Exception {
    await(client.close());
    await(vertx.close());
    await(serverVertx.close());
  }

  String tokenUrl() {
    return "http://127.0.0.1:" + tokenServer.actualPort() + "/token";
  }

  AsyncResult<ScrapeResponse> scrape() throws Exception {
    String url = "http://127.0.0.1:" + target.actualPort() + "/metrics";
    TargetScraper scraper =
        new TargetScraper(
            vertx,
            client::request,
            url,
            "text/plain",
            true,
            0,
            new BufferPool(8),
            "Quarry/test",
            true);
    Promise<AsyncResult<ScrapeResponse>> done = Promise.promise();
    vertx
        .getOrCreateContext()
        .runOnContext(v -> scraper.scrape(20_000, 0).onComplete(done::complete));
    return await(done.future());
  }

  @Test
  void everyScrapeCarriesTheOneToken() throws Exception {
    for (int i = 0; i < 5; i++) {
      AsyncResult<ScrapeResponse> r = scrape();
      assertTrue(r.succeeded(), String.valueOf(r.cause()));
    }
    assertEquals(1, tokenRequests.get());
    assertEquals(List.of("Bearer scrape-token"), seen.stream().distinct().toList());
    assertEquals(5, seen.size());
  }

  @Test
  void refusedTokenFailsTheScrapeNamingTheTokenUrl() throws Exception {
    tokenStatus = 401;
    AsyncResult<ScrapeResponse> r = scrape();
    assertTrue(r.failed());
    String msg = r.cause().getMessage();
    assertTrue(
        msg.contains(
            "oauth2: cannot fetch token from "
                + tokenUrl()
                + ": server returned HTTP status 401 Unauthorized"),
        msg);
    assertTrue(msg.startsWith("Get \"http://127.0.0.1:"), msg);
    assertTrue(seen.isEmpty());
  }
}
