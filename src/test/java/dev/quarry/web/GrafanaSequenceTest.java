package dev.quarry.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.testing.PrometheusServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The requests Grafana's Prometheus data source sends, in its order, answered as Prometheus 2.42
 * answers them when both scrape the same target: buildinfo (version detection), {@code 1+1} by POST
 * (Save &amp; test), the label names and metric metadata (query editor), and step-aligned POST
 * {@code query_range} of {@code up} and {@code rate(up[1m])} (a panel): same status codes, result
 * types, shapes, and the same values where they are deterministic.
 */
@QuarkusTest
@TestProfile(WebApiProfile.class)
class GrafanaSequenceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void grafanaRequestsAnswerAsPrometheus() throws Exception {
    assumeTrue(PrometheusServer.installed(), "prometheus is not installed");
    try (PrometheusServer prom = PrometheusServer.start(WebApiProfile.CONFIG)) {
      String theirs = prom.baseUrl();
      String ours = "http://127.0.0.1:" + RestAssured.port;
      awaitData(theirs);
      awaitData(ours);

      // 1. Version detection.
      Answer pb = send(theirs, "/api/v1/status/buildinfo", null);
      Answer qb = send(ours, "/api/v1/status/buildinfo", null);
      assertEquals(pb.status, qb.status);
      assertEquals(
          StatusApiPrometheusCompatTest.shape(pb.body),
          StatusApiPrometheusCompatTest.shape(qb.body));
      assertEquals("2.42.0", qb.body.path("data").path("version").asText());

      // 2. Save & test: POST query=1+1 at a given time.
      long now = System.currentTimeMillis() / 1000;
      String test = "query=" + enc("1+1") + "&time=" + now;
      Answer pt = send(theirs, "/api/v1/query", test);
      Answer qt = send(ours, "/api/v1/query", test);
      assertEquals(pt.status, qt.status);
      assertEquals(pt.body, qt.body, "scalar 2 at the given time");

      // 3. Query editor: label names and metadata of the same target.
      String range = "?start=" + (now - 3600) + "&end=" + now;
      for (String path :
          new String[] {"/api/v1/labels", "/api/v1/labels" + range, "/api/v1/metadata"}) {
        Answer p = send(theirs, path, null);
        Answer q = send(ours, path, null);
        assertEquals(p.status, q.status, path);
        assertEquals(p.body, q.body, path);
        assertTrue(q.body.path("data").size() >= 2, path + ": " + q.body);
      }

      // 4. A panel: step-aligned range queries, up is 1 and its rate 0 at every step.
      long step = 2;
      long end = (System.currentTimeMillis() / 1000 / step - 1) * step;
      long start = end - 2 * step;
      for (String expr : new String[] {"up", "rate(up[1m])"}) {
        String form = "query=" + enc(expr) + "&start=" + start + "&end=" + end + "&step=" + step;
        Answer p = send(theirs, "/api/v1/query_range", form);
        Answer q = send(ours, "/api/v1/query_range", form);
        assertEquals(p.status, q.status, expr);
        assertEquals(200, q.status, expr + ": " + q.body);
        assertEquals("matrix", q.body.path("data").path("resultType").asText(), expr);
        assertEquals(bySeries(p.body), bySeries(q.body), expr);
        assertEquals(
            3,
            q.body.path("data").path("result").get(0).path("values").size(),
            expr + ": " + q.body);
      }
    }
  }

  private record Answer(int status, JsonNode body) {}

  /** GET without a form, else POST of an urlencoded form, as Grafana sends them. */
  private static Answer send(String base, String path, String form) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    if (form != null) {
      b.header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(form));
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), JSON.readTree(r.body()));
  }

  /** Results keyed by their label sets (sorted), values as they are. */
  private static Map<String, JsonNode> bySeries(JsonNode body) {
    Map<String, JsonNode> m = new TreeMap<>();
    for (JsonNode r : body.path("data").path("result")) {
      m.put(
          new TreeMap<>(JSON.convertValue(r.get("metric"), Map.class)).toString(), r.get("values"));
    }
    return m;
  }

  /** Until the target's series have at least 10 s of samples and its metadata is known. */
  private static void awaitData(String base) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    String form = "query=" + enc("count_over_time(up[1m])");
    Answer last = null;
    while (System.nanoTime() < deadline) {
      last = send(base, "/api/v1/query", form);
      JsonNode result = last.body.path("data").path("result");
      if (!result.isEmpty()
          && result.get(0).path("value").path(1).asDouble() >= 10
          && send(base, "/api/v1/metadata", null)
              .body
              .path("data")
              .has("demo_temperature_celsius")) {
        return;
      }
      Thread.sleep(500);
    }
    assertTrue(false, base + " has not scraped enough: " + last.body);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
