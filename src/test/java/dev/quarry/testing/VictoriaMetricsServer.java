package dev.quarry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Single-node VictoriaMetrics (Debian package {@code victoria-metrics}) on 127.0.0.1 and a free
 * port, as a remote write receiver ({@code /api/v1/write}) with a Prometheus-compatible query API.
 * Queries see samples at once ({@code -search.latencyOffset=0s}, no result cache).
 */
public final class VictoriaMetricsServer implements AutoCloseable {
  public static final Path BINARY = Path.of("/usr/bin/victoria-metrics");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  private VictoriaMetricsServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  public static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  public static VictoriaMetricsServer start() throws Exception {
    Path dir = Files.createTempDirectory("quarry-vm");
    int port = PrometheusServer.freePort();
    Path log = dir.resolve("vm.log");
    Process p =
        new ProcessBuilder(
                List.of(
                    BINARY.toString(),
                    "-storageDataPath=" + dir.resolve("data"),
                    "-httpListenAddr=127.0.0.1:" + port,
                    "-search.latencyOffset=0s",
                    "-search.disableCache",
                    "-loggerLevel=WARN"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    VictoriaMetricsServer vm = new VictoriaMetricsServer(p, port, log);
    vm.awaitHealthy(Duration.ofSeconds(30));
    return vm;
  }

  public String writeUrl() {
    return "http://127.0.0.1:" + port + "/api/v1/write";
  }

  public JsonNode getJson(String pathAndQuery) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  private void awaitHealthy(Duration max) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("victoria-metrics exited: " + Files.readString(log));
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("victoria-metrics not healthy: " + Files.readString(log));
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
