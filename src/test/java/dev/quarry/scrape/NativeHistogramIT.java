package dev.quarry.scrape;

import static dev.quarry.testing.PromQueries.await;
import static dev.quarry.testing.PromQueries.count;
import static dev.quarry.testing.PromQueries.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.quarry.testing.PrometheusServer;
import dev.quarry.testing.QuarryProcess;
import dev.quarry.textparse.ClientJavaPages;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A client_java 1.8 target serving native histograms (with their classic buckets) in protobuf,
 * scraped by the packaged agent with {@code scrape_native_histograms} and by Prometheus 2.42 with
 * {@code --enable-feature=native-histograms}: histogram_count, histogram_sum and histogram_quantile
 * answer the same on both query APIs.
 */
class NativeHistogramIT {

  /** Deterministic observations: 1000 latencies from 1 ms to 10 s, and a few negative deltas. */
  static byte[] page() {
    PrometheusRegistry r = new PrometheusRegistry();
    Histogram lat =
        Histogram.builder()
            .name("request_duration_seconds")
            .help("Latency.")
            .labelNames("path")
            .register(r);
    for (int i = 1; i <= 1000; i++) {
      lat.labelValues("/a").observe(i * 0.01);
      lat.labelValues("/b").observe(Math.pow(1.01, i) / 1000);
    }
    Histogram delta = Histogram.builder().name("delta").help("Deltas.").nativeOnly().register(r);
    for (int i = -50; i <= 50; i++) {
      delta.observe(i * 0.5);
    }
    return ClientJavaPages.protobuf(r.scrape());
  }

  @Test
  void histogramFunctionsAnswerAsPrometheus() throws Exception {
    assumeTrue(PrometheusServer.installed(), "prometheus is not installed");
    Path dir = Files.createTempDirectory("quarry-nh-it");
    byte[] body = page();
    HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    target.createContext(
        "/metrics",
        ex -> {
          ex.getResponseHeaders().set("Content-Type", PrometheusProtobufWriter.CONTENT_TYPE);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    target.start();
    String jobs =
        "scrape_configs:\n  - job_name: app\n    static_configs: [{targets: ['127.0.0.1:"
            + target.getAddress().getPort()
            + "']}]\n";
    String global = "global:\n  scrape_interval: 1s\n  scrape_timeout: 500ms\n";
    Path promCfg = dir.resolve("prometheus.yml");
    Files.writeString(promCfg, global + jobs);
    Path quarryCfg = dir.resolve("quarry.yml");
    Files.writeString(quarryCfg, global + "  scrape_native_histograms: true\n" + jobs);
    try (PrometheusServer prom =
            PrometheusServer.start(promCfg, "--enable-feature=native-histograms");
        QuarryProcess quarry =
            QuarryProcess.start(
                quarryCfg,
                dir.resolve("data"),
                PrometheusServer.freePort(),
                Map.of("QUARRY_STORAGE_MODE", "server"),
                dir.resolve("quarry.log"))) {
      await(
          "Prometheus stores the native histograms",
          Duration.ofSeconds(30),
          () ->
              count(prom::getJson, "request_duration_seconds[1m]") == 2
                  && count(prom::getJson, "delta") == 1);
      await(
          "Quarry stores the native histograms",
          Duration.ofSeconds(15),
          () -> count(quarry::getJson, "request_duration_seconds[1m]") == 2);
      Thread.sleep(3000);
      for (String name : new String[] {"request_duration_seconds", "delta"}) {
        for (String q :
            new String[] {
              "histogram_count(" + name + ")",
              "histogram_sum(" + name + ")",
              "histogram_quantile(0.1, " + name + ")",
              "histogram_quantile(0.5, " + name + ")",
              "histogram_quantile(0.9, " + name + ")",
              "histogram_quantile(0.99, " + name + ")",
              "histogram_quantile(0.5, rate(" + name + "[10s]))"
            }) {
          Map<Map<String, String>, String> want = values(prom::getJson, q);
          assertFalse(want.isEmpty(), q + " on Prometheus");
          assertEquals(want, values(quarry::getJson, q), q);
        }
      }
    } finally {
      target.stop(0);
    }
  }
}
