package dev.quarry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Prometheus binary (Debian package {@code prometheus}) started on 127.0.0.1 on a free
 * port with a given config, for side-by-side tests. Stops the process on {@link #close()}.
 */
public final class PrometheusServer implements AutoCloseable {
  public static final Path BINARY = Path.of("/usr/bin/prometheus");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  private PrometheusServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** True when the binary is installed (CI installs it; a developer machine may not have it). */
  public static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /** Starts Prometheus with {@code configFile}, waits until it is ready. */
  public static PrometheusServer start(Path configFile, String... extraArgs) throws Exception {
    return start(configFile, Files.createTempDirectory("quarry-prometheus"), freePort(), extraArgs);
  }

  /**
   * Starts Prometheus with its data under {@code dir} on {@code port}: starting again with the same
   * directory and port after {@link #close()} brings the same server back (an outage).
   */
  public static PrometheusServer start(Path configFile, Path dir, int port, String... extraArgs)
      throws Exception {
    Files.createDirectories(dir);
    List<String> cmd = new ArrayList<>();
    cmd.add(BINARY.toString());
    cmd.add("--config.file=" + configFile.toAbsolutePath());
    cmd.add("--web.listen-address=127.0.0.1:" + port);
    cmd.add("--log.level=debug");
    if (List.of(extraArgs).stream().noneMatch(a -> a.startsWith("--enable-feature=agent"))) {
      cmd.add("--storage.tsdb.path=" + dir.resolve("data"));
    } else {
      cmd.add("--storage.agent.path=" + dir.resolve("data"));
    }
    cmd.addAll(List.of(extraArgs));
    Path log = dir.resolve("prometheus.log");
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    PrometheusServer server = new PrometheusServer(p, port, log);
    server.awaitReady(Duration.ofSeconds(30));
    return server;
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** GETs a path of Prometheus' HTTP API and parses the JSON answer. */
  public JsonNode getJson(String pathAndQuery) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery)).build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  private void awaitReady(Duration max) throws Exception {
    boolean ready = Await.within(max, () -> !process.isAlive() || answersReady());
    if (!process.isAlive()) {
      throw new IllegalStateException("prometheus exited: " + Files.readString(log));
    }
    if (!ready) {
      throw new IllegalStateException(
          "prometheus not ready after " + max + ": " + Files.readString(log));
    }
  }

  private boolean answersReady() {
    try {
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(URI.create(baseUrl() + "/-/ready")).build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Prometheus' own log so far, for failure messages. */
  public String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
