package dev.quarry.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.testing.ProfileDir;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An invalid web configuration file at start-up stops Quarry (exit code 1) with one message naming
 * the file, line and key, as Prometheus refuses to start with a bad {@code --web.config.file}.
 */
@QuarkusMainTest
@TestProfile(BadWebConfigStartupTest.Profile.class)
class BadWebConfigStartupTest {
  /** A web config whose TLS section names a key file that is not there, on line 3. */
  public static class Profile implements QuarkusTestProfile {
    static final Path DIR =
        ProfileDir.create(
            "quarry-bad-web",
            "prometheus.yml",
            "scrape_configs: []\n",
            "web.yml",
            "basic_auth_users: {}\n"
                + "http_server_config: {http2: true}\n"
                + "tls_server_config:\n"
                + "  cert_file: missing.crt\n"
                + "  key_file: missing.key\n");

    @Override
    public Map<String, String> getConfigOverrides() {
      return ProfileDir.overrides(
          DIR,
          "quarry.web.config-file",
          DIR.resolve("web.yml").toString(),
          "quarkus.http.test-port",
          "0");
    }
  }

  @Test
  @Launch(
      value = {},
      exitCode = 1)
  void invalidWebConfigExitsNonZeroNamingFileLineAndKey(LaunchResult result) {
    String out = result.getOutput() + result.getErrorOutput();
    assertTrue(
        out.contains("web.yml:3: tls_server_config: cannot load cert_file "),
        "output should name file, line and key, was:\n" + out);
    assertTrue(out.contains("missing.crt"), out);
  }
}
