package dev.quarry.config;

import static dev.quarry.testing.PromQueries.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.testing.ProfileDir;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A change in a {@code scrape_config_files} file in another directory than {@code prometheus.yml}
 * is applied by the file watch alone (the periodic check is an hour apart here).
 */
@QuarkusTest
@TestProfile(IncludedFilesReloadTest.Profile.class)
class IncludedFilesReloadTest {
  /** The watch service of some file systems polls (every 2 s in the JDK's fallback). */
  private static final Duration WATCH = Duration.ofSeconds(15);

  /** prometheus.yml includes {@code jobs/*.yml}; jobs/a.yml defines job a. */
  public static class Profile implements QuarkusTestProfile {
    static final Path DIR =
        ProfileDir.create(
            "quarry-includes",
            "prometheus.yml",
            "scrape_config_files: ['jobs/*.yml']\n",
            "jobs/a.yml",
            "scrape_configs:\n  - job_name: a\n    static_configs: [{targets: ['127.0.0.1:1']}]\n");

    @Override
    public Map<String, String> getConfigOverrides() {
      return ProfileDir.overrides(
          DIR, "quarry.storage.mode", "memory", "quarry.reload-interval", "1h");
    }
  }

  @Inject ConfigService config;

  @Test
  void editingAndAddingIncludedFilesIsPickedUpByTheWatcher() throws Exception {
    assertTrue(config.current().scrapeConfig("a") != null);
    Files.writeString(
        Profile.DIR.resolve("jobs/a.yml"),
        "scrape_configs:\n  - job_name: a2\n    static_configs: [{targets: ['127.0.0.1:2']}]\n");
    await("edited file applied", WATCH, () -> config.current().scrapeConfig("a2") != null);
    Files.writeString(Profile.DIR.resolve("jobs/b.yml"), "scrape_configs:\n  - job_name: b\n");
    await("new file applied", WATCH, () -> config.current().scrapeConfig("b") != null);
    assertTrue(config.lastReload().successful());
  }
}
