package dev.quarry.web;

import static dev.quarry.testing.WriteRequestsV2.sample;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.model.StaleMarker;
import dev.quarry.testing.WriteRequests;
import dev.quarry.testing.WriteRequestsV2;
import io.prometheus.write.v2.Types;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Remote write 2.0 end to end over HTTP, with a client that speaks it (the Prometheus 2.42 of the
 * other tests sends 1.0 only): content negotiation and its 415s, the written-count headers on 204
 * and 400, samples readable through {@code /api/v1/query} once answered, and 1.0 still served.
 */
@QuarkusTest
@TestProfile(WebApiProfile.class)
class RemoteWrite2EndpointTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SAMPLES = "X-Prometheus-Remote-Write-Samples-Written";
  private static final String HISTOGRAMS = "X-Prometheus-Remote-Write-Histograms-Written";
  private static final String EXEMPLARS = "X-Prometheus-Remote-Write-Exemplars-Written";

  @TestHTTPResource("/api/v1/write")
  URL write;

  @Test
  void aV2RequestIsStoredAndAnsweredWithWhatWasWritten() throws Exception {
    long now = System.currentTimeMillis();
    WriteRequestsV2 r = WriteRequestsV2.request();
    r.add(
        r.series("__name__", "rw2_endpoint", "source", "v2")
            .addSamples(sample(now - 2000, 41))
            .addSamples(sample(now - 1000, 42))
            .addExemplars(
                Types.Exemplar.newBuilder()
                    .addAllLabelsRefs(r.refs("trace_id", "t1"))
                    .setValue(42)
                    .setTimestamp(now - 1000))
            .setMetadata(
                Types.Metadata.newBuilder()
                    .setType(Types.Metadata.MetricType.METRIC_TYPE_GAUGE)
                    .setHelpRef(r.ref("A gauge."))));
    r.add(
        r.series("__name__", "rw2_endpoint_stale")
            .addSamples(sample(now - 2000, 1))
            .addSamples(sample(now - 1000, StaleMarker.STALE_NAN)));
    HttpResponse<String> resp = WriteRequestsV2.post(write.toString(), r.body());
    assertEquals(204, resp.statusCode(), resp.body());
    assertEquals("4", resp.headers().firstValue(SAMPLES).orElse(null));
    assertEquals("0", resp.headers().firstValue(HISTOGRAMS).orElse(null));
    assertEquals("1", resp.headers().firstValue(EXEMPLARS).orElse(null));

    JsonNode res = query("rw2_endpoint", now);
    assertEquals(1, res.size(), res.toString());
    assertEquals("v2", res.get(0).path("metric").path("source").asText());
    assertEquals("42", res.get(0).path("value").get(1).asText());
    assertEquals(0, query("rw2_endpoint_stale", now).size(), "the staleness marker ends it");
  }

  @Test
  void refusedSamplesAre400WithTheWrittenCounts() throws Exception {
    long now = System.currentTimeMillis();
    WriteRequestsV2 first = WriteRequestsV2.request();
    first.add(first.series("__name__", "rw2_endpoint_ooo").addSamples(sample(now, 1)));
    assertEquals(204, WriteRequestsV2.post(write.toString(), first.body()).statusCode());
    WriteRequestsV2 r = WriteRequestsV2.request();
    r.add(r.series("__name__", "rw2_endpoint_ooo").addSamples(sample(now - 1000, 1)));
    r.add(r.series("__name__", "rw2_endpoint_ok").addSamples(sample(now, 1)));
    r.add(
        Types.TimeSeries.newBuilder()
            .addAllLabelsRefs(java.util.List.of(1, 4000))
            .addSamples(sample(now, 1)));
    HttpResponse<String> resp = WriteRequestsV2.post(write.toString(), r.body());
    assertEquals(400, resp.statusCode());
    assertEquals(
        "out of order sample for series {__name__=\"rw2_endpoint_ooo\"}\n"
            + "parsing labels for series [1 4000]: labelRefs 1 (name) = 4000 (value) outside of"
            + " symbols table (size "
            + r.symbolCount()
            + ")\n",
        resp.body());
    assertTrue(resp.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    assertEquals("1", resp.headers().firstValue(SAMPLES).orElse(null));
    assertEquals("0", resp.headers().firstValue(HISTOGRAMS).orElse(null));
    assertEquals("0", resp.headers().firstValue(EXEMPLARS).orElse(null));
    assertEquals(1, query("rw2_endpoint_ok", now).size());
  }

  @Test
  void aBodyThatDoesNotDecodeIs400WithoutCounts() throws Exception {
    HttpResponse<String> garbage = WriteRequestsV2.post(write.toString(), new byte[] {1, 2, 3});
    assertEquals(400, garbage.statusCode());
    assertEquals("snappy: corrupt input\n", garbage.body());
    assertTrue(garbage.headers().firstValue(SAMPLES).isEmpty());
    byte[] notProto = WriteRequests.snappy(new byte[] {0x2a, 0x7f, 1});
    HttpResponse<String> bad = WriteRequestsV2.post(write.toString(), notProto);
    assertEquals(400, bad.statusCode());
    assertEquals("proto: timeseries[0]: truncated\n", bad.body());
  }

  @ParameterizedTest(name = "{0} / {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "application/x-protobuf;proto=yolo | snappy | got application/x-protobuf;proto=yolo"
            + " content type; unknown type for remote write protobuf message yolo, supported:"
            + " prometheus.WriteRequest, io.prometheus.write.v2.Request",
        "application/json | snappy | expected application/x-protobuf as the first (media) part,"
            + " got application/json content-type",
        "application/x-protobuf;proto=io.prometheus.write.v2.Request | zstd | zstd encoding"
            + " (compression) is not accepted by this server; only snappy is acceptable",
        "application/x-protobuf | gzip | gzip encoding (compression) is not accepted by this"
            + " server; only snappy is acceptable",
      })
  void unsupportedTypesAndEncodingsAre415(String type, String encoding, String message)
      throws Exception {
    WriteRequestsV2 r = WriteRequestsV2.request();
    r.add(r.series("__name__", "rw2_endpoint_415").addSamples(sample(1000, 1)));
    HttpResponse<String> resp = WriteRequestsV2.post(write.toString(), r.body(), type, encoding);
    assertEquals(415, resp.statusCode(), resp.body());
    assertEquals(message + "\n", resp.body());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      nullValues = "none",
      value = {
        "application/x-protobuf;proto=prometheus.WriteRequest",
        "application/x-protobuf",
        "none",
      })
  void version1IsStillServed(String type) throws Exception {
    long now = System.currentTimeMillis();
    String name = "rw2_endpoint_v1_" + (type == null ? "none" : type.length());
    byte[] body = WriteRequests.request().series("__name__", name).sample(now, 5).done().body();
    HttpResponse<String> resp = WriteRequestsV2.post(write.toString(), body, type, "snappy");
    assertEquals(204, resp.statusCode(), resp.body());
    assertTrue(resp.headers().firstValue(SAMPLES).isEmpty(), "1.0 answers carry no counts");
    assertEquals(1, query(name, now).size());
  }

  private static JsonNode query(String q, long now) throws Exception {
    return JSON.readTree(
            given()
                .queryParam("query", q)
                .queryParam("time", now / 1000.0)
                .get("/api/v1/query")
                .asString())
        .path("data")
        .path("result");
  }
}
