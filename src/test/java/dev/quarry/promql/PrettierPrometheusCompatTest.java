package dev.quarry.promql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.testing.PrometheusServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Prettier} answers as Prometheus 2.42's {@code /api/v1/format_query}: the same text for
 * short expressions and for ones past its 100-column limit, asked of a real Prometheus.
 */
class PrettierPrometheusCompatTest {
  private static final String LONG_SELECTOR =
      "http_requests_total{job=\"api-server\",instance=\"very-long-instance-name:9090\"}";
  private static final List<String> QUERIES =
      List.of(
          "sum by(job)(rate(up[5m]))",
          "a+b",
          "foo{b=\"1\",a=~\"x\",c!~\"y|z\"}",
          "sum(x) without (a, b)",
          "topk(3, x)",
          "1+1",
          "1234567 + 123456 - 0.0001 * 0.00001 / 1e21 + 12345678.5 - 1.5 + 0x10 + -3 + Inf",
          "-x",
          "x offset 5m @ 100",
          "x @ start() offset -1h",
          "rate(x[5m:1m] @ end())",
          "x > bool 1",
          "a / on(b) group_left(c) d",
          "a unless ignoring(x) b",
          "(a or b) and c",
          "label_replace(up, \"host\", \"$1\", \"instance\", \"(.*):.*\")",
          "count_values(\"v\", x)",
          "{__name__=~\"a.*\"}[90m]",
          "sum by (job) (rate(" + LONG_SELECTOR + "[5m])) / on (job) group_left sum(x)",
          "histogram_quantile(0.9, sum by (le, job) (rate(" + LONG_SELECTOR + "[5m])))",
          "-(" + LONG_SELECTOR + " + " + LONG_SELECTOR + ")",
          "max_over_time((" + LONG_SELECTOR + " * 2)[10m:1m] offset 1h)",
          "topk by (job) (5, " + LONG_SELECTOR + " - " + LONG_SELECTOR + ")",
          "1 + 2 * 3 - time() + " + LONG_SELECTOR + " > bool 10000000000");

  @Test
  void formatsAsPrometheusFormatQuery() throws Exception {
    assumeTrue(PrometheusServer.installed(), "prometheus is not installed");
    Path cfg = Files.createTempFile("quarry-format", ".yml");
    Files.writeString(cfg, "scrape_configs: []\n");
    try (PrometheusServer prom = PrometheusServer.start(cfg)) {
      for (String q : QUERIES) {
        JsonNode r =
            prom.getJson(
                "/api/v1/format_query?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
        assertEquals("success", r.path("status").asText(), q + ": " + r);
        assertEquals(r.path("data").asText(), Prettier.format(PromQL.parse(q)), q);
      }
    }
  }
}
