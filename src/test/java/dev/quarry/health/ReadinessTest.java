package dev.quarry.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import dev.quarry.testing.ProfileDir;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Probes: {@code /-/ready} and SmallRye readiness turn not-ready when the data directory cannot be
 * written (here: the volume vanished) and ready again when it is back; liveness stays up.
 */
@QuarkusTest
@TestProfile(ReadinessTest.Profile.class)
class ReadinessTest {
  /** Server mode with a temp data dir and an empty scrape config. */
  public static class Profile implements QuarkusTestProfile {
    static final Path DIR =
        ProfileDir.create("quarry-ready", "prometheus.yml", "scrape_configs: []\n");

    @Override
    public Map<String, String> getConfigOverrides() {
      return ProfileDir.serverMode(DIR);
    }
  }

  @Test
  void notReadyWhileStorageIsUnwritableAndReadyAfter() throws Exception {
    given().get("/-/ready").then().statusCode(200);
    given().get("/q/health/ready").then().statusCode(200).body(containsString("storage writable"));
    Path data = Profile.DIR.resolve("data");
    Path away = Profile.DIR.resolve("data.away");
    Files.move(data, away, StandardCopyOption.ATOMIC_MOVE);
    try {
      given().get("/-/ready").then().statusCode(503);
      given().get("/q/health/ready").then().statusCode(503);
      given().get("/-/healthy").then().statusCode(200);
      given().get("/q/health/live").then().statusCode(200).body(containsString("event-loops"));
    } finally {
      Files.move(away, data, StandardCopyOption.ATOMIC_MOVE);
    }
    given().get("/-/ready").then().statusCode(200);
  }
}
