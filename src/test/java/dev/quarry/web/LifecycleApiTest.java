package dev.quarry.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.quarry.testing.ProfileDir;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
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
    static final Path DIR =
        ProfileDir.create("quarry-lifecycle", "prometheus.yml", "scrape_configs: []\n");

    @Override
    public Map<String, String> getConfigOverrides() {
      return ProfileDir.overrides(DIR);
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
