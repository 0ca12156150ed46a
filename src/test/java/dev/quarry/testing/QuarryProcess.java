package dev.quarry.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged agent ({@code target/quarkus-app/quarkus-run.jar}, system property {@code
 * quarry.jar}) run as a child process through its runtime contract: {@code QUARRY_CONFIG_FILE},
 * {@code QUARRY_DATA_DIR}, {@code QUARKUS_HTTP_PORT} and other {@code QUARRY_*} variables. The
 * lifecycle endpoints are on ({@code QUARRY_WEB_ENABLE_LIFECYCLE}) unless {@code env} says
 * otherwise, so tests can reload through {@code POST /-/reload}.
 */
public final class QuarryProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  private QuarryProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  public static Path jar() {
    return Path.of(System.getProperty("quarry.jar", "target/quarkus-app/quarkus-run.jar"));
  }

  /** Starts the agent and waits until {@code /-/ready} answers 200; the log is appended to. */
  public static QuarryProcess start(
      Path config, Path dataDir, int port, Map<String, String> env, Path log) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-jar");
    cmd.add(jar().toAbsolutePath().toString());
    return start(cmd, config, dataDir, port, env, log);
  }

  /** As {@link #start(Path, Path, int, Map, Path)}, with the command that starts the agent. */
  public static QuarryProcess start(
      List<String> cmd, Path config, Path dataDir, int port, Map<String, String> env, Path log)
      throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("QUARRY_CONFIG_FILE", config.toAbsolutePath().toString());
    pb.environment().put("QUARRY_DATA_DIR", dataDir.toAbsolutePath().toString());
    pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
    pb.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
    pb.environment().put("QUARRY_WEB_ENABLE_LIFECYCLE", "true");
    pb.environment().putAll(env);
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    QuarryProcess q = new QuarryProcess(pb.start(), port, log);
    q.awaitReady(Duration.ofSeconds(60));
    return q;
  }

  /** The process started by the command (a launcher script that execs keeps its pid). */
  public ProcessHandle handle() {
    return process.toHandle();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(baseUrl() + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> post(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(baseUrl() + path))
            .POST(HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** GETs a path of the HTTP API and parses the JSON answer. */
  public com.fasterxml.jackson.databind.JsonNode getJson(String pathAndQuery) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(get(pathAndQuery).body());
  }

  /** The value of one series of {@code /metrics} (exact series text before the value), or NaN. */
  public double metric(String series) throws Exception {
    for (String line : get("/metrics").body().split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return Double.NaN;
  }

  /** The sum over all series of {@code /metrics} whose name is {@code name}. */
  public double metricSum(String name) throws Exception {
    double sum = 0;
    for (String line : get("/metrics").body().split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
      }
    }
    return sum;
  }

  private void awaitReady(Duration max) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("quarry exited: " + Files.readString(log));
      }
      try {
        if (get("/-/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("quarry not ready after " + max + ": " + Files.readString(log));
  }

  public String log() throws IOException {
    return Files.readString(log);
  }

  /** SIGKILL: no shutdown hook runs. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM, as {@code docker stop} and the kubelet send it; the process's exit code. */
  public int terminate() throws InterruptedException {
    process.destroy();
    return awaitExit(Duration.ofSeconds(30));
  }

  /** Waits for the process to end on its own (for example after {@code /-/quit}); its exit code. */
  public int awaitExit(Duration max) throws InterruptedException {
    if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      throw new IllegalStateException("quarry still running after " + max);
    }
    return process.exitValue();
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
