package dev.quarry.web;

import static dev.quarry.testing.PromQueries.await;
import static dev.quarry.testing.PromQueries.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quarry.testing.PrometheusServer;
import dev.quarry.testing.QuarryProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged agent in server mode, scraping itself and a target that is down: {@code promtool
 * check metrics} finds nothing to report on its {@code /metrics}, asked as a scraper without an
 * Accept header asks (text format 0.0.4).
 */
class SelfMetricsLintIT {
  @Test
  void promtoolFindsNothingOnTheAgentsOwnMetrics() throws Exception {
    assumeTrue(Files.isExecutable(SelfMetricsTest.PROMTOOL), "promtool is not installed");
    Path dir = Files.createTempDirectory("quarry-self-lint");
    int port = PrometheusServer.freePort();
    Path cfg = dir.resolve("prometheus.yml");
    Files.writeString(
        cfg,
        "global:\n  scrape_interval: 1s\n  scrape_timeout: 500ms\nscrape_configs:\n"
            + "  - job_name: self\n    static_configs: [{targets: ['127.0.0.1:"
            + port
            + "']}]\n"
            + "  - job_name: down\n    static_configs: [{targets: ['127.0.0.1:"
            + PrometheusServer.freePort()
            + "']}]\n");
    try (QuarryProcess quarry =
        QuarryProcess.start(
            cfg,
            dir.resolve("data"),
            port,
            Map.of("QUARRY_STORAGE_MODE", "server"),
            dir.resolve("quarry.log"))) {
      await(
          "both targets scraped", Duration.ofSeconds(30), () -> count(quarry::getJson, "up") == 2);
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(quarry.baseUrl() + "/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(MetricsRoute.TEXT, r.headers().firstValue("Content-Type").orElse(""));
      assertEquals("", SelfMetricsTest.lint(r.body()));
    }
  }
}
