package dev.quarry.web;

import static dev.quarry.testing.WriteRequestsV2.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.testing.PrometheusServer;
import dev.quarry.testing.QuarryProcess;
import dev.quarry.testing.WriteRequestsV2;
import io.prometheus.write.v2.Types;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged agent in server mode with the receiver on takes a remote write 2.0 request from a
 * client that speaks it (Prometheus 2.42 sends 1.0 only), answers with the written counts, and
 * still has the samples after a kill and restart: they were in the WAL when it answered.
 */
class RemoteWrite2IT {
  @Test
  void aV2RequestIsDurableWhenAnswered() throws Exception {
    Path dir = Files.createTempDirectory("quarry-rw2");
    Path config = Files.writeString(dir.resolve("prometheus.yml"), "scrape_configs: []\n");
    Map<String, String> env =
        Map.of("QUARRY_STORAGE_MODE", "server", "QUARRY_WEB_ENABLE_REMOTE_WRITE_RECEIVER", "true");
    int port = PrometheusServer.freePort();
    long now = System.currentTimeMillis();
    WriteRequestsV2 r = WriteRequestsV2.request();
    r.add(
        r.series("__name__", "rw2_it_total", "job", "it")
            .addSamples(sample(now - 1000, 10))
            .addSamples(sample(now, 11))
            .addExemplars(
                Types.Exemplar.newBuilder()
                    .addAllLabelsRefs(r.refs("trace_id", "feed"))
                    .setValue(1)
                    .setTimestamp(now))
            .setMetadata(
                Types.Metadata.newBuilder()
                    .setType(Types.Metadata.MetricType.METRIC_TYPE_COUNTER)
                    .setHelpRef(r.ref("Things counted."))));
    try (QuarryProcess q =
        QuarryProcess.start(config, dir.resolve("data"), port, env, dir.resolve("a.log"))) {
      HttpResponse<String> resp = WriteRequestsV2.post(q.baseUrl() + "/api/v1/write", r.body());
      assertEquals(204, resp.statusCode(), resp.body());
      assertEquals(
          "2", resp.headers().firstValue("X-Prometheus-Remote-Write-Samples-Written").orElse(""));
      assertEquals(
          "1", resp.headers().firstValue("X-Prometheus-Remote-Write-Exemplars-Written").orElse(""));
      q.kill();
    }
    try (QuarryProcess q =
        QuarryProcess.start(config, dir.resolve("data"), port, env, dir.resolve("b.log"))) {
      JsonNode res =
          q.getJson("/api/v1/query?query=rw2_it_total&time=" + (now / 1000.0))
              .path("data")
              .path("result");
      assertEquals(1, res.size(), res.toString());
      assertEquals("11", res.get(0).path("value").get(1).asText());
    }
  }
}
