package dev.quarry.textparse;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Pages written by prometheus/client_java 1.x, the reference Java writer of both formats: one
 * registry of counters, gauges, summaries, classic, native and mixed histograms, with exemplars.
 */
public final class ClientJavaPages {
  private ClientJavaPages() {}

  /** A registry with one of everything, observed deterministically. */
  public static PrometheusRegistry registry() {
    PrometheusRegistry r = new PrometheusRegistry();
    Counter requests =
        Counter.builder()
            .name("http_requests_total")
            .help("Requests served.")
            .labelNames("code", "method")
            .register(r);
    requests.labelValues("200", "get").inc(3);
    requests.labelValues("500", "post").incWithExemplar(2, Labels.of("trace_id", "abc123"));
    Gauge temp = Gauge.builder().name("room_temperature_celsius").help("Temp.").register(r);
    temp.set(21.5);
    Summary rpc =
        Summary.builder()
            .name("rpc_duration_seconds")
            .help("RPC latency.")
            .quantile(0.5, 0.01)
            .quantile(0.9, 0.01)
            .quantile(0.99, 0.001)
            .labelNames("service")
            .register(r);
    Histogram classic =
        Histogram.builder()
            .name("request_size_bytes")
            .help("Sizes.")
            .classicOnly()
            .classicUpperBounds(0.1, 0.5, 1, 2.5, 10)
            .register(r);
    Histogram nativeOnly =
        Histogram.builder()
            .name("latency_seconds")
            .help("Native latency.")
            .nativeOnly()
            .nativeInitialSchema(0)
            .register(r);
    Histogram both =
        Histogram.builder()
            .name("db_seconds")
            .help("Both kinds.")
            .classicUpperBounds(1, 2, 4)
            .nativeInitialSchema(0)
            .labelNames("db")
            .register(r);
    for (double v : new double[] {0.75, 1.5, 1.5, 3}) {
      rpc.labelValues("auth").observe(v);
      classic.observe(v);
      nativeOnly.observe(v);
      both.labelValues("main").observe(v);
    }
    classic.observeWithExemplar(0.3, Labels.of("trace_id", "def456"));
    return r;
  }

  public static byte[] protobuf(MetricSnapshots s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      new PrometheusProtobufWriter().write(out, s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static byte[] text(MetricSnapshots s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
