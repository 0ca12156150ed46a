package dev.quarry.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Regexes in the read API are answered in time linear in the label values: a target's series with a
 * 100 KB label value and a 60-character name, queried with nested quantifiers that make a
 * backtracking engine run for ever, answers at once, as Prometheus (RE2) does.
 */
@QuarkusTest
@TestProfile(RegexQueryTest.Profile.class)
class RegexQueryTest {
  static final String NAME = "long_" + "n".repeat(55);
  static final String VALUE = "a".repeat(100_000);

  /** Far above a linear answer, far below a backtracking one (which never ends). */
  private static final Duration ANSWERS = Duration.ofSeconds(30);

  /** Server-mode storage and one target serving the long series, scraped every second. */
  public static class Profile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quarry.storage.mode", "server", "quarkus.http.test-port", "0");
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(Target.class));
    }
  }

  /** A JDK HTTP server on loopback with the page, and the config that scrapes it. */
  public static class Target implements QuarkusTestResourceLifecycleManager {
    private HttpServer server;

    @Override
    public Map<String, String> start() {
      byte[] page =
          (NAME + "{v=\"" + VALUE + "\"} 1\nshort_one{v=\"b\"} 2\n")
              .getBytes(StandardCharsets.UTF_8);
      try {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.createContext(
            "/metrics",
            ex -> {
              ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
              ex.sendResponseHeaders(200, page.length);
              try (OutputStream out = ex.getResponseBody()) {
                out.write(page);
              }
            });
        server.start();
        Path dir = Files.createTempDirectory("quarry-regex-query");
        Path cfg = dir.resolve("prometheus.yml");
        Files.writeString(
            cfg,
            """
            global:
              scrape_interval: 1s
              scrape_timeout: 900ms
            scrape_configs:
              - job_name: long
                static_configs: [{targets: ['127.0.0.1:%d']}]
            """
                .formatted(server.getAddress().getPort()));
        return Map.of("quarry.config-file", cfg.toString(), "quarry.data-dir", dir + "/data");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public void stop() {
      if (server != null) {
        server.stop(0);
      }
    }
  }

  private static ValidatableResponse get(String path, String param, String value) {
    return assertTimeoutPreemptively(
        ANSWERS,
        () -> given().queryParam(param, value).get(path).then().statusCode(200),
        () -> path + " " + param + "=" + value + " did not answer within " + ANSWERS);
  }

  @BeforeEach
  void scraped() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (given()
        .queryParam("query", NAME)
        .get("/api/v1/query")
        .then()
        .extract()
        .path("data.result.size()")
        .equals(0)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the target was not scraped within 30 s");
      }
      Thread.sleep(200);
    }
  }

  @Test
  void queryWithNestedQuantifiersOnALongValue() {
    get("/api/v1/query", "query", NAME + "{v=~\"((a+)+)+b\"}").body("data.result", empty());
    get("/api/v1/query", "query", "{v=~\"((a+)+)+b\"}").body("data.result", empty());
    get("/api/v1/query", "query", "{v!~\"((a+)+)+b\", v=~\"a+\"}")
        .body("data.result", hasSize(1))
        .body("data.result[0].metric.__name__", equalTo(NAME));
  }

  @Test
  void queryWithNestedQuantifiersOnMetricNames() {
    get("/api/v1/query", "query", "{__name__=~\"((.+)+)+x\"}").body("data.result", empty());
    get("/api/v1/query", "query", "{__name__=~\"((.+)+)+n\"}").body("data.result", hasSize(1));
  }

  @Test
  void seriesWithNestedQuantifiers() {
    get("/api/v1/series", "match[]", "{v=~\"((a+)+)+b\"}").body("data", empty());
    get("/api/v1/series", "match[]", "{__name__=~\"((.+)+)+x\"}").body("data", empty());
    get("/api/v1/series", "match[]", "{v=~\"(a|aa)+\"}").body("data", hasSize(1));
  }
}
