package dev.quarry.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A change in a {@code scrape_config_files} file in another directory than {@code prometheus.yml}
 * is applied by the file watch alone (the periodic check is an hour apart here).
 */
@QuarkusTest
@TestProfile(IncludedFilesReloadTest.Profile.class)
class IncludedFilesReloadTest {
  /** prometheus.yml includes {@code jobs/*.yml}; jobs/a.yml defines job a. */
  public static class Profile implements QuarkusTestProfile {
    static final Path DIR;

    static {
      try {
        DIR = Files.createTempDirectory("quarry-includes");
        Files.createDirectories(DIR.resolve("jobs"));
        Files.writeString(DIR.resolve("prometheus.yml"), "scrape_config_files: ['jobs/*.yml']\n");
        Files.writeString(
            DIR.resolve("jobs/a.yml"),
            "scrape_configs:\n  - job_name: a\n    static_configs: [{targets: ['127.0.0.1:1']}]\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarry.config-file", DIR.resolve("prometheus.yml").toString(),
          "quarry.storage.mode", "memory",
          "quarry.reload-interval", "1h");
    }
  }

  @Inject ConfigService config;

  @Test
  void editingAndAddingIncludedFilesIsPickedUpByTheWatcher() throws Exception {
    assertTrue(config.current().scrapeConfig("a") != null);
    Files.writeString(
        Profile.DIR.resolve("jobs/a.yml"),
        "scrape_configs:\n  - job_name: a2\n    static_configs: [{targets: ['127.0.0.1:2']}]\n");
    awaitTrue("edited file applied", () -> config.current().scrapeConfig("a2") != null);
    Files.writeString(Profile.DIR.resolve("jobs/b.yml"), "scrape_configs:\n  - job_name: b\n");
    awaitTrue("new file applied", () -> config.current().scrapeConfig("b") != null);
    assertTrue(config.lastReload().successful());
  }

  private static void awaitTrue(String what, java.util.function.BooleanSupplier c)
      throws InterruptedException {
    // The watch service of some file systems polls (every 2 s in the JDK's fallback): 15 s.
    for (int i = 0; i < 150 && !c.getAsBoolean(); i++) {
      Thread.sleep(100);
    }
    assertTrue(c.getAsBoolean(), "timed out: " + what);
  }
}
