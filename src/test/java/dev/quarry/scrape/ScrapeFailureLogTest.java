package dev.quarry.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.quarry.config.ConfigLoader;
import dev.quarry.config.PrometheusConfig;
import dev.quarry.http.HttpClientFactory;
import dev.quarry.storage.MemoryStorage;
import dev.quarry.util.Clock;
import dev.quarry.util.Timer;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scrape_failure_log_file}, global and per job, against real targets: a page answered 500
 * and a closed port are logged one JSON line per failed scrape in Prometheus 3's shape; a page that
 * scrapes fine, or fails only while being appended (sample_limit), is not; a reload reopens the
 * file, so a rotated log is let go.
 */
class ScrapeFailureLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private HttpServer server;
  private Vertx vertx;
  private ScrapeManager manager;
  private ScrapeFailureLogFiles logs;
  private int closedPort;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/ok",
        ex -> {
          byte[] body = "a 1\nb 2\n".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.createContext(
        "/fail",
        ex -> {
          ex.sendResponseHeaders(500, -1);
          ex.close();
        });
    server.start();
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    vertx = Vertx.vertx();
    BufferPool buffers = new BufferPool(8);
    HttpClientFactory clients = new HttpClientFactory(vertx, 100);
    logs = new ScrapeFailureLogFiles(InstantSource.system());
    ScrapeTables tables = ScrapeTables.defaults();
    ScrapeEnv env =
        new ScrapeEnv(
            new MemoryStorage(),
            Worker.of(vertx.createSharedWorkerExecutor("failure-log-test", 2)),
            ScrapeEnv.eventLoops(vertx),
            Clock.system(),
            Timer.of(vertx),
            buffers,
            tables,
            0,
            false,
            cfg -> new HttpScraperFactory(vertx, clients, cfg, buffers, "Quarry/test"),
            cfg -> ContentTypeParsers.forJob(cfg, tables),
            new AtomicBoolean(),
            ScrapeMetrics.discarding(),
            ShardFilter.NONE,
            logs::forJob);
    manager = new ScrapeManager(Duration.ofMillis(100), env);
  }

  @AfterEach
  void stop() throws Exception {
    manager.stop().get(30, TimeUnit.SECONDS);
    logs.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    server.stop(0);
  }

  private PrometheusConfig apply() throws Exception {
    String host = "127.0.0.1:" + server.getAddress().getPort();
    Path file = dir.resolve("prometheus.yml");
    Files.writeString(
        file,
        """
        global:
          scrape_interval: 500ms
          scrape_timeout: 500ms
          scrape_failure_log_file: failures.log
        scrape_configs:
          - job_name: bad
            metrics_path: /fail
            static_configs: [{targets: ['%1$s']}]
          - job_name: down
            scrape_failure_log_file: down.log
            static_configs: [{targets: ['127.0.0.1:%2$d']}]
          - job_name: good
            metrics_path: /ok
            static_configs: [{targets: ['%1$s']}]
          - job_name: limited
            metrics_path: /ok
            sample_limit: 1
            static_configs: [{targets: ['%1$s']}]
        """
            .formatted(host, closedPort));
    PrometheusConfig cfg = ConfigLoader.load(file);
    logs.apply(cfg); // as ScrapeWiring does on every applied config
    manager.applyConfig(cfg).get(10, TimeUnit.SECONDS);
    manager.updateTargetSets(EngineHarness.staticGroups(cfg));
    return cfg;
  }

  private static List<JsonNode> lines(Path f) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    if (Files.exists(f)) {
      for (String l : Files.readAllLines(f)) {
        out.add(JSON.readTree(l));
      }
    }
    return out;
  }

  @Test
  void eachFailedFetchIsOneJsonLineInTheJobsFile() throws Exception {
    apply();
    Path failures = dir.resolve("failures.log");
    Path down = dir.resolve("down.log");
    EngineHarness.await(
        "two failures of job bad, two in down.log, a sample_limit failure",
        Duration.ofSeconds(30),
        () ->
            countJob(failures, "bad") >= 2
                && count(down) >= 2
                && lastError("limited").equals("sample limit exceeded"));

    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/fail";
    for (JsonNode line : lines(failures)) {
      List<String> keys = new ArrayList<>();
      for (Iterator<String> it = line.fieldNames(); it.hasNext(); ) {
        keys.add(it.next());
      }
      assertEquals(List.of("time", "level", "source", "msg", "job_name", "target"), keys);
      assertEquals("ERROR", line.get("level").asText());
      String msg = line.get("msg").asText();
      assertFalse(msg.contains("sample limit"), "append failures are not logged: " + line);
      if (!line.get("job_name").asText().equals("bad")) {
        // A loaded machine can time out a healthy scrape, which is a failed fetch too.
        assertTrue(msg.endsWith("context deadline exceeded"), "only job bad fails: " + line);
        continue;
      }
      assertEquals(url, line.get("target").asText());
      assertTrue(msg.contains("500"), line.toString());
      Instant t = Instant.parse(line.get("time").asText());
      assertTrue(Duration.between(t, Instant.now()).abs().toMinutes() < 5, line.toString());
    }
    String lastError = lastError("bad");
    assertTrue(
        lines(failures).stream().anyMatch(l -> l.get("msg").asText().equals(lastError)),
        "the error the target shows: " + lastError);
    for (JsonNode line : lines(down)) {
      assertEquals("down", line.get("job_name").asText());
      assertEquals("http://127.0.0.1:" + closedPort + "/metrics", line.get("target").asText());
      assertFalse(line.get("msg").asText().isEmpty());
    }
  }

  @Test
  void aReloadReopensTheFileSoARotatedLogIsLetGo() throws Exception {
    apply();
    Path failures = dir.resolve("failures.log");
    EngineHarness.await(
        "a failure logged", Duration.ofSeconds(30), () -> countJob(failures, "bad") >= 1);
    Path rotated = dir.resolve("failures.log.1");
    Files.move(failures, rotated);
    apply(); // same config: the pools keep running, the file is opened anew
    EngineHarness.await(
        "a failure in the new file", Duration.ofSeconds(30), () -> countJob(failures, "bad") >= 1);
    long before = count(rotated);
    Thread.sleep(1500); // three more scrape intervals
    assertEquals(before, count(rotated), "nothing more written to the rotated file");
  }

  private String lastError(String job) {
    ScrapePool pool = manager.pools().get(job);
    if (pool == null || pool.activeTargets().isEmpty()) {
      return "";
    }
    return pool.activeTargets().get(0).health().snapshot().lastError();
  }

  private static long countJob(Path f, String job) {
    try {
      return lines(f).stream().filter(l -> l.get("job_name").asText().equals(job)).count();
    } catch (IOException e) {
      return 0;
    }
  }

  private static long count(Path f) {
    try {
      return Files.exists(f) ? Files.readAllLines(f).size() : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  @Test
  void lineShape() {
    assertEquals(
        "{\"time\":\"2026-01-02T03:04:05.12Z\",\"level\":\"ERROR\",\"source\":\"ScrapeLoop.java\","
            + "\"msg\":\"server returned HTTP status 500 \\\"x\\\"\",\"job_name\":\"j\","
            + "\"target\":\"http://h:1/metrics\"}\n",
        ScrapeFailureLogFiles.line(
            Instant.parse("2026-01-02T03:04:05.120Z"),
            "j",
            "http://h:1/metrics",
            "server returned HTTP status 500 \"x\""));
    assertEquals(
        "2026-01-02T03:04:05Z",
        ScrapeFailureLogFiles.rfc3339Nano(Instant.parse("2026-01-02T03:04:05Z")));
  }
}
