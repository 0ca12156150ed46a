package dev.quarry.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An invalid config at start-up stops the process with one message naming file, line and key. */
@QuarkusMainTest
@TestProfile(BadConfigStartupTest.Profile.class)
class BadConfigStartupTest {

  /** A config whose second job has a bad relabel regex on line 9. */
  public static class Profile implements QuarkusTestProfile {
    static final Path CONFIG;

    static {
      try {
        Path dir = Files.createTempDirectory("quarry-bad-config");
        CONFIG = dir.resolve("prometheus.yml");
        Files.writeString(
            CONFIG,
            """
            scrape_configs:
              - job_name: ok
                static_configs:
                  - targets: ['127.0.0.1:1']
              - job_name: broken
                static_configs:
                  - targets: ['127.0.0.1:2']
                relabel_configs:
                  - regex: '(unclosed'
                    action: keep
                    source_labels: [job]
            """);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quarry.config-file", CONFIG.toString(), "quarkus.http.test-port", "0");
    }
  }

  @Test
  @Launch(
      value = {},
      exitCode = 1)
  void invalidConfigExitsNonZeroNamingFileLineAndKey(LaunchResult result) {
    String out = result.getOutput() + result.getErrorOutput();
    assertTrue(
        out.contains("prometheus.yml:9: scrape_configs[1].relabel_configs[0].regex:"),
        "output should name file, line and key path, was:\n" + out);
  }
}
