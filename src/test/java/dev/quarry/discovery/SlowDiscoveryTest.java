package dev.quarry.discovery;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.testing.Await;
import dev.quarry.testing.LoopbackHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One job's broken discovery delays only that job: with one {@code http_sd} endpoint that sends a
 * byte every 200 ms for ever and one that never answers, the static job is scraped at once, {@code
 * /-/ready} turns 200 within the endpoints' deadline, their refreshes fail and are counted and go
 * on, and a reload that replaces the dribbling provider completes at once.
 */
@QuarkusTest
@TestProfile(SlowDiscoveryTest.Profile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlowDiscoveryTest {
  /** Three loopback servers in the test: a scrape target, a dribbler and a silent endpoint. */
  public static class Profile implements QuarkusTestProfile {
    static final AtomicInteger scrapes = new AtomicInteger();
    static final AtomicInteger dribbled = new AtomicInteger();
    static final Path CONFIG;
    static final String V1;

    static {
      Vertx vertx = Vertx.vertx();
      HttpServer target =
          LoopbackHttp.listen(
              vertx,
              req -> {
                scrapes.incrementAndGet();
                req.response().putHeader("Content-Type", "text/plain").end("m 1\n");
              });
      HttpServer dribbler =
          LoopbackHttp.listen(
              vertx,
              req -> {
                dribbled.incrementAndGet();
                var r = req.response();
                r.setChunked(true).putHeader("Content-Type", "application/json").write("[");
                long id = vertx.setPeriodic(200, t -> r.write(" "));
                r.closeHandler(v -> vertx.cancelTimer(id));
              });
      HttpServer silent = LoopbackHttp.listen(vertx, req -> {});
      V1 =
          """
          global:
            scrape_interval: 1s
            scrape_timeout: 500ms
          scrape_configs:
            - job_name: static
              static_configs: [{targets: ['127.0.0.1:%d']}]
            - job_name: dribbling
              http_sd_configs: [{url: 'http://127.0.0.1:%d/sd', refresh_interval: 2s}]
            - job_name: silent
              http_sd_configs: [{url: 'http://127.0.0.1:%d/sd', refresh_interval: 2s}]
          """
              .formatted(target.actualPort(), dribbler.actualPort(), silent.actualPort());
      try {
        Path dir = Files.createTempDirectory("quarry-slow-sd");
        CONFIG = dir.resolve("prometheus.yml");
        Files.writeString(CONFIG, V1);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarry.config-file", CONFIG.toString(),
          "quarry.storage.mode", "memory",
          "quarry.reload-interval", "1h",
          "quarry.web.enable-lifecycle", "true");
    }
  }

  @Test
  @Order(1)
  void staticJobIsScrapedWhileOtherJobsDiscoveryHangs() throws Exception {
    Await.until(
        "the static target was scraped", Duration.ofSeconds(5), () -> Profile.scrapes.get() > 0);
  }

  @Test
  @Order(2)
  void readyWithinTheDiscoveryDeadline() throws Exception {
    // Each http_sd refresh ends at its 2 s deadline; the first failure makes its job known.
    Await.until(
        "ready",
        Duration.ofSeconds(10),
        () -> given().get("/-/ready").then().extract().statusCode() == 200);
  }

  @Test
  @Order(3)
  void refreshesFailWithTheirDeadlineAreCountedAndGoOn() throws Exception {
    Await.until(
        "a second refresh of the dribbling endpoint",
        Duration.ofSeconds(10),
        () -> Profile.dribbled.get() >= 2);
    Await.until(
        "failures counted for both jobs",
        Duration.ofSeconds(10),
        () -> failures("dribbling") >= 1 && failures("silent") >= 1);
  }

  private static double failures(String job) {
    String body = given().get("/metrics").then().extract().asString();
    Matcher m =
        Pattern.compile(
                "quarry_sd_refresh_failures_total\\{config=\""
                    + job
                    + "\",mechanism=\"http\"} (\\S+)")
            .matcher(body);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  @Order(4)
  void reloadReplacingTheDribblingProviderCompletesAtOnce() throws Exception {
    Files.writeString(Profile.CONFIG, Profile.V1.replace("/sd'", "/sd?v=2'"));
    long t0 = System.nanoTime();
    given().post("/-/reload").then().statusCode(200);
    long tookMs = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(tookMs < 3_000, "reload took " + tookMs + " ms");
    given()
        .get("/api/v1/status/reload")
        .then()
        .body(containsString("\"lastReloadSuccessful\":true"));
  }
}
