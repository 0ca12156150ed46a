package dev.quarry.remote;

import static dev.quarry.testing.PromQueries.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.quarry.testing.Await;
import dev.quarry.testing.PrometheusServer;
import dev.quarry.testing.QuarryProcess;
import dev.quarry.testing.RemoteWriteProxy;
import dev.quarry.testing.VictoriaMetricsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Remote write of the packaged agent into real receivers: Prometheus 2.42 with its remote write
 * receiver and VictoriaMetrics, compared with what Prometheus 2.42 stores when it scrapes the same
 * targets itself; a receiver outage, a {@code kill -9} of the agent during it, and rejected
 * batches.
 */
class RemoteWriteIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Path FIXTURES =
      Path.of(System.getProperty("fixtures.dir", "src/test/resources/fixtures"));

  private static final String UP = "up{job=~\"static|clash\"}";
  private final List<AutoCloseable> open = new ArrayList<>();
  private HttpServer targets;
  private final AtomicLong served = new AtomicLong();
  private Path dir;

  @BeforeEach
  void targets() throws Exception {
    assumeTrue(PrometheusServer.installed(), "prometheus is not installed");
    dir = Files.createTempDirectory("quarry-rw-it");
    byte[] node = Files.readAllBytes(FIXTURES.resolve("node_exporter_1.5.0.prom"));
    targets = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    targets.createContext("/static", ex -> reply(ex, node));
    targets.createContext(
        "/clash",
        ex ->
            reply(
                ex,
                ("# TYPE clash gauge\nclash{job=\"inner\",instance=\"x\",a=\"1\"} 7\n"
                        + "clash{job=\"inner\",instance=\"y\",a=\"2\"} 8\n")
                    .getBytes(StandardCharsets.UTF_8)));
    targets.createContext(
        "/exemplar",
        ex -> {
          byte[] body =
              ("# TYPE rpc counter\n"
                      + "rpc_total 17 # {trace_id=\"abc123\"} 1.5 1700000000.123\n# EOF\n")
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders()
              .set("Content-Type", "application/openmetrics-text; version=1.0.0; charset=utf-8");
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    targets.createContext(
        "/count",
        ex ->
            reply(
                ex,
                ("# TYPE served counter\nserved_total " + served.incrementAndGet() + "\n")
                    .getBytes(StandardCharsets.UTF_8)));
    targets.start();
  }

  private static void reply(com.sun.net.httpserver.HttpExchange ex, byte[] body)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
    ex.sendResponseHeaders(200, body.length);
    ex.getResponseBody().write(body);
    ex.close();
  }

  @AfterEach
  void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      try {
        open.get(i).close();
      } catch (Exception e) {
        // keep closing the rest
      }
    }
    if (targets != null) {
      targets.stop(0);
    }
  }

  private String target() {
    return "127.0.0.1:" + targets.getAddress().getPort();
  }

  private String jobs(String interval, boolean withClash) {
    return "global:\n  scrape_interval: "
        + interval
        + "\n  scrape_timeout: 500ms\n"
        + "scrape_configs:\n"
        + "  - job_name: static\n    metrics_path: /static\n"
        + "    static_configs: [{targets: ['"
        + target()
        + "']}]\n"
        + (withClash
            ? "  - job_name: clash\n    metrics_path: /clash\n"
                + "    file_sd_configs: [{files: ['"
                + dir.resolve("clash.json")
                + "']}]\n"
            : "");
  }

  private <T extends AutoCloseable> T track(T c) {
    open.add(c);
    return c;
  }

  private QuarryProcess quarry(String yaml, Path data, int port) throws Exception {
    Path cfg = dir.resolve("quarry.yml");
    Files.writeString(cfg, yaml);
    return QuarryProcess.start(
        cfg,
        data,
        port,
        Map.of("QUARRY_STORAGE_MODE", "agent", "QUARRY_STORAGE_WAL_SYNC", "every-commit"),
        dir.resolve("quarry.log"));
  }

  @Test
  void receiversGetWhatPrometheusStoresWhenItScrapesItself() throws Exception {
    assumeTrue(VictoriaMetricsServer.installed(), "victoria-metrics is not installed");
    Path empty = dir.resolve("receiver.yml");
    Files.writeString(empty, "global: {}\n");
    PrometheusServer receiver =
        track(
            PrometheusServer.start(
                empty, "--web.enable-remote-write-receiver", "--enable-feature=exemplar-storage"));
    VictoriaMetricsServer vm = track(VictoriaMetricsServer.start());
    RemoteWriteProxy proxy = track(new RemoteWriteProxy(receiver.baseUrl() + "/api/v1/write"));
    writeAtomically(
        dir.resolve("clash.json"),
        "[{\"targets\": [\"" + target() + "\"], \"labels\": {\"a\": \"target\"}}]");
    Path refCfg = dir.resolve("reference.yml");
    Files.writeString(refCfg, jobs("1s", true));
    PrometheusServer reference = track(PrometheusServer.start(refCfg));
    String remotes =
        "remote_write:\n"
            + "  - url: "
            + proxy.url()
            + "\n    name: prometheus\n    send_exemplars: true\n"
            + "    queue_config: {batch_send_deadline: 500ms}\n"
            + "  - url: "
            + vm.writeUrl()
            + "\n    name: victoria\n"
            + "    queue_config: {batch_send_deadline: 500ms}\n";
    String exemplarJob =
        "  - job_name: exemplars\n    metrics_path: /exemplar\n"
            + "    static_configs: [{targets: ['"
            + target()
            + "']}]\n";
    QuarryProcess q =
        track(
            quarry(
                jobs("1s", true) + exemplarJob + remotes,
                dir.resolve("data"),
                PrometheusServer.freePort()));

    await(
        "both jobs in the receivers",
        Duration.ofSeconds(30),
        () ->
            count(receiver::getJson, UP) == 2
                && count(vm::getJson, UP) == 2
                && count(reference::getJson, UP) == 2);

    String sel = "{job=~\"static|clash\"}";
    // Until every series of the reference has arrived; the assertions below say what differs.
    Await.within(
        Duration.ofSeconds(30),
        () -> {
          try {
            Set<Map<String, String>> ref = series(reference::getJson, sel);
            return ref.size() > 500
                && ref.equals(series(receiver::getJson, sel))
                && ref.equals(series(vm::getJson, sel));
          } catch (Exception e) {
            return false;
          }
        });
    Set<Map<String, String>> expected = series(reference::getJson, sel);
    assertTrue(expected.size() > 500, "reference has the node exporter page: " + expected.size());
    assertSameSeries(expected, series(receiver::getJson, sel), "Prometheus receiver");
    assertSameSeries(expected, series(vm::getJson, sel), "VictoriaMetrics");
    assertTrue(
        expected.contains(
            Map.of(
                "__name__",
                "clash",
                "job",
                "clash",
                "instance",
                target(),
                "a",
                "target",
                "exported_job",
                "inner",
                "exported_instance",
                "x",
                "exported_a",
                "1")),
        "honor_labels: false renames clashing labels");

    // Values: the pages are static, so every series but the scrape duration has one value.
    Map<Map<String, String>, String> want = values(reference::getJson, sel);
    want.keySet().removeIf(l -> l.get("__name__").equals("scrape_duration_seconds"));
    Map<Map<String, String>, String> got = values(receiver::getJson, sel);
    got.keySet().retainAll(want.keySet());
    assertEquals(want, got, "instant values in the Prometheus receiver");
    Map<Map<String, String>, String> gotVm = values(vm::getJson, sel);
    gotVm.keySet().retainAll(want.keySet());
    assertEquals(want.size(), gotVm.size());
    for (var e : want.entrySet()) {
      // VictoriaMetrics stores values as decimals with about 15 significant digits.
      double w = Double.parseDouble(e.getValue());
      assertEquals(
          w,
          Double.parseDouble(gotVm.get(e.getKey())),
          Math.abs(w) * 1e-12,
          "VictoriaMetrics value of " + e.getKey());
    }
    assertEquals(List.of(), proxy.protocolErrors(), "protocol of every request");
    // Exemplars (send_exemplars) reach the receiver with their labels, value and timestamp.
    JsonNode ex =
        receiver
            .getJson(
                "/api/v1/query_exemplars?query=rpc_total&start=1699990000"
                    + "&end="
                    + (System.currentTimeMillis() / 1000 + 60))
            .path("data");
    assertEquals(1, ex.size(), ex.toString());
    JsonNode first = ex.get(0).path("exemplars").get(0);
    assertEquals("abc123", first.path("labels").path("trace_id").asText(), ex.toString());
    assertEquals("1.5", first.path("value").asText());
    assertEquals(1700000000.123, first.path("timestamp").asDouble(), 1e-6);

    // Staleness: the clash target leaves discovery; its series leave instant queries on both
    // sides at once (well before the 5 minute lookback).
    long before = System.currentTimeMillis();
    writeAtomically(dir.resolve("clash.json"), "[]");
    await(
        "clash series stale in Prometheus",
        Duration.ofSeconds(20),
        () -> count(reference::getJson, "{job=\"clash\"}") == 0);
    await(
        "clash series stale in the receiver",
        Duration.ofSeconds(10),
        () -> count(receiver::getJson, "{job=\"clash\"}") == 0);
    assertEquals(
        7,
        countAt(receiver::getJson, "{job=\"clash\"}", before),
        "the series were there before the reload (2 samples + 5 report series)");
    assertTrue(count(receiver::getJson, "{job=\"static\"}") > 500, "the other job goes on");
  }

  @Test
  void outageAndKillDuringItLoseNothing() throws Exception {
    Path empty = dir.resolve("receiver.yml");
    Files.writeString(empty, "global: {}\n");
    Path receiverDir = dir.resolve("receiver");
    int receiverPort = PrometheusServer.freePort();
    PrometheusServer first =
        track(
            PrometheusServer.start(
                empty, receiverDir, receiverPort, "--web.enable-remote-write-receiver"));
    RemoteWriteProxy proxy = track(new RemoteWriteProxy(first.baseUrl() + "/api/v1/write"));
    String remote =
        "remote_write:\n  - url: "
            + proxy.url()
            + "\n"
            + "    queue_config: {batch_send_deadline: 500ms, max_samples_per_send: 50,"
            + " min_shards: 3, min_backoff: 100ms, max_backoff: 1s}\n";
    String cfg =
        "global:\n  scrape_interval: 1s\n"
            + "scrape_configs:\n  - job_name: count\n    metrics_path: /count\n"
            + "    static_configs: [{targets: ['"
            + target()
            + "']}]\n"
            + remote;
    Path data = dir.resolve("data");
    int port = PrometheusServer.freePort();
    QuarryProcess q = quarry(cfg, data, port);
    PrometheusServer receiver;
    try {
      await(
          "first samples",
          Duration.ofSeconds(20),
          () -> count(first::getJson, "served_total") == 1);
      awaitScrapes(3, "three more scrapes before the outage");
      first.close();
      long outage = outageSeconds();
      // The outage lasts as many 1 s scrapes as seconds: half before the kill, half after.
      awaitScrapes(outage / 2, "scrapes while the receiver is down");
      q.kill();
      q = quarry(cfg, data, port);
      awaitScrapes(outage / 2, "scrapes after the restart, the receiver still down");
      receiver =
          track(
              PrometheusServer.start(
                  empty, receiverDir, receiverPort, "--web.enable-remote-write-receiver"));
      long target = served.get();
      await(
          "backlog delivered",
          Duration.ofSeconds(60),
          () -> maxValue(receiver::getJson, "max_over_time(served_total[10m])") >= target);
      // Stop scraping and let the queue drain before counting.
      Files.writeString(dir.resolve("quarry.yml"), "global:\n  scrape_interval: 1s\n" + remote);
      assertEquals(200, q.post("/-/reload").statusCode());
      QuarryProcess running = q;
      await(
          "the reload logged",
          Duration.ofSeconds(10),
          () -> {
            try {
              return running.log().contains("0 scrape configs, 1 remote writes");
            } catch (IOException e) {
              return false;
            }
          });
      assertFalse(
          q.log().contains("configuration changed, restarting"),
          "an unchanged remote keeps its queue across a reload");
      await(
          "queue drained",
          Duration.ofSeconds(30),
          () ->
              metric(running, "quarry_remote_storage_samples_pending") == 0
                  && metric(running, "quarry_remote_storage_queue_highest_sent_timestamp_seconds")
                      >= metric(
                          running, "quarry_remote_storage_queue_highest_read_timestamp_seconds"));
    } finally {
      q.close();
    }

    // Every scrape is there: the counter's values have no gap, but at most one scrape lost with
    // the process killed mid-commit.
    JsonNode m = receiver.getJson("/api/v1/query?query=" + enc("served_total[10m]"));
    JsonNode vals = m.path("data").path("result").get(0).path("values");
    TreeSet<Long> seen = new TreeSet<>();
    for (JsonNode v : vals) {
      seen.add(Long.parseLong(v.get(1).asText()));
    }
    long missing = (seen.last() - seen.first() + 1) - seen.size();
    assertTrue(seen.size() > outageSeconds(), "samples across the outage: " + seen.size());
    assertTrue(missing <= 1, "values missing: " + missing + " of " + seen);
    assertTrue(
        seen.size() >= served.get() - 1, seen.size() + " samples of " + served.get() + " scrapes");
    // Each report series has one sample per scrape, as many as the counter.
    for (String report : List.of("up", "scrape_samples_scraped", "scrape_duration_seconds")) {
      double n = maxValue(receiver::getJson, "count_over_time(" + report + "{job=\"count\"}[10m])");
      assertEquals(seen.size(), n, report + " samples");
    }
    // Nothing acknowledged is sent twice, beyond one batch around the kill.
    long dup = proxy.received().values().stream().filter(c -> c > 1).count();
    assertTrue(dup <= 50, "samples acknowledged more than once: " + dup);
    assertEquals(List.of(), proxy.protocolErrors());
  }

  @Test
  void rejectedBatchIsDroppedAndRetryableErrorsAreRetried() throws Exception {
    Path empty = dir.resolve("receiver.yml");
    Files.writeString(empty, "global: {}\n");
    PrometheusServer receiver =
        track(PrometheusServer.start(empty, "--web.enable-remote-write-receiver"));
    RemoteWriteProxy proxy = track(new RemoteWriteProxy(receiver.baseUrl() + "/api/v1/write"));
    String cfg =
        "global:\n  scrape_interval: 500ms\n"
            + "scrape_configs:\n  - job_name: count\n    metrics_path: /count\n"
            + "    static_configs: [{targets: ['"
            + target()
            + "']}]\n"
            + "remote_write:\n  - url: "
            + proxy.url()
            + "\n"
            + "    queue_config: {batch_send_deadline: 200ms, min_backoff: 50ms, max_backoff: "
            + "200ms,"
            + " retry_on_http_429: true}\n";
    QuarryProcess q = track(quarry(cfg, dir.resolve("data"), PrometheusServer.freePort()));
    await(
        "first samples",
        Duration.ofSeconds(20),
        () -> count(receiver::getJson, "served_total") == 1);
    proxy.reject(1, 400);
    await(
        "a batch rejected",
        Duration.ofSeconds(10),
        () -> metric(q, "quarry_remote_storage_samples_failed_total") > 0);
    long after400 = served.get();
    proxy.reject(3, 503);
    await(
        "retried",
        Duration.ofSeconds(10),
        () -> metric(q, "quarry_remote_storage_samples_retried_total") > 0);
    proxy.reject(2, 429);
    await("both 429 answered", Duration.ofSeconds(10), () -> proxy.rejectionsLeft() == 0);
    // An invalid config is rejected with its place; scraping and sending go on without a gap.
    Files.writeString(dir.resolve("quarry.yml"), cfg + "    queue_config: {max_shards: many}\n");
    HttpResponse<String> reload = q.post("/-/reload");
    assertEquals(500, reload.statusCode(), reload.body());
    assertTrue(reload.body().contains("quarry.yml:"), reload.body());
    awaitScrapes(2, "scraping goes on after the rejected reload");
    long target = served.get() + 3;
    await(
        "the queue goes on",
        Duration.ofSeconds(20),
        () -> maxValue(receiver::getJson, "max_over_time(served_total[5m])") >= target);
    // After the rejected batch, 5xx and 429 lost nothing: values are consecutive.
    JsonNode vals =
        receiver
            .getJson("/api/v1/query?query=" + enc("served_total[5m]"))
            .path("data")
            .path("result")
            .get(0)
            .path("values");
    TreeSet<Long> seen = new TreeSet<>();
    for (JsonNode v : vals) {
      long x = Long.parseLong(v.get(1).asText());
      if (x > after400 + 1) {
        seen.add(x);
      }
    }
    assertFalse(seen.isEmpty());
    assertEquals(
        seen.last() - seen.first() + 1, seen.size(), "no value lost after the 400: " + seen);
    assertTrue(q.log().contains("injected failure"), "the receiver's message is logged");
    // Self-metrics of discovery, storage and remote write.
    assertEquals(1, q.metric("quarry_sd_discovered_targets{config=\"count\"}"));
    assertTrue(q.metricSum("quarry_tsdb_head_samples_appended_total") > 10);
    assertEquals(1, q.metricSum("quarry_tsdb_head_series") - 5, "served_total and 5 report series");
    assertTrue(q.metricSum("quarry_remote_storage_samples_total") > 10);
    assertTrue(q.metricSum("quarry_remote_storage_bytes_total") > 0);
    assertEquals(1, q.metricSum("quarry_remote_storage_shards"));
  }

  // ---- helpers

  /** Waits until the target has been scraped {@code n} more times (at most 2 s a scrape). */
  private void awaitScrapes(long n, String what) throws InterruptedException {
    long from = served.get();
    await(what, Duration.ofSeconds(10 + 2 * n), () -> served.get() >= from + n);
  }

  private static long outageSeconds() {
    return Long.getLong("quarry.it.outage-seconds", 60);
  }
}
