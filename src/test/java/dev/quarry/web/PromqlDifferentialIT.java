package dev.quarry.web;

import static dev.quarry.testing.PromQueries.assertSameSeries;
import static dev.quarry.testing.PromQueries.await;
import static dev.quarry.testing.PromQueries.count;
import static dev.quarry.testing.PromQueries.enc;
import static dev.quarry.testing.WriteRequests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.testing.PromQueries;
import dev.quarry.testing.PrometheusServer;
import dev.quarry.testing.PromqlDiff;
import dev.quarry.testing.QuarryProcess;
import dev.quarry.testing.SyntheticTarget;
import dev.quarry.testing.WriteRequests;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Prometheus 2.42 scrapes node_exporter and a synthetic target and remote-writes everything into
 * the packaged agent's receiver; then both are asked the same PromQL, instant and range, at a time
 * both hold all samples of, and compared series by series ({@link PromqlDiff}). Quarry must hold
 * exactly Prometheus' samples, so every selector agrees: the expressions of {@code
 * promql/agreeing.txt} and every metric name must agree; those of {@code promql/pending.txt} are
 * evaluated and their agreement ratio reported. The same hand-built requests are also sent to
 * Prometheus' own receiver to pin where the answers agree and where they differ on purpose.
 */
class PromqlDifferentialIT {
  private static final Path NODE_EXPORTER = Path.of("/usr/bin/prometheus-node-exporter");
  private static final long STEP = 2000;

  @Test
  void quarryFedByPrometheusRemoteWriteAnswersAsPrometheus() throws Exception {
    assumeTrue(PrometheusServer.installed(), "prometheus is not installed");
    assumeTrue(Files.isExecutable(NODE_EXPORTER), "node_exporter is not installed");
    Path dir = Files.createTempDirectory("quarry-promql-diff");
    int nodePort = PrometheusServer.freePort();
    Process node =
        new ProcessBuilder(
                NODE_EXPORTER.toString(),
                "--web.listen-address=127.0.0.1:" + nodePort,
                "--collector.textfile.directory=" + dir)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("node_exporter.log").toFile())
            .start();
    Files.writeString(dir.resolve("quarry.yml"), "scrape_configs: []\n");
    int quarryPort = PrometheusServer.freePort();
    try (SyntheticTarget synth = new SyntheticTarget();
        QuarryProcess quarry =
            QuarryProcess.start(
                dir.resolve("quarry.yml"),
                dir.resolve("data"),
                quarryPort,
                Map.of(
                    "QUARRY_STORAGE_MODE",
                    "server",
                    "QUARRY_WEB_ENABLE_REMOTE_WRITE_RECEIVER",
                    "true"),
                dir.resolve("quarry.log"))) {
      String cfg =
          "global:\n  scrape_interval: 2s\n  scrape_timeout: 1s\n"
              + "scrape_configs:\n"
              + "  - job_name: node\n    static_configs: [{targets: ['127.0.0.1:"
              + nodePort
              + "']}]\n"
              + "  - job_name: synthetic\n    static_configs: [{targets: ['"
              + synth.address()
              + "']}]\n"
              + "remote_write:\n  - url: "
              + quarry.baseUrl()
              + "/api/v1/write\n"
              // One shard sends in WAL order: once a late sample arrived, all earlier ones did.
              + "    queue_config: {max_shards: 1, min_shards: 1, batch_send_deadline: 1s}\n";
      Path cfgFile = dir.resolve("prometheus.yml");
      Files.writeString(cfgFile, cfg);
      try (PrometheusServer prom =
          PrometheusServer.start(cfgFile, "--web.enable-remote-write-receiver")) {
        await(
            "both targets up in Prometheus",
            Duration.ofSeconds(30),
            () -> count(prom::getJson, "up == 1") == 2);
        // A window of a dozen scrapes, the flapping series included.
        await(
            "a dozen scrapes of both targets in Prometheus",
            Duration.ofSeconds(60),
            () -> count(prom::getJson, "count_over_time(up[1m]) >= 12") == 2);

        long t = System.currentTimeMillis() - 5000;
        await(
            "Quarry holds every sample Prometheus holds before " + t,
            Duration.ofSeconds(60),
            () -> newestUp(quarry::getJson) >= t + 2 * STEP);

        // Everything Prometheus holds arrived, with the same labels and values.
        String window = "&start=" + (t - 30_000) / 1000.0 + "&end=" + t / 1000.0;
        String all = "/api/v1/series?match[]=" + enc("{__name__=~\".+\"}") + window;
        assertSameSeries(
            labelSets(prom.getJson(all)), labelSets(quarry.getJson(all)), "/api/v1/series");
        List<PromqlDiff.Outcome> names = new ArrayList<>();
        for (JsonNode n : prom.getJson("/api/v1/label/__name__/values").path("data")) {
          names.add(PromqlDiff.instant(prom::getJson, quarry::getJson, n.asText(), t));
        }
        assertTrue(names.size() > 300, "metric names: " + names.size());
        assertAllAgree(names, "every metric name");

        Path lists = Path.of(System.getProperty("promql.lists", "src/test/resources/promql"));
        List<PromqlDiff.Outcome> agreeing =
            evaluate(prom, quarry, PromqlDiff.expressions(lists.resolve("agreeing.txt")), t);
        List<PromqlDiff.Outcome> pending =
            evaluate(prom, quarry, PromqlDiff.expressions(lists.resolve("pending.txt")), t);
        report("agreeing.txt", agreeing);
        report("pending.txt", pending);
        assertAllAgree(agreeing, "promql/agreeing.txt");

        sameAnswersAsPrometheusReceiver(prom, quarry);
      }
    } finally {
      node.destroy();
      if (!node.waitFor(10, TimeUnit.SECONDS)) {
        node.destroyForcibly();
      }
    }
  }

  /**
   * Hand-built requests to both receivers: the same status where Quarry follows 2.42, and the
   * differences on purpose (README's compatibility section) pinned. Each receiver gets series of
   * its own name: Prometheus forwards what it receives to Quarry by remote write, which would
   * otherwise turn Quarry's answers into out-of-order and duplicate ones.
   */
  private static void sameAnswersAsPrometheusReceiver(PrometheusServer prom, QuarryProcess quarry)
      throws Exception {
    long now = System.currentTimeMillis();
    String[] urls = {prom.baseUrl() + "/api/v1/write", quarry.baseUrl() + "/api/v1/write"};
    int[][] statuses = new int[6][2];
    for (int i = 0; i < 2; i++) {
      String u = urls[i];
      String ok = i == 0 ? "rw_class_ok_prometheus" : "rw_class_ok_quarry";
      statuses[0][i] =
          WriteRequests.post(
                  u,
                  request()
                      .series("__name__", ok, "a", "b")
                      .sample(now - 1000, 1)
                      .sample(now, 2)
                      .done()
                      .body())
              .statusCode();
      statuses[1][i] = WriteRequests.post(u, new byte[] {1, 2, 3}).statusCode();
      statuses[2][i] =
          WriteRequests.post(
                  u, request().series("__name__", ok, "a", "b").sample(now - 500, 1).done().body())
              .statusCode();
      statuses[3][i] =
          WriteRequests.post(
                  u, request().series("__name__", ok, "a", "b").sample(now, 3).done().body())
              .statusCode();
      statuses[4][i] =
          WriteRequests.post(
                  u, request().series("__name__", ok, "a", "b").sample(now, 2).done().body())
              .statusCode();
      statuses[5][i] =
          WriteRequests.post(
                  u,
                  request()
                      .series("__name__", "rw_class_dup", "a", "1", "a", "2")
                      .sample(now, 1)
                      .done()
                      .body())
              .statusCode();
    }
    String[] names = {
      "valid",
      "not snappy",
      "out of order",
      "duplicate timestamp",
      "exact repeat",
      "label name twice"
    };
    int[][] expected = {{204, 204}, {400, 400}, {400, 400}, {400, 400}, {204, 204}, {500, 400}};
    for (int i = 0; i < names.length; i++) {
      assertEquals(
          expected[i][0] + "/" + expected[i][1],
          statuses[i][0] + "/" + statuses[i][1],
          names[i] + ": Prometheus/Quarry");
    }
  }

  private static List<PromqlDiff.Outcome> evaluate(
      PrometheusServer prom, QuarryProcess quarry, List<String> exprs, long t) throws Exception {
    List<PromqlDiff.Outcome> out = new ArrayList<>();
    for (String e : exprs) {
      out.add(PromqlDiff.instant(prom::getJson, quarry::getJson, e, t));
      out.add(PromqlDiff.range(prom::getJson, quarry::getJson, e, t - 10 * STEP, t, STEP));
    }
    return out;
  }

  private static void report(String list, List<PromqlDiff.Outcome> outcomes) {
    long agree = outcomes.stream().filter(PromqlDiff.Outcome::agree).count();
    System.out.printf(
        "PromQL differential %s: %d of %d queries agree (%.1f %%)%n",
        list, agree, outcomes.size(), outcomes.isEmpty() ? 100.0 : 100.0 * agree / outcomes.size());
    outcomes.forEach(o -> System.out.println("  " + o));
  }

  private static void assertAllAgree(List<PromqlDiff.Outcome> outcomes, String what) {
    List<PromqlDiff.Outcome> bad = outcomes.stream().filter(o -> !o.agree()).toList();
    assertTrue(
        bad.isEmpty(),
        what
            + ": "
            + bad.size()
            + " of "
            + outcomes.size()
            + " disagree, e.g. "
            + bad.stream().limit(5).toList());
  }

  /** The newest timestamp of any {@code up} series, in milliseconds, or 0. */
  private static long newestUp(PromQueries.Api api) {
    try {
      JsonNode r =
          api.get("/api/v1/query?query=" + URLEncoder.encode("up[1m]", StandardCharsets.UTF_8))
              .path("data")
              .path("result");
      if (r.size() < 2) {
        return 0;
      }
      long min = Long.MAX_VALUE;
      for (JsonNode s : r) {
        JsonNode v = s.path("values");
        min = Math.min(min, (long) (v.get(v.size() - 1).get(0).asDouble() * 1000));
      }
      return min;
    } catch (Exception e) {
      return 0;
    }
  }

  private static Set<Map<String, String>> labelSets(JsonNode r) {
    Set<Map<String, String>> out = new java.util.HashSet<>();
    for (JsonNode s : r.path("data")) {
      Map<String, String> l = new java.util.TreeMap<>();
      s.fields().forEachRemaining(f -> l.put(f.getKey(), f.getValue().asText()));
      out.add(l);
    }
    return out;
  }
}
