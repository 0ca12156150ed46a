package dev.quarry.web;

import static dev.quarry.testing.WriteRequests.request;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.model.StaleMarker;
import dev.quarry.testing.WriteRequests;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/v1/write} through HTTP with the receiver on: 204 and the samples readable at
 * once through {@code /api/v1/query}; plain-text 400s for refused samples and bodies that do not
 * decode; no GET.
 */
@QuarkusTest
@TestProfile(WebApiProfile.class)
class RemoteWriteEndpointTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TestHTTPResource("/api/v1/write")
  URL write;

  @Test
  void samplesAreReadableWhenTheAnswerArrives() throws Exception {
    long now = System.currentTimeMillis();
    HttpResponse<String> r =
        WriteRequests.post(
            write.toString(),
            request()
                .series("__name__", "rw_endpoint_test", "source", "test")
                .sample(now - 2000, 41)
                .sample(now - 1000, 42)
                .done()
                .series("__name__", "rw_endpoint_stale")
                .sample(now - 2000, 1)
                .sample(now - 1000, StaleMarker.STALE_NAN)
                .done()
                .body());
    assertEquals(204, r.statusCode(), r.body());
    assertEquals("", r.body());
    JsonNode res =
        JSON.readTree(
                given()
                    .queryParam("query", "rw_endpoint_test")
                    .queryParam("time", now / 1000.0)
                    .get("/api/v1/query")
                    .asString())
            .path("data")
            .path("result");
    assertEquals(1, res.size(), res.toString());
    assertEquals("test", res.get(0).path("metric").path("source").asText());
    assertEquals("42", res.get(0).path("value").get(1).asText());
    JsonNode stale =
        JSON.readTree(
                given()
                    .queryParam("query", "rw_endpoint_stale")
                    .queryParam("time", now / 1000.0)
                    .get("/api/v1/query")
                    .asString())
            .path("data")
            .path("result");
    assertEquals(0, stale.size(), "a received staleness marker ends the series: " + stale);
    String metrics = given().get("/metrics").asString();
    assertTrue(
        metrics.contains("quarry_remote_write_receiver_requests_total{code=\"204\"}"), metrics);
    assertTrue(metrics.contains("quarry_remote_write_receiver_samples_written_total"), metrics);
  }

  @Test
  void refusedSamplesAndBadBodiesAre400InPlainText() throws Exception {
    long now = System.currentTimeMillis();
    byte[] first = request().series("__name__", "rw_endpoint_ooo").sample(now, 1).done().body();
    assertEquals(204, WriteRequests.post(write.toString(), first).statusCode());
    HttpResponse<String> ooo =
        WriteRequests.post(
            write.toString(),
            request().series("__name__", "rw_endpoint_ooo").sample(now - 1000, 1).done().body());
    assertEquals(400, ooo.statusCode());
    assertTrue(
        ooo.body().startsWith("out of order sample: series {__name__=\"rw_endpoint_ooo\"}"),
        ooo.body());
    assertTrue(ooo.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));

    HttpResponse<String> garbage = WriteRequests.post(write.toString(), new byte[] {1, 2, 3});
    assertEquals(400, garbage.statusCode());
    assertEquals("snappy: corrupt input\n", garbage.body());

    given().get("/api/v1/write").then().statusCode(405);
  }
}
