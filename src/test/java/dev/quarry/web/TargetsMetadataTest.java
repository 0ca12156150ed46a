package dev.quarry.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quarry.scrape.EngineHarness;
import dev.quarry.scrape.TestTarget;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/targets/metadata}: match_target, metric and limit as in Prometheus. */
class TargetsMetadataTest {
  private static final String PAGE =
      "# HELP a_total Things done.\n# TYPE a_total counter\na_total 1\n"
          + "# HELP temp Temperature.\n# TYPE temp gauge\ntemp 20\nuntyped_one 3\n";

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> data(Response r) {
    return (List<Map<String, Object>>) ((Map<String, Object>) r.getEntity()).get("data");
  }

  @Test
  void metadataPerTargetFilteredByTargetMetricAndLimit() throws Exception {
    try (EngineHarness h = new EngineHarness(false);
        TestTarget a = new TestTarget(h.vertx);
        TestTarget b = new TestTarget(h.vertx)) {
      a.handler = r -> TestTarget.page(r, PAGE);
      b.handler = r -> TestTarget.page(r, PAGE);
      h.apply(
          """
          scrape_configs:
            - job_name: one
              scrape_interval: 500ms
              static_configs: [{targets: ['%s']}]
            - job_name: two
              scrape_interval: 500ms
              static_configs: [{targets: ['%s']}]
          """
              .formatted(a.address(), b.address()));
      TargetsResource api = new TargetsResource(h.manager);
      EngineHarness.await(
          "both scraped",
          Duration.ofSeconds(5),
          () -> data(api.targetsMetadata(null, "temp", null)).size() == 2);

      List<Map<String, Object>> temp = data(api.targetsMetadata("{job=\"one\"}", "temp", null));
      assertEquals(
          List.of(
              Map.of(
                  "target",
                  Map.of("instance", a.address(), "job", "one"),
                  "type",
                  "gauge",
                  "help",
                  "Temperature.",
                  "unit",
                  "")),
          temp);

      List<Map<String, Object>> all = data(api.targetsMetadata("{job=~\"t.*\"}", null, null));
      assertEquals(List.of("a_total", "temp"), all.stream().map(m -> m.get("metric")).toList());
      assertEquals("counter", all.get(0).get("type"));

      assertEquals(2, data(api.targetsMetadata(null, null, "2")).size(), "limit caps the entries");
      assertEquals(400, api.targetsMetadata("{job=", null, null).getStatus());
    }
  }
}
