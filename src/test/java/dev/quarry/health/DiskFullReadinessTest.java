package dev.quarry.health;

import static dev.quarry.testing.PromQueries.await;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import dev.quarry.storage.file.DiskFullChannels;
import dev.quarry.testing.ProfileDir;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A full disk makes Quarry not ready although its data directory is writable: {@code /-/ready} and
 * {@code /q/health/ready} answer 503 with the reason while commits fail with "No space left on
 * device", and 200 again by themselves once commits are written.
 */
@QuarkusTest
@TestProfile(DiskFullReadinessTest.Profile.class)
class DiskFullReadinessTest {
  private static final Duration TEN_S = Duration.ofSeconds(10);

  /** The WAL of this profile's store, on a disk the test fills. */
  @Alternative
  @Singleton
  public static class Disk extends DiskFullChannels {}

  /** Server mode; one target on a closed port, scraped every second, so every second commits. */
  public static class Profile implements QuarkusTestProfile {
    static final Path DIR =
        ProfileDir.create(
            "quarry-diskfull",
            "prometheus.yml",
            "global: {scrape_interval: 1s}\n"
                + "scrape_configs:\n"
                + "  - job_name: down\n"
                + "    static_configs: [{targets: ['127.0.0.1:"
                + ProfileDir.closedPort()
                + "']}]\n");

    @Override
    public Map<String, String> getConfigOverrides() {
      return ProfileDir.serverMode(DIR);
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
      return Set.of(Disk.class);
    }
  }

  @Test
  void notReadyWhileCommitsFailAndReadyAgainAfter() throws Exception {
    Disk disk = Arc.container().instance(Disk.class).get();
    await("ready", TEN_S, () -> given().get("/-/ready").statusCode() == 200);
    disk.fill(true);
    try {
      await("not ready", TEN_S, () -> given().get("/-/ready").statusCode() == 503);
      given()
          .get("/-/ready")
          .then()
          .statusCode(503)
          .body(containsString("storage: appends failing since "))
          .body(containsString("No space left on device"));
      given()
          .get("/q/health/ready")
          .then()
          .statusCode(503)
          .body(containsString("\"storage writable\": false"))
          .body(containsString("No space left on device"));
      given().get("/-/healthy").then().statusCode(200);
    } finally {
      disk.fill(false);
    }
    await("ready again", TEN_S, () -> given().get("/-/ready").statusCode() == 200);
    given().get("/q/health/ready").then().statusCode(200);
  }
}
