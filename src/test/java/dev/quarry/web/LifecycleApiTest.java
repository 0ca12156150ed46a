package dev.quarry.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Without {@code quarry.web.enable-lifecycle}, {@code /-/reload} and {@code /-/quit} answer 403
 * with Prometheus' message and change nothing; the probes keep answering.
 */
@QuarkusTest
@TestProfile(LifecycleApiTest.Profile.class)
class LifecycleApiTest {
  /** The defaults, with an empty scrape config. */
  public static class Profile implements QuarkusTestProfile {
    static final Path DIR;

    static {
      try {
        DIR = Files.createTempDirectory("quarry-lifecycle");
        Files.writeString(DIR.resolve("prometheus.yml"), "scrape_configs: []\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quarry.config-file", DIR.resolve("prometheus.yml").toString());
    }
  }

  @Test
  void reloadAndQuitAreForbiddenUnlessEnabled() {
    given().post("/-/reload").then().statusCode(403).body(equalTo("Lifecycle API is not enabled."));
    given().put("/-/reload").then().statusCode(403).body(equalTo("Lifecycle API is not enabled."));
    given().post("/-/quit").then().statusCode(403).body(equalTo("Lifecycle API is not enabled."));
    given().put("/-/quit").then().statusCode(403).body(equalTo("Lifecycle API is not enabled."));
    given().get("/-/quit").then().statusCode(405).body(containsString("Only POST or PUT"));
    given().get("/-/healthy").then().statusCode(200);
    given().get("/-/ready").then().statusCode(200);
  }
}
