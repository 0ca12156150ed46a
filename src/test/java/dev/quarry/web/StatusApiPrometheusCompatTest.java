package dev.quarry.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.testing.Await;
import dev.quarry.testing.PrometheusServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The status, metadata, exemplar, rules and alerts endpoints answer in the shapes Prometheus 2.42
 * answers, compared with the real binary scraping the same target: same keys and value types at
 * every level, the same metadata, the same errors for bad parameters. POST form bodies work too.
 */
@QuarkusTest
@TestProfile(WebApiProfile.class)
class StatusApiPrometheusCompatTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void sameShapesAsPrometheus() throws Exception {
    assumeTrue(PrometheusServer.installed(), "prometheus is not installed");
    try (PrometheusServer prom = PrometheusServer.start(WebApiProfile.CONFIG)) {
      awaitMetadata(() -> prom.getJson("/api/v1/metadata"));
      awaitMetadata(() -> ours("/api/v1/metadata"));
      for (String path :
          new String[] {
            "/api/v1/status/buildinfo",
            "/api/v1/status/runtimeinfo",
            "/api/v1/status/tsdb",
            "/api/v1/rules",
            "/api/v1/alerts",
            "/api/v1/query_exemplars?query=up",
            "/api/v1/metadata?metric=demo_requests_total"
          }) {
        assertEquals(shape(prom.getJson(path)), shape(ours(path)), path);
      }
      // The same metadata (what the target exposes), and limit / metric filters as Prometheus.
      for (String q :
          new String[] {
            "", "?metric=demo_temperature_celsius", "?metric=nope", "?limit=0", "?limit=x"
          }) {
        assertEquals(prom.getJson("/api/v1/metadata" + q), ours("/api/v1/metadata" + q), q);
      }
      assertEquals(prom.getJson("/api/v1/rules?type=foo"), ours("/api/v1/rules?type=foo"));
      assertEquals(prom.getJson("/api/v1/rules"), ours("/api/v1/rules"));
      assertEquals(prom.getJson("/api/v1/alerts"), ours("/api/v1/alerts"));

      // Flags: every value a string; those named like Prometheus flags are Prometheus flags.
      JsonNode theirFlags = prom.getJson("/api/v1/status/flags").path("data");
      JsonNode ourFlags = ours("/api/v1/status/flags").path("data");
      for (Iterator<String> it = ourFlags.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        assertTrue(ourFlags.get(name).isTextual(), name);
        assertTrue(
            name.startsWith("quarry.") || theirFlags.has(name), "not a Prometheus flag: " + name);
      }
      assertEquals(
          "2.42.0",
          ours("/api/v1/status/buildinfo").path("data").path("version").asText(),
          "Grafana reads the version");
      JsonNode tsdb = ours("/api/v1/status/tsdb").path("data");
      assertTrue(tsdb.path("headStats").path("numSeries").asLong() >= 3, tsdb.toString());
      assertEquals(
          "demo_requests_total",
          tsdb.path("seriesCountByMetricName").get(0).path("name").asText(),
          "2 series, the most of any name: " + tsdb);
    }
  }

  @Test
  void postFormBodiesAreRead() throws Exception {
    awaitMetadata(() -> ours("/api/v1/metadata"));
    JsonNode one =
        JSON.readTree(
            given()
                .contentType("application/x-www-form-urlencoded")
                .formParam("metric", "demo_temperature_celsius")
                .post("/api/v1/metadata")
                .asString());
    assertEquals(
        "Temperature.",
        one.path("data").path("demo_temperature_celsius").get(0).path("help").asText(),
        one.toString());
    assertEquals(1, one.path("data").size(), one.toString());
    Response bad =
        given()
            .contentType("application/x-www-form-urlencoded")
            .formParam("limit_per_metric", "many")
            .post("/api/v1/metadata");
    assertEquals(400, bad.statusCode());
    assertEquals(
        "limit_per_metric must be a number", JSON.readTree(bad.asString()).path("error").asText());
    Response ex =
        given()
            .contentType("application/x-www-form-urlencoded")
            .formParam("query", "up")
            .formParam("start", "10")
            .formParam("end", "5")
            .post("/api/v1/query_exemplars");
    assertEquals(400, ex.statusCode());
    assertEquals(
        200,
        given()
            .contentType("application/x-www-form-urlencoded")
            .formParam("type", "alert")
            .post("/api/v1/rules")
            .statusCode());
    for (String p : new String[] {"buildinfo", "runtimeinfo", "flags", "tsdb"}) {
      assertEquals(200, given().post("/api/v1/status/" + p).statusCode(), p);
    }
    assertEquals(200, given().post("/api/v1/alerts").statusCode());
  }

  private static JsonNode ours(String path) throws Exception {
    return JSON.readTree(given().urlEncodingEnabled(false).get(path).asString());
  }

  interface Source {
    JsonNode get() throws Exception;
  }

  private static void awaitMetadata(Source s) throws Exception {
    boolean scraped =
        Await.within(
            Duration.ofSeconds(30),
            () -> {
              try {
                return s.get().path("data").has("demo_temperature_celsius");
              } catch (Exception e) {
                return false;
              }
            });
    if (!scraped) {
      throw new AssertionError("no metadata scraped: " + s.get());
    }
  }

  /**
   * The structure of a JSON value: object keys with the shapes of their values, arrays as the shape
   * of their first element, scalars as their type.
   */
  static Object shape(JsonNode n) {
    if (n.isObject()) {
      Map<String, Object> m = new TreeMap<>();
      n.fields().forEachRemaining(e -> m.put(e.getKey(), shape(e.getValue())));
      return m;
    }
    if (n.isArray()) {
      return n.isEmpty() ? "[]" : "[" + shape(n.get(0)) + "]";
    }
    return n.getNodeType().toString();
  }
}
