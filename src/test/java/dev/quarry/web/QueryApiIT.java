package dev.quarry.web;

import static dev.quarry.testing.PromQueries.assertSameSeries;
import static dev.quarry.testing.PromQueries.await;
import static dev.quarry.testing.PromQueries.count;
import static dev.quarry.testing.PromQueries.enc;
import static dev.quarry.testing.PromQueries.series;
import static dev.quarry.testing.PromQueries.values;
import static dev.quarry.testing.PromQueries.writeAtomically;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.quarry.testing.PrometheusServer;
import dev.quarry.testing.QuarryProcess;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged agent in server mode and Prometheus 2.42 scrape the same targets; the read API
 * answers the same on both: every metric's instant values, series, label names and values, range
 * queries, staleness of a target that leaves discovery, and the error envelope.
 */
class QueryApiIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void sameAnswersAsPrometheusForTheSameTargets() throws Exception {
    assumeTrue(PrometheusServer.installed(), "prometheus is not installed");
    Path dir = Files.createTempDirectory("quarry-query-it");
    Path fixtures = Path.of(System.getProperty("fixtures.dir", "src/test/resources/fixtures"));
    byte[] node = Files.readAllBytes(fixtures.resolve("node_exporter_1.5.0.prom"));
    byte[] gone =
        "# TYPE leaving gauge\nleaving{a=\"1\"} 3\nleaving{a=\"2\"} -Inf\n"
            .getBytes(StandardCharsets.UTF_8);
    HttpServer targets = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    targets.createContext("/node", ex -> reply(ex, node));
    targets.createContext("/leaving", ex -> reply(ex, gone));
    targets.start();
    String target = "127.0.0.1:" + targets.getAddress().getPort();
    writeAtomically(dir.resolve("leaving.json"), "[{\"targets\": [\"" + target + "\"]}]");
    String cfg =
        "global:\n  scrape_interval: 1s\n  scrape_timeout: 500ms\n"
            + "scrape_configs:\n"
            + "  - job_name: node\n    metrics_path: /node\n"
            + "    static_configs: [{targets: ['"
            + target
            + "'], labels: {zone: a}}]\n"
            + "  - job_name: leaving\n    metrics_path: /leaving\n"
            + "    file_sd_configs: [{files: ['"
            + dir.resolve("leaving.json")
            + "']}]\n";
    Path cfgFile = dir.resolve("prometheus.yml");
    Files.writeString(cfgFile, cfg);
    try (PrometheusServer prom = PrometheusServer.start(cfgFile);
        QuarryProcess quarry =
            QuarryProcess.start(
                cfgFile,
                dir.resolve("data"),
                PrometheusServer.freePort(),
                Map.of("QUARRY_STORAGE_MODE", "server"),
                dir.resolve("quarry.log"))) {
      await(
          "both scraped",
          Duration.ofSeconds(30),
          () -> count(prom::getJson, "up") == 2 && count(quarry::getJson, "up") == 2);
      Thread.sleep(3000);

      // Every metric name: same series and the same values.
      List<String> names = strings(prom.getJson("/api/v1/label/__name__/values"));
      assertEquals(names, strings(quarry.getJson("/api/v1/label/__name__/values")), "metric names");
      assertTrue(names.size() > 200, "names: " + names.size());
      for (String name : names) {
        Map<Map<String, String>, String> want = values(prom::getJson, name);
        Map<Map<String, String>, String> got = values(quarry::getJson, name);
        assertEquals(want.keySet(), got.keySet(), "series of " + name);
        if (!name.equals("scrape_duration_seconds")) {
          assertEquals(want, got, "values of " + name);
        }
      }
      assertSameSeries(
          series(prom::getJson, "{job=~\".+\"}"),
          series(quarry::getJson, "{job=~\".+\"}"),
          "/api/v1/series");
      assertEquals(
          strings(prom.getJson("/api/v1/labels")), strings(quarry.getJson("/api/v1/labels")));
      assertEquals(
          strings(prom.getJson("/api/v1/label/job/values")),
          strings(quarry.getJson("/api/v1/label/job/values")));
      String sel = enc("node_load1{zone=\"a\"}");
      assertEquals(
          strings(prom.getJson("/api/v1/labels?match[]=" + sel)),
          strings(quarry.getJson("/api/v1/labels?match[]=" + sel)));

      // A range query over the last seconds: one point per step on both.
      long now = System.currentTimeMillis() / 1000;
      String range =
          "/api/v1/query_range?query="
              + enc("up{job=\"node\"}")
              + "&start="
              + (now - 3)
              + "&end="
              + now
              + "&step=1";
      JsonNode pr = prom.getJson(range).path("data");
      JsonNode qr = quarry.getJson(range).path("data");
      assertEquals("matrix", qr.path("resultType").asText());
      assertEquals(
          pr.path("result").get(0).path("values").toString(),
          qr.path("result").get(0).path("values").toString(),
          "points at every step");

      // A target that leaves discovery: its series leave instant queries at once on both.
      writeAtomically(dir.resolve("leaving.json"), "[]");
      await(
          "stale in Prometheus",
          Duration.ofSeconds(20),
          () -> count(prom::getJson, "{job=\"leaving\"}") == 0);
      await(
          "stale in Quarry",
          Duration.ofSeconds(10),
          () -> count(quarry::getJson, "{job=\"leaving\"}") == 0);
      assertEquals(
          7,
          count(quarry::getJson, "{job=\"leaving\"}[1m]"),
          "the raw samples stay readable (2 series + 5 report series)");

      // PromQL evaluates: aggregations and functions give the same answers as Prometheus.
      for (String q :
          List.of(
              "count by (job) (up)",
              "sum without (instance) (up) * 2",
              "count(count_over_time(up[10s]) > 0)",
              "absent(nothing)")) {
        assertEquals(values(prom::getJson, q), values(quarry::getJson, q), q);
      }
      // A query that does not type-check is bad_data with Prometheus' message.
      HttpResponse<String> bad = quarry.get("/api/v1/query?query=" + enc("rate(up)"));
      assertEquals(400, bad.statusCode());
      JsonNode err = JSON.readTree(bad.body());
      assertEquals("error", err.path("status").asText());
      assertEquals("bad_data", err.path("errorType").asText());
      assertEquals(
          "invalid parameter \"query\": 1:6: parse error: expected type range vector in"
              + " call to function \"rate\", got instant vector",
          err.path("error").asText());
      HttpResponse<String> noMatch = quarry.get("/api/v1/series");
      assertEquals(400, noMatch.statusCode());
      assertTrue(noMatch.body().contains("no match[] parameter provided"), noMatch.body());
    } finally {
      targets.stop(0);
    }
  }

  private static void reply(com.sun.net.httpserver.HttpExchange ex, byte[] body)
      throws java.io.IOException {
    ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
    ex.sendResponseHeaders(200, body.length);
    ex.getResponseBody().write(body);
    ex.close();
  }

  private static List<String> strings(JsonNode r) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : r.path("data")) {
      out.add(n.asText());
    }
    return out;
  }
}
