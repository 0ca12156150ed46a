package dev.quarry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code SIGHUP} reloads a changed config. File events are not watched and the periodic check is an
 * hour away, so the signal is the only thing here that can apply the change.
 */
@QuarkusTest
@TestProfile(SighupReloadTest.Profile.class)
class SighupReloadTest {
  static final String V1 =
      "scrape_configs:\n  - job_name: stays\n    static_configs: [{targets: ['127.0.0.1:1']}]\n";

  /** A config file with file events unwatched and the periodic check out of reach. */
  public static class Profile implements QuarkusTestProfile {
    static final Path FILE;

    static {
      try {
        FILE = Files.createTempDirectory("quarry-sighup").resolve("prometheus.yml");
        Files.writeString(FILE, V1);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarry.config-file", FILE.toString(),
          "quarry.config-watch", "false",
          "quarry.reload-interval", "1h");
    }
  }

  @Inject ConfigService config;

  @Test
  void sighupReloads() throws Exception {
    Files.writeString(
        Profile.FILE,
        V1 + "  - job_name: by_signal\n    static_configs: [{targets: ['127.0.0.1:3']}]\n");
    // Nothing else reloads in this profile: the change must still be unapplied a while later.
    Thread.sleep(1500);
    assertNull(config.current().scrapeConfig("by_signal"), "applied without a signal");
    Process kill =
        new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid()))
            .inheritIO()
            .start();
    assertEquals(0, kill.waitFor(10, TimeUnit.SECONDS) ? kill.exitValue() : -1, "kill -HUP");
    for (int i = 0; i < 100 && config.current().scrapeConfig("by_signal") == null; i++) {
      Thread.sleep(100);
    }
    assertNotNull(config.current().scrapeConfig("by_signal"), "SIGHUP did not reload");
    assertEquals(true, config.lastReload().successful());
  }
}
