package dev.quarry.discovery;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.testing.ProfileDir;
import dev.quarry.testing.TestDnsServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * End to end: a job whose only discovery is {@code dns_sd_configs} type A, answered by a DNS server
 * of the test's own on loopback ({@code quarry.discovery.dns.server}), scrapes the HTTP target the
 * answer points at: {@code up} is 1, the meta labels reach relabelling, the targets API shows them,
 * and the lookups are counted in {@code /metrics}.
 */
@QuarkusTest
@TestProfile(DnsSdScrapeTest.Profile.class)
class DnsSdScrapeTest {
  /** A scrape target and a DNS server whose {@code target.test.} A record is 127.0.0.1. */
  public static class Profile implements QuarkusTestProfile {
    static final TestDnsServer DNS = TestDnsServer.start();
    static final int PORT;
    static final Path DIR;

    static {
      try {
        HttpServer target =
            Vertx.vertx()
                .createHttpServer()
                .requestHandler(
                    req -> req.response().putHeader("Content-Type", "text/plain").end("m 1\n"))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        PORT = target.actualPort();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      DNS.answer("target.test.", "A", TestDnsServer.a("127.0.0.1"));
      DIR =
          ProfileDir.create(
              "quarry-dns-sd",
              "prometheus.yml",
              """
              global:
                scrape_interval: 1s
                scrape_timeout: 500ms
              scrape_configs:
                - job_name: dns
                  dns_sd_configs:
                    - names: [target.test]
                      type: A
                      port: %d
                      refresh_interval: 1s
                  relabel_configs:
                    - source_labels: [__meta_dns_name]
                      target_label: dns_name
              """
                  .formatted(PORT));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
      return ProfileDir.serverMode(
          DIR, "quarry.discovery.dns.server", DNS.address(), "quarkus.http.test-port", "0");
    }
  }

  private static void awaitTrue(String what, BooleanSupplier c) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!c.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertTrue(c.getAsBoolean(), "timed out: " + what);
  }

  private static JsonPath query(String q) {
    return given()
        .queryParam("query", q)
        .get("/api/v1/query")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  @Test
  void theTargetTheDnsAnswerNamesIsScraped() throws Exception {
    awaitTrue(
        "up{job=\"dns\"} == 1",
        () -> !query("up{job=\"dns\"} == 1").getList("data.result").isEmpty());
    JsonPath up = query("up{job=\"dns\"}");
    assertEquals(
        Map.of(
            "__name__", "up",
            "job", "dns",
            "instance", "127.0.0.1:" + Profile.PORT,
            "dns_name", "target.test"),
        up.getMap("data.result[0].metric"));
    assertEquals("1", up.getString("data.result[0].value[1]"));

    JsonPath targets = given().get("/api/v1/targets").then().extract().jsonPath();
    Map<String, String> discovered = targets.getMap("data.activeTargets[0].discoveredLabels");
    assertEquals("target.test", discovered.get("__meta_dns_name"));
    assertEquals("127.0.0.1:" + Profile.PORT, discovered.get("__address__"));
    assertTrue(
        Profile.DNS.questions().contains("target.test. A"), Profile.DNS.questions().toString());

    String metrics = given().get("/metrics").then().extract().asString();
    List<String> lookups =
        metrics.lines().filter(l -> l.startsWith("quarry_sd_dns_lookups_total ")).toList();
    assertEquals(1, lookups.size(), metrics);
    assertTrue(Double.parseDouble(lookups.get(0).split(" ")[1]) >= 1, lookups.get(0));
    assertTrue(metrics.contains("quarry_sd_dns_lookup_failures_total 0.0"), "no failures");
  }
}
