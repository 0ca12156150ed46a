package dev.quarry.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v1/targets/relabel_steps} answers as Prometheus 3.8: the labels after each of the
 * pool's relabel rules, with keep/drop, for any label set (a dropped target's included).
 */
@QuarkusTest
@TestProfile(TargetsCompatProfile.class)
class RelabelStepsApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode steps(String pool, String labels) throws Exception {
    String body =
        given()
            .queryParam("scrapePool", pool)
            .queryParam("labels", labels)
            .get("/api/v1/targets/relabel_steps")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    JsonNode r = JSON.readTree(body);
    assertEquals("success", r.path("status").asText(), body);
    return r.path("data").path("steps");
  }

  @Test
  void aDroppedTargetShowsTheRuleThatDroppedIt() throws Exception {
    JsonNode s =
        steps(
            "relabelled",
            "{\"__address__\":\"127.0.0.2:9003\",\"env\":\"dev\",\"job\":\"relabelled\"}");
    assertEquals(8, s.size());
    assertEquals(
        JSON.readTree(
            "{\"source_labels\":[\"env\"],\"separator\":\";\",\"regex\":\"dev\","
                + "\"replacement\":\"$1\",\"action\":\"drop\"}"),
        s.get(0).path("rule"));
    for (JsonNode step : s) {
      assertEquals(false, step.path("keep").asBoolean(true), step.toString());
      assertEquals(JSON.readTree("{}"), step.path("output"), step.toString());
    }
  }

  @Test
  void aKeptTargetShowsTheLabelsAfterEachRule() throws Exception {
    JsonNode s = steps("hashmod", "{\"__address__\":\"127.0.0.4:82\",\"team\":\"a\"}");
    assertEquals(4, s.size());
    String hash = s.get(0).path("output").path("__tmp_hash").asText();
    assertEquals(
        JSON.readTree(
            "{\"source_labels\":[\"__address__\"],\"separator\":\";\",\"regex\":\"(.*)\","
                + "\"modulus\":3,\"target_label\":\"__tmp_hash\",\"replacement\":\"$1\","
                + "\"action\":\"hashmod\"}"),
        s.get(0).path("rule"));
    assertEquals(hash.equals("1"), s.get(1).path("keep").asBoolean());
    if (hash.equals("1")) {
      assertEquals("p2", s.get(2).path("output").path("port_digit").asText());
      assertEquals(
          JSON.readTree(
              "{\"__address__\":\"127.0.0.4:82\",\"__tmp_hash\":\"1\",\"port_digit\":\"p2\"}"),
          s.get(3).path("output"));
    }
  }

  @Test
  void missingOrBadParametersAreBadData() {
    given()
        .queryParam("labels", "{}")
        .get("/api/v1/targets/relabel_steps")
        .then()
        .statusCode(400)
        .body("errorType", equalTo("bad_data"))
        .body("error", equalTo("no scrapePool parameter provided"));
    given()
        .get("/api/v1/targets/relabel_steps?scrapePool=static")
        .then()
        .statusCode(400)
        .body("error", equalTo("no labels parameter provided"));
    given()
        .queryParam("scrapePool", "nope")
        .queryParam("labels", "{}")
        .get("/api/v1/targets/relabel_steps")
        .then()
        .statusCode(400)
        .body("error", equalTo("error retrieving scrape config: scrape pool \"nope\" not found"));
    given()
        .queryParam("scrapePool", "static")
        .queryParam("labels", "[1")
        .get("/api/v1/targets/relabel_steps")
        .then()
        .statusCode(400)
        .body("error", org.hamcrest.Matchers.startsWith("error parsing labels: "));
  }
}
