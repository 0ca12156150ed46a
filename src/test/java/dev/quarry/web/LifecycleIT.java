package dev.quarry.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.testing.PrometheusServer;
import dev.quarry.testing.QuarryProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged agent stops like Prometheus: {@code SIGTERM} (what {@code docker stop} and the
 * kubelet send) and {@code POST /-/quit} end it cleanly with exit code 0, and the lifecycle
 * endpoints answer 403 unless {@code QUARRY_WEB_ENABLE_LIFECYCLE} is true.
 */
class LifecycleIT {

  private static Path config(Path dir) throws Exception {
    Path cfg = dir.resolve("prometheus.yml");
    Files.writeString(cfg, "scrape_configs: []\n");
    return cfg;
  }

  @Test
  void sigtermExitsWithZeroAfterACleanStop() throws Exception {
    Path dir = Files.createTempDirectory("quarry-sigterm-it");
    QuarryProcess q =
        QuarryProcess.start(
            config(dir),
            dir.resolve("data"),
            PrometheusServer.freePort(),
            Map.of(),
            dir.resolve("quarry.log"));
    int code = q.terminate();
    assertEquals(0, code, q.log());
    assertTrue(q.log().contains("received SIGTERM"), q.log());
    assertTrue(q.log().contains("stopped in"), "Quarkus stopped cleanly: " + q.log());
  }

  @Test
  void quitAnswersThenExitsWithZero() throws Exception {
    Path dir = Files.createTempDirectory("quarry-quit-it");
    QuarryProcess q =
        QuarryProcess.start(
            config(dir),
            dir.resolve("data"),
            PrometheusServer.freePort(),
            Map.of(),
            dir.resolve("quarry.log"));
    HttpResponse<String> r = q.post("/-/quit");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("Requesting termination... Goodbye!", r.body());
    assertEquals(0, q.awaitExit(Duration.ofSeconds(30)), q.log());
  }

  @Test
  void lifecycleIsOffByDefault() throws Exception {
    Path dir = Files.createTempDirectory("quarry-nolifecycle-it");
    try (QuarryProcess q =
        QuarryProcess.start(
            config(dir),
            dir.resolve("data"),
            PrometheusServer.freePort(),
            Map.of("QUARRY_WEB_ENABLE_LIFECYCLE", "false"),
            dir.resolve("quarry.log"))) {
      HttpResponse<String> r = q.post("/-/quit");
      assertEquals(403, r.statusCode());
      assertEquals("Lifecycle API is not enabled.", r.body());
      assertEquals(403, q.post("/-/reload").statusCode());
      assertEquals(200, q.get("/-/ready").statusCode(), "still running");
    }
  }
}
