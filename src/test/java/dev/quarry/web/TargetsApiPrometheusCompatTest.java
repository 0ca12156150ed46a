package dev.quarry.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.testing.PrometheusServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Quarry and the real Prometheus 2.42, given the same config with static, file and relabelled
 * targets, list the same active and dropped targets with the same labels.
 */
@QuarkusTest
@TestProfile(TargetsCompatProfile.class)
class TargetsApiPrometheusCompatTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void sameActiveAndDroppedTargetsAsPrometheus() throws Exception {
    assumeTrue(PrometheusServer.installed(), "prometheus is not installed");
    try (PrometheusServer prom = PrometheusServer.start(TargetsCompatProfile.CONFIG)) {
      JsonNode theirs = awaitStable(() -> prom.getJson("/api/v1/targets"));
      JsonNode ours = awaitStable(() -> JSON.readTree(given().get("/api/v1/targets").asString()));
      assertEquals(
          activeSummary(theirs), activeSummary(ours), "active targets differ from Prometheus'");
      assertEquals(
          droppedSummary(theirs), droppedSummary(ours), "dropped targets differ from Prometheus'");
      // static: 3 targets; relabelled: 5 (the dev one dropped); default_ports: 3 (two given the
      // scheme's port); hashmod: 6 (a share kept).
      assertEquals(17, activeSummary(ours).size() + droppedSummary(ours).size());
    }
  }

  interface JsonSource {
    JsonNode get() throws Exception;
  }

  /** Polls until the answer has targets and did not change for two reads in a row. */
  private static JsonNode awaitStable(JsonSource source) throws Exception {
    JsonNode last = null;
    long deadline = System.nanoTime() + 40_000_000_000L;
    while (System.nanoTime() < deadline) {
      JsonNode now = source.get();
      int n = now.path("data").path("activeTargets").size();
      if (n > 0
          && last != null
          && activeSummary(now).equals(activeSummary(last))
          && droppedSummary(now).equals(droppedSummary(last))) {
        return now;
      }
      last = now;
      Thread.sleep(1000);
    }
    throw new AssertionError("targets never became stable: " + last);
  }

  /** The fields both implementations define, one canonical string per target, sorted. */
  static TreeSet<String> activeSummary(JsonNode response) {
    TreeSet<String> out = new TreeSet<>();
    for (JsonNode t : response.path("data").path("activeTargets")) {
      out.add(
          String.join(
              " | ",
              t.path("scrapePool").asText(),
              t.path("scrapeUrl").asText(),
              t.path("scrapeInterval").asText(),
              t.path("scrapeTimeout").asText(),
              "labels=" + sorted(t.path("labels")),
              "discovered=" + sorted(t.path("discoveredLabels"))));
    }
    return out;
  }

  static TreeSet<String> droppedSummary(JsonNode response) {
    TreeSet<String> out = new TreeSet<>();
    for (JsonNode t : response.path("data").path("droppedTargets")) {
      out.add(sorted(t.path("discoveredLabels")).toString());
    }
    return out;
  }

  private static Map<String, String> sorted(JsonNode obj) {
    Map<String, String> m = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      m.put(e.getKey(), e.getValue().asText());
    }
    return m;
  }
}
