package dev.quarry.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.quarry.model.Labels;
import dev.quarry.storage.Appender;
import dev.quarry.testing.ProfileDir;
import dev.quarry.wiring.StorageWiring;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v1/query} and {@code /api/v1/query_range} evaluate PromQL over the file store and
 * answer in Prometheus' JSON: result types, times as RFC 3339 or Unix seconds, steps as seconds or
 * durations, GET and POST forms, and Prometheus' error types and statuses.
 */
@QuarkusTest
@TestProfile(PromqlApiTest.Profile.class)
class PromqlApiTest {
  /** Server mode with a temp data dir, no scrapes and a small sample limit. */
  public static class Profile implements QuarkusTestProfile {
    static final Path DIR =
        ProfileDir.create("quarry-promql-api", "prometheus.yml", "scrape_configs: []\n");

    @Override
    public Map<String, String> getConfigOverrides() {
      return ProfileDir.serverMode(
          DIR, "quarry.query.max-samples", "1000", "quarkus.http.test-port", "0");
    }
  }

  @Inject StorageWiring storage;
  private static boolean loaded;

  /** http_requests_total{job="a"|"b"} rising by 60 a minute, 1000 s to 1600 s, every 15 s. */
  @BeforeEach
  void load() {
    if (loaded) {
      return;
    }
    loaded = true;
    for (long t = 1_000_000; t <= 1_600_000; t += 15_000) {
      Appender a = storage.fileStorage().appender();
      a.append(
          0, Labels.of("__name__", "http_requests_total", "job", "a"), t, (t - 1_000_000) / 1000.0);
      a.append(
          0,
          Labels.of("__name__", "http_requests_total", "job", "b"),
          t,
          2 * (t - 1_000_000) / 1000.0);
      a.commit();
    }
  }

  @Test
  void instantVectorWithFunctionsAndAggregations() {
    given()
        .queryParam("query", "sum by (job) (rate(http_requests_total[1m]))")
        .queryParam("time", "1600")
        .get("/api/v1/query")
        .then()
        .statusCode(200)
        .body("status", equalTo("success"))
        .body("data.resultType", equalTo("vector"))
        .body("data.result", hasSize(2))
        .body("data.result[0].metric.job", equalTo("a"))
        .body("data.result[0].value[0]", equalTo(1600))
        .body("data.result[0].value[1]", equalTo("1"))
        .body("data.result[1].value[1]", equalTo("2"));
  }

  @Test
  void scalarStringAndMatrixResults() {
    given()
        .queryParam("query", "1 + 2 * 3")
        .queryParam("time", "1970-01-01T00:20:00Z")
        .get("/api/v1/query")
        .then()
        .statusCode(200)
        .body("data.resultType", equalTo("scalar"))
        .body("data.result[0]", equalTo(1200))
        .body("data.result[1]", equalTo("7"));
    given()
        .queryParam("query", "\"hi\"")
        .queryParam("time", "1200.5")
        .get("/api/v1/query")
        .then()
        .statusCode(200)
        .body("data.resultType", equalTo("string"))
        .body("data.result[1]", equalTo("hi"));
    given()
        .queryParam("query", "http_requests_total{job=\"a\"}[30s]")
        .queryParam("time", "1600")
        .get("/api/v1/query")
        .then()
        .statusCode(200)
        .body("data.resultType", equalTo("matrix"))
        .body("data.result[0].values", hasSize(3))
        .body("data.result[0].values[0][1]", equalTo("570"));
  }

  @Test
  void rangeQueryByGetAndPostWithSecondsOrDurationSteps() {
    given()
        .queryParam("query", "http_requests_total{job=\"b\"} / 2")
        .queryParam("start", "1000")
        .queryParam("end", "1120")
        .queryParam("step", "1m")
        .get("/api/v1/query_range")
        .then()
        .statusCode(200)
        .body("data.resultType", equalTo("matrix"))
        .body("data.result[0].metric.job", equalTo("b"))
        .body("data.result[0].values", hasSize(3))
        .body("data.result[0].values[2][1]", equalTo("120"));
    given()
        .contentType("application/x-www-form-urlencoded")
        .formParam("query", "time()")
        .formParam("start", "1000")
        .formParam("end", "1001")
        .formParam("step", "0.5")
        .post("/api/v1/query_range")
        .then()
        .statusCode(200)
        .body("data.result[0].values", hasSize(3))
        .body("data.result[0].values[1][0]", equalTo(1000.5f));
  }

  @Test
  void errorsCarryPrometheusTypes() {
    given()
        .queryParam("query", "sum(")
        .get("/api/v1/query")
        .then()
        .statusCode(400)
        .body("errorType", equalTo("bad_data"))
        .body(
            "error",
            equalTo(
                "invalid parameter \"query\": 1:5: parse error: unclosed left" + " parenthesis"));
    given()
        .queryParam("query", "up")
        .queryParam("start", "0")
        .queryParam("end", "100000")
        .queryParam("step", "1")
        .get("/api/v1/query_range")
        .then()
        .statusCode(400)
        .body(
            "error",
            equalTo(
                "exceeded maximum resolution of 11,000 points per timeseries."
                    + " Try decreasing the query resolution (?step=XX)"));
    given()
        .queryParam("query", "up[5m]")
        .queryParam("start", "0")
        .queryParam("end", "10")
        .queryParam("step", "1")
        .get("/api/v1/query_range")
        .then()
        .statusCode(400)
        .body(
            "error",
            equalTo(
                "invalid parameter \"query\": invalid expression type \"range"
                    + " vector\" for range query, must be Scalar or instant Vector"));
    given()
        .queryParam("query", "http_requests_total + on() http_requests_total")
        .queryParam("time", "1600")
        .get("/api/v1/query")
        .then()
        .statusCode(422)
        .body("errorType", equalTo("execution"));
    given()
        .queryParam("query", "http_requests_total")
        .queryParam("start", "1000")
        .queryParam("end", "1600")
        .queryParam("step", "1")
        .get("/api/v1/query_range")
        .then()
        .statusCode(422)
        .body("errorType", equalTo("execution"))
        .body(
            "error",
            equalTo(
                "query processing would load too many samples into memory in"
                    + " query execution"));
  }

  @Test
  void formatQueryPrettyPrintsByGetAndPostAndRejectsBadQueries() {
    given()
        .queryParam("query", "sum(rate(x[5m])) by(job) > bool 1")
        .get("/api/v1/format_query")
        .then()
        .statusCode(200)
        .body("status", equalTo("success"))
        .body("data", equalTo("sum by (job) (rate(x[5m])) > bool 1"));
    given()
        .contentType("application/x-www-form-urlencoded")
        .formParam("query", "foo{b=\"1\",a=~\"x\"} offset 5m @ 100")
        .post("/api/v1/format_query")
        .then()
        .statusCode(200)
        .body("data", equalTo("foo{a=~\"x\",b=\"1\"} @ 100.000 offset 5m"));
    given()
        .queryParam("query", "x[5m")
        .get("/api/v1/format_query")
        .then()
        .statusCode(400)
        .body("errorType", equalTo("bad_data"))
        .body(
            "error",
            equalTo("invalid parameter \"query\": 1:5: parse error: unclosed left" + " bracket"));
    given()
        .get("/api/v1/format_query")
        .then()
        .statusCode(400)
        .body(
            "error",
            equalTo(
                "invalid parameter \"query\": 1:1: parse error: no expression"
                    + " found in input"));
  }
}
