package dev.quarry.textparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.quarry.model.Labels;
import dev.quarry.testing.Await;
import dev.quarry.testing.PrometheusServer;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Differential test: each fixture and a set of tricky pages is served on loopback and scraped by
 * the real Prometheus 2.42; the series, values and timestamps Quarry's parsers yield must equal
 * what Prometheus stored, label for label.
 */
class PrometheusDifferentialTest {
  private static final String TEXT = "text/plain; version=0.0.4";
  private static final String OM = "application/openmetrics-text; version=1.0.0";

  record Page(String body, String contentType) {}

  static Map<String, Page> pages(long tsMillis) throws Exception {
    Path fixtures = Path.of(System.getProperty("fixtures.dir", "src/test/resources/fixtures"));
    Map<String, Page> p = new LinkedHashMap<>();
    for (String f :
        new String[] {
          "farm_payload.prom",
          "node_exporter_1.5.0.prom",
          "prometheus_2.42_agent.prom",
          "vmagent_1.79.5.prom"
        }) {
      p.put(f.replaceAll("[^a-z0-9]", "_"), new Page(Files.readString(fixtures.resolve(f)), TEXT));
    }
    p.put(
        "tricky_text",
        new Page(
            """
            # HELP esc_help Help with \\\\ and \\n escapes.
            # TYPE esc_help gauge
            esc_help{path="C:\\\\dir\\\\file",quote="say \\"hi\\"",nl="a\\nb"} 1
            nan_val NaN
            pos_inf +Inf
            neg_inf -Inf
            exp_val 1.5e-7
            neg_exp -2.5E+10
            big_int 12345678901234567890
            beyond_2_53 9007199254740993
            empty_label{a="",b="x"} 3
            trailing_comma{a="1",} 4
            spaces{a="1"}    5
            utf8{v="日本語 ✓"} 7
            braces{} 8
            # a free comment

            with_ts 9 %d
            # TYPE hist histogram
            hist_bucket{le="1"} 1
            hist_bucket{le="2.5"} 2
            hist_bucket{le="+Inf"} 3
            hist_sum 4.5
            hist_count 3
            # TYPE summ summary
            summ{quantile="0.5"} 1
            summ{quantile="1"} 2
            summ_sum 3
            summ_count 2
            """
                .formatted(tsMillis),
            TEXT));
    p.put(
        "tricky_om",
        new Page(
            """
            # TYPE req counter
            # HELP req Requests.
            req_total{code="200"} 10 # {trace_id="abc123"} 1.0 %s
            req_created{code="200"} 1.6e9
            # TYPE temp_celsius gauge
            # UNIT temp_celsius celsius
            temp_celsius 21.5
            # TYPE lat histogram
            lat_bucket{le="0.1"} 1
            lat_bucket{le="+Inf"} 2
            lat_count 2
            lat_sum 0.3
            # TYPE info_m info
            info_m_info{version="1.2"} 1
            # TYPE st stateset
            st{st="a"} 1
            st{st="b"} 0
            with_ts_om 5 %s
            # EOF
            """
                .formatted(tsMillis / 1000.0, tsMillis / 1000.0),
            OM));
    // Pages without a usable Content-Type are read as the text format.
    p.put(
        "octet_stream",
        new Page(
            "# TYPE g summary\ng{quantile=\"0\"} 1\ng_sum 1\ng_count 1\n",
            "application/octet-stream"));
    p.put(
        "no_type",
        new Page("# TYPE h histogram\nh_bucket{le=\"10\"} 1\nh_bucket{le=\"+Inf\"} 1\n", ""));
    return p;
  }

  @Test
  void parsersYieldWhatPrometheusStores() throws Exception {
    assumeTrue(PrometheusServer.installed(), "prometheus is not installed");
    long ts = System.currentTimeMillis() - 30_000;
    Map<String, Page> pages = pages(ts);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    pages.forEach(
        (name, page) ->
            server.createContext(
                "/" + name,
                ex -> {
                  byte[] b = page.body().getBytes(StandardCharsets.UTF_8);
                  if (!page.contentType().isEmpty()) {
                    ex.getResponseHeaders().add("Content-Type", page.contentType());
                  }
                  ex.sendResponseHeaders(200, b.length);
                  ex.getResponseBody().write(b);
                  ex.close();
                }));
    server.start();
    String address = "127.0.0.1:" + server.getAddress().getPort();
    StringBuilder yaml =
        new StringBuilder(
            "global: {scrape_interval: 1s, scrape_timeout: 900ms}\nscrape_configs:\n");
    pages
        .keySet()
        .forEach(
            name ->
                yaml.append("  - job_name: ")
                    .append(name)
                    .append("\n    metrics_path: /")
                    .append(name)
                    .append("\n    static_configs: [{targets: ['")
                    .append(address)
                    .append("']}]\n"));
    Path config = Files.createTempDirectory("quarry-diff").resolve("prometheus.yml");
    Files.writeString(config, yaml.toString());
    try (PrometheusServer prom = PrometheusServer.start(config)) {
      // Two scrapes of every page: the comparison reads the later one.
      Await.within(
          Duration.ofSeconds(20),
          () -> {
            try {
              return scrapedTwice(prom) >= pages.size();
            } catch (Exception e) {
              return false;
            }
          });
      for (Map.Entry<String, Page> e : pages.entrySet()) {
        String job = e.getKey();
        Map<String, String> ours = new TreeMap<>();
        Map<String, String> theirs = new TreeMap<>();
        byte[] body = e.getValue().body().getBytes(StandardCharsets.UTF_8);
        Parser parser =
            ScrapeProtocols.choose(e.getValue().contentType(), null).format().newParser();
        parser.reset(body, 0, body.length);
        for (Entry en = parser.next(); en != Entry.EOF; en = parser.next()) {
          if (en == Entry.SERIES) {
            String key = canonical(parser.labels().toMap());
            ours.put(
                key,
                value(parser.value()) + (parser.hasTimestamp() ? " @" + parser.timestamp() : ""));
          }
        }
        collect(prom, "{job=\"" + job + "\"}", null, theirs);
        collect(prom, "{job=\"" + job + "\"}", ts / 1000.0, theirs);
        // Series with explicit timestamps come from the query at that time, others from now.
        Map<String, String> theirsFiltered = new TreeMap<>();
        theirs.forEach(
            (k, v) -> {
              if (ours.containsKey(k)) {
                theirsFiltered.put(k, v);
              } else if (!k.matches("^\\{__name__=\"(up|scrape_[a-z_]+)\"\\}$")) {
                theirsFiltered.put(k, v);
              }
            });
        Map<String, String> oursComparable = new TreeMap<>();
        ours.forEach(
            (k, v) ->
                oursComparable.put(k, v.contains(" @") ? v.substring(0, v.indexOf(" @")) : v));
        assertEquals(
            java.util.List.of(), differences(oursComparable, theirsFiltered), "page " + job);
      }
    } finally {
      server.stop(0);
    }
  }

  /** What differs, one line per series: only in Quarry, only in Prometheus, or another value. */
  private static java.util.List<String> differences(
      Map<String, String> ours, Map<String, String> theirs) {
    java.util.List<String> out = new java.util.ArrayList<>();
    ours.forEach(
        (k, v) -> {
          if (!theirs.containsKey(k)) {
            out.add("only Quarry: " + k + " " + v);
          } else if (!theirs.get(k).equals(v)) {
            out.add("value: " + k + " Quarry " + v + ", Prometheus " + theirs.get(k));
          }
        });
    theirs.forEach(
        (k, v) -> {
          if (!ours.containsKey(k)) {
            out.add("only Prometheus: " + k + " " + v);
          }
        });
    return out.size() > 12 ? out.subList(0, 12) : out;
  }

  private static int scrapedTwice(PrometheusServer prom) throws Exception {
    JsonNode r =
        prom.getJson(
            "/api/v1/query?query=" + enc("count_over_time(scrape_samples_scraped[1m]) >= 2"));
    return r.path("data").path("result").size();
  }

  /**
   * Adds {@code labels → value} of every series the selector returns at {@code time} (null: now).
   */
  private static void collect(
      PrometheusServer prom, String selector, Double time, Map<String, String> out)
      throws Exception {
    String q = "/api/v1/query?query=" + enc(selector) + (time == null ? "" : "&time=" + time);
    for (JsonNode s : prom.getJson(q).path("data").path("result")) {
      Map<String, String> labels = new TreeMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = s.path("metric").fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> l = it.next();
        if (!l.getKey().equals("job") && !l.getKey().equals("instance")) {
          labels.put(l.getKey(), l.getValue().asText());
        }
      }
      out.putIfAbsent(
          canonical(labels),
          value(Double.parseDouble(s.path("value").get(1).asText().replace("Inf", "Infinity"))));
    }
  }

  /** Labels as one string. */
  private static String canonical(Map<String, String> labels) {
    return Labels.of(labels).toString();
  }

  private static String value(double v) {
    return Double.isNaN(v) ? "NaN" : Double.toString(v);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
