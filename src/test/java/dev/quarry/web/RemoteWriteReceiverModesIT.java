package dev.quarry.web;

import static dev.quarry.testing.WriteRequests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.testing.PrometheusServer;
import dev.quarry.testing.QuarryProcess;
import dev.quarry.testing.WriteRequests;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged agent's receiver is off by default (404 naming the setting that turns it on) and
 * refuses to start enabled outside server mode, saying why.
 */
class RemoteWriteReceiverModesIT {
  @Test
  void offByDefault() throws Exception {
    Path dir = Files.createTempDirectory("quarry-rw-off");
    Files.writeString(dir.resolve("prometheus.yml"), "scrape_configs: []\n");
    try (QuarryProcess q =
        QuarryProcess.start(
            dir.resolve("prometheus.yml"),
            dir.resolve("data"),
            PrometheusServer.freePort(),
            Map.of(),
            dir.resolve("quarry.log"))) {
      HttpResponse<String> r =
          WriteRequests.post(
              q.baseUrl() + "/api/v1/write",
              request().series("__name__", "x").sample(1, 1).done().body());
      assertEquals(404, r.statusCode());
      assertEquals(
          "remote write receiver needs to be enabled with"
              + " quarry.web.enable-remote-write-receiver=true"
              + " (QUARRY_WEB_ENABLE_REMOTE_WRITE_RECEIVER=true)\n",
          r.body());
    }
  }

  @Test
  void enabledInAgentModeStopsAtStartWithTheReason() throws Exception {
    Path dir = Files.createTempDirectory("quarry-rw-agent");
    Files.writeString(dir.resolve("prometheus.yml"), "scrape_configs: []\n");
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                QuarryProcess.start(
                        dir.resolve("prometheus.yml"),
                        dir.resolve("data"),
                        PrometheusServer.freePort(),
                        Map.of(
                            "QUARRY_STORAGE_MODE",
                            "agent",
                            "QUARRY_WEB_ENABLE_REMOTE_WRITE_RECEIVER",
                            "true"),
                        dir.resolve("quarry.log"))
                    .close());
    assertTrue(
        e.getMessage()
            .contains(
                "quarry.web.enable-remote-write-receiver=true needs"
                    + " quarry.storage.mode=server, got agent"),
        e.getMessage());
  }
}
