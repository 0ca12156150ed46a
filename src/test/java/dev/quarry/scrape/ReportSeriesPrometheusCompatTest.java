package dev.quarry.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.quarry.model.Labels;
import dev.quarry.storage.MemoryStorage;
import dev.quarry.testing.PrometheusServer;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The same pages scraped by Quarry and by the real Prometheus 2.42 give the same {@code up} and
 * report series (durations aside): plain, duplicated, relabelled, limited, broken and missing
 * pages.
 */
class ReportSeriesPrometheusCompatTest {
  /** Path → page body (null: answer 404). */
  private static final Map<String, String> PAGES = new LinkedHashMap<>();

  /** Job name → extra job config. */
  private static final Map<String, String> JOBS = new LinkedHashMap<>();

  static {
    PAGES.put(
        "/basic",
        "# HELP a_total A counter.\n# TYPE a_total counter\na_total 1\nb{x=\"1\"} 2\nb{x=\"2\"} "
            + "3\n");
    PAGES.put("/dup", "a 1\na 2\nb 1\n");
    PAGES.put(
        "/special",
        "a NaN\nb +Inf\nc -Inf\nd 1e3\ne{v=\"esc \\\" \\\\ \\n\"} 1\nf{} 2\ng{h=\"\"} 3\n");
    PAGES.put("/broken", "a 1\nb 2\nc{ 3\nd 4\n");
    PAGES.put("/duplabel", "a 1\nb{x=\"1\",x=\"2\"} 2\nc 3\n");
    PAGES.put("/dupname", "a 1\nb 2\nc{__name__=\"d\"} 3\ne 4\n");
    PAGES.put("/badvalue_after_dup", "a 1\nb{x=\"1\",x=\"2\"} z\nc 3\n");
    PAGES.put("/empty", "");
    PAGES.put("/missing", null);
    PAGES.put("/honor", "m{job=\"exposed\",instance=\"x\"} 1\nn 2\n");
    JOBS.put("basic", "metrics_path: /basic");
    JOBS.put("dup", "metrics_path: /dup");
    JOBS.put("special", "metrics_path: /special");
    JOBS.put("broken", "metrics_path: /broken");
    JOBS.put("duplabel", "metrics_path: /duplabel");
    JOBS.put("dupname", "metrics_path: /dupname");
    JOBS.put("badvalue_after_dup", "metrics_path: /badvalue_after_dup");
    JOBS.put("empty", "metrics_path: /empty");
    JOBS.put("missing", "metrics_path: /missing");
    JOBS.put(
        "relabelled",
        "metrics_path: /basic\nmetric_relabel_configs: [{source_labels: [__name__], regex: b, "
            + "action: drop}]");
    JOBS.put("limited", "metrics_path: /basic\nsample_limit: 2");
    JOBS.put(
        "limit_after_relabel",
        "metrics_path: /basic\nsample_limit: 1\nmetric_relabel_configs: [{source_labels: "
            + "[__name__], regex: b, action: drop}]");
    JOBS.put("honor", "metrics_path: /honor\nhonor_labels: true");
    JOBS.put("no_honor", "metrics_path: /honor");
  }

  private static final List<String> REPORT =
      List.of(
          "up",
          "scrape_samples_scraped",
          "scrape_samples_post_metric_relabeling",
          "scrape_series_added");

  @Test
  void sameReportSeriesAsPrometheus() throws Exception {
    assumeTrue(PrometheusServer.installed(), "prometheus is not installed");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    PAGES.forEach(
        (path, body) ->
            server.createContext(
                path,
                ex -> {
                  if (body == null) {
                    ex.sendResponseHeaders(404, -1);
                  } else {
                    byte[] b = body.getBytes(StandardCharsets.UTF_8);
                    ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
                    ex.sendResponseHeaders(200, b.length == 0 ? -1 : b.length);
                    ex.getResponseBody().write(b);
                  }
                  ex.close();
                }));
    // Prometheus and Quarry scrape every page at once: a single-threaded server would make first
    // scrapes time out.
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
    server.start();
    String address = "127.0.0.1:" + server.getAddress().getPort();
    StringBuilder yaml =
        new StringBuilder(
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\nscrape_configs:\n");
    JOBS.forEach(
        (job, extra) ->
            yaml.append("  - job_name: ")
                .append(job)
                .append('\n')
                .append(extra.indent(4))
                .append("    static_configs: [{targets: ['")
                .append(address)
                .append("']}]\n"));
    Path dir = Files.createTempDirectory("quarry-report-compat");
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, yaml.toString());
    try (EngineHarness quarry = new EngineHarness(false);
        PrometheusServer prom = PrometheusServer.start(config)) {
      quarry.apply(yaml.toString());
      // Several scrapes of every job by both, so later scrapes (series added: 0) are compared too.
      EngineHarness.await(
          "both scraped every job five times",
          Duration.ofSeconds(30),
          () -> {
            try {
              return promValues(prom, "count_over_time(up[1m]) >= 5").size() == JOBS.size()
                  && JOBS.keySet().stream()
                      .allMatch(j -> quarry.storage.samples(report(j, address, "up")).size() >= 5);
            } catch (Exception e) {
              return false;
            }
          });
      Map<String, Map<String, String>> theirs = new TreeMap<>();
      Map<String, Map<String, String>> ours = new TreeMap<>();
      for (String metric : REPORT) {
        Map<String, String> p =
            metric.equals("scrape_series_added")
                ? promFirst(prom, metric)
                : promValues(prom, metric);
        for (String job : JOBS.keySet()) {
          theirs.computeIfAbsent(job, k -> new TreeMap<>()).put(metric, p.get(job));
          List<MemoryStorage.Sample> s = quarry.storage.samples(report(job, address, metric));
          double v =
              metric.equals("scrape_series_added") ? s.get(0).value() : s.get(s.size() - 1).value();
          ours.computeIfAbsent(job, k -> new TreeMap<>()).put(metric, format(v));
        }
      }
      assertEquals(theirs, ours, "report series differ from Prometheus 2.42; log:\n");
    } finally {
      server.stop(0);
    }
  }

  private static Labels report(String job, String address, String metric) {
    return Labels.of("__name__", metric, "job", job, "instance", address);
  }

  private static MemoryStorage.Sample last(
      MemoryStorage s, String job, String address, String metric) {
    return s.last(report(job, address, metric));
  }

  private static String format(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  /** The latest value of {@code metric} per job. */
  private static Map<String, String> promValues(PrometheusServer prom, String metric)
      throws Exception {
    JsonNode r =
        prom.getJson("/api/v1/query?query=" + URLEncoder.encode(metric, StandardCharsets.UTF_8));
    Map<String, String> out = new TreeMap<>();
    for (JsonNode s : r.path("data").path("result")) {
      out.put(s.path("metric").path("job").asText(), s.path("value").get(1).asText());
    }
    return out;
  }

  /** The first value of {@code metric} per job (the first scrape). */
  private static Map<String, String> promFirst(PrometheusServer prom, String metric)
      throws Exception {
    JsonNode r =
        prom.getJson(
            "/api/v1/query?query=" + URLEncoder.encode(metric + "[1h]", StandardCharsets.UTF_8));
    Map<String, String> out = new TreeMap<>();
    for (JsonNode s : r.path("data").path("result")) {
      out.put(s.path("metric").path("job").asText(), s.path("values").get(0).get(1).asText());
    }
    return out;
  }
}
