package dev.quarry.config;

import static dev.quarry.testing.PromQueries.await;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.scrape.ScrapeManager;
import dev.quarry.scrape.ScrapePool;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Config reloads: {@code POST /-/reload}, a file change in a Kubernetes-style ConfigMap directory
 * (symlinks swapped atomically); an invalid config is rejected with file, line and key while the
 * running one keeps running; unchanged jobs keep their pool. {@code SIGHUP} is in {@link
 * SighupReloadTest}.
 */
@QuarkusTest
@TestProfile(HotReloadTest.Profile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HotReloadTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  static final String V1 =
      "scrape_configs:\n  - job_name: stays\n    static_configs: [{targets: ['127.0.0.1:1']}]\n";

  /** A ConfigMap-like directory: prometheus.yml → ..data/prometheus.yml, ..data → ..v1. */
  public static class Profile implements QuarkusTestProfile {
    static final Path DIR;
    static int version = 1;

    static {
      try {
        DIR = Files.createTempDirectory("quarry-reload");
        Files.createDirectories(DIR.resolve("..v1"));
        Files.writeString(DIR.resolve("..v1/prometheus.yml"), V1);
        Files.createSymbolicLink(DIR.resolve("..data"), Path.of("..v1"));
        Files.createSymbolicLink(DIR.resolve("prometheus.yml"), Path.of("..data/prometheus.yml"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarry.config-file", DIR.resolve("prometheus.yml").toString(),
          "quarry.reload-interval", "1h",
          "quarry.web.enable-lifecycle", "true");
    }

    /** Publishes new content the way the kubelet does: new dir, then an atomic symlink swap. */
    static void publish(String yaml) throws IOException {
      version++;
      Path v = DIR.resolve("..v" + version);
      Files.createDirectories(v);
      Files.writeString(v.resolve("prometheus.yml"), yaml);
      Path tmp = DIR.resolve("..data_tmp");
      Files.deleteIfExists(tmp);
      Files.createSymbolicLink(tmp, Path.of(v.getFileName().toString()));
      Files.move(
          tmp,
          DIR.resolve("..data"),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Inject ConfigService config;
  @Inject ScrapeManager manager;

  @Test
  @Order(1)
  void fileChangeThroughSymlinkSwapReloadsAndKeepsUnchangedPools() throws Exception {
    await(
        "pool created",
        WAIT,
        () ->
            manager.pools().containsKey("stays")
                && !manager.pools().get("stays").activeTargets().isEmpty());
    ScrapePool before = manager.pools().get("stays");
    var loopBefore = before.loop(before.activeTargets().get(0));
    Profile.publish(V1 + "  - job_name: added\n    static_configs: [{targets: ['127.0.0.1:2']}]\n");
    await("new job applied", WAIT, () -> config.current().scrapeConfig("added") != null);
    await("new pool", WAIT, () -> manager.pools().containsKey("added"));
    assertSame(before, manager.pools().get("stays"), "an unchanged job keeps its pool");
    assertSame(loopBefore, before.loop(before.activeTargets().get(0)), "and its loops");
    assertTrue(config.lastReload().successful());
  }

  @Test
  @Order(2)
  void invalidConfigIsRejectedWithFileLineAndKeyAndTheRunningOneStays() throws Exception {
    Files.writeString(
        Profile.DIR.resolve("..v" + Profile.version + "/prometheus.yml"),
        V1 + "  - job_name: bad\n    scrape_interval: 1.5m\n");
    given()
        .post("/-/reload")
        .then()
        .statusCode(500)
        .body(
            containsString(
                "prometheus.yml:5: scrape_configs[1].scrape_interval: not a valid duration "
                    + "string"));
    assertFalse(config.lastReload().successful());
    assertTrue(config.current().scrapeConfig("added") != null, "the running config is kept");
    given().get("/metrics").then().body(containsString("quarry_config_last_reload_successful 0.0"));
    given()
        .get("/api/v1/status/reload")
        .then()
        .body(containsString("\"lastReloadSuccessful\":false"));
    given().get("/-/ready").then().statusCode(200);
  }

  @Test
  @Order(3)
  void postReloadAppliesAValidConfig() throws Exception {
    Files.writeString(Profile.DIR.resolve("..v" + Profile.version + "/prometheus.yml"), V1);
    given().post("/-/reload").then().statusCode(200);
    assertEquals(null, config.current().scrapeConfig("added"));
    await("removed pool stopped", WAIT, () -> !manager.pools().containsKey("added"));
    given().get("/metrics").then().body(containsString("quarry_config_last_reload_successful 1.0"));
  }

  @Test
  @Order(4)
  void crossSiteReloadIsRefusedAndSameOriginWorks() throws Exception {
    String host = "localhost:" + io.restassured.RestAssured.port;
    given()
        .header("Origin", "http://evil.example")
        .post("/-/reload")
        .then()
        .statusCode(403)
        .body(containsString("cross-origin request refused"));
    given()
        .header("Origin", "http://" + host)
        .header("Sec-Fetch-Site", "cross-site")
        .post("/-/reload")
        .then()
        .statusCode(403);
    given()
        .header("Origin", "http://" + host)
        .header("Sec-Fetch-Site", "same-origin")
        .post("/-/reload")
        .then()
        .statusCode(200);
  }
}
