package dev.quarry.web;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Server mode with the remote write receiver on, a temp data directory, and a config scraping one
 * small target (a JDK server on loopback, started once for the test JVM) every second, so the
 * metadata and TSDB status have something to show.
 */
public class WebApiProfile implements QuarkusTestProfile {
  static final Path DIR;
  static final Path CONFIG;
  static final String TARGET;
  static final String PAGE =
      "# HELP demo_requests_total Requests handled.\n# TYPE demo_requests_total counter\n"
          + "demo_requests_total{code=\"200\"} 7\ndemo_requests_total{code=\"500\"} 1\n"
          + "# HELP demo_temperature_celsius Temperature.\n# TYPE demo_temperature_celsius gauge\n"
          + "demo_temperature_celsius 21.5\n";

  static {
    try {
      DIR = Files.createTempDirectory("quarry-web-api");
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
      byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
      server.createContext(
          "/metrics",
          ex -> {
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
          });
      server.start();
      TARGET = "127.0.0.1:" + server.getAddress().getPort();
      CONFIG = DIR.resolve("prometheus.yml");
      Files.writeString(
          CONFIG,
          "global:\n  scrape_interval: 1s\n  scrape_timeout: 500ms\n"
              + "scrape_configs:\n  - job_name: demo\n    static_configs: [{targets: ['"
              + TARGET
              + "']}]\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "quarry.config-file", CONFIG.toString(),
        "quarry.data-dir", DIR.resolve("data").toString(),
        "quarry.storage.mode", "server",
        "quarry.web.enable-remote-write-receiver", "true",
        "quarkus.http.test-port", "0"); // a free port: other builds may hold 8081
  }
}
