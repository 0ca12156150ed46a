package dev.quarry.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.storage.file.DiskFullChannels;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Alternative;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * A full disk makes Quarry not ready although its data directory is writable: {@code /-/ready}
 * and {@code /q/health/ready} answer 503 with the reason while commits fail with "No space left on
 * device", and 200 again by themselves once commits are written.
 */
@QuarkusTest
@TestProfile(DiskFullReadinessTest.Profile.class)
class DiskFullReadinessTest {
  /** The WAL of this profile's store, on a disk the test fills. */
  @Alternative
  @Singleton
  public static class Disk extends DiskFullChannels {}

  /** Server mode; one target on a closed port, scraped every second, so every second commits. */
  public static class Profile implements QuarkusTestProfile {
    static final Path DIR;

    static {
      try (ServerSocket s = new ServerSocket(0)) {
        DIR = Files.createTempDirectory("quarry-diskfull");
        Files.writeString(
            DIR.resolve("prometheus.yml"),
            "global: {scrape_interval: 1s}\n"
                + "scrape_configs:\n"
                + "  - job_name: down\n"
                + "    static_configs: [{targets: ['127.0.0.1:" + s.getLocalPort() + "']}]\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarry.config-file", DIR.resolve("prometheus.yml").toString(),
          "quarry.data-dir", DIR.resolve("data").toString(),
          "quarry.storage.mode", "server");
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
      return Set.of(Disk.class);
    }
  }

  @Test
  void notReadyWhileCommitsFailAndReadyAgainAfter() throws Exception {
    Disk disk = Arc.container().instance(Disk.class).get();
    await("ready", () -> given().get("/-/ready").statusCode(), 200);
    disk.fill(true);
    try {
      await("not ready", () -> given().get("/-/ready").statusCode(), 503);
      given().get("/-/ready").then().statusCode(503)
          .body(containsString("storage: appends failing since "))
          .body(containsString("No space left on device"));
      given().get("/q/health/ready").then().statusCode(503)
          .body(containsString("\"storage writable\": false"))
          .body(containsString("No space left on device"));
      given().get("/-/healthy").then().statusCode(200);
    } finally {
      disk.fill(false);
    }
    await("ready again", () -> given().get("/-/ready").statusCode(), 200);
    given().get("/q/health/ready").then().statusCode(200);
  }

  private static void await(String what, IntSupplier status, int expected) throws Exception {
    for (int i = 0; i < 100 && status.getAsInt() != expected; i++) {
      Thread.sleep(100);
    }
    assertTrue(status.getAsInt() == expected, "timed out waiting for " + what);
  }
}
