package dev.quarry.scrape;

import static dev.quarry.scrape.EngineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Histogram;
import dev.quarry.model.Labels;
import dev.quarry.storage.Appender;
import dev.quarry.storage.Exemplar;
import dev.quarry.storage.MemoryStorage;
import dev.quarry.storage.Metadata;
import dev.quarry.storage.SampleRejectedException;
import dev.quarry.textparse.ClientJavaPages;
import dev.quarry.textparse.ProtobufParser;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Scrapes of protobuf pages, against the same metrics in the text format. */
class ProtobufScrapeTest {
  private static final MetricSnapshots SNAPSHOTS = ClientJavaPages.registry().scrape();
  private static final Labels TARGET = Labels.of("job", "j", "instance", "i:1");

  /** The stored series of {@code job} without the job label, with their last values. */
  private static Map<String, Double> stored(MemoryStorage s, String job) {
    Map<String, Double> out = new TreeMap<>();
    for (Labels l : s.series(l -> job.equals(l.get("job")))) {
      String name = l.get("__name__");
      if (name.equals("up") || name.startsWith("scrape_")) {
        continue;
      }
      out.put(l.toBuilder().del("job").build().toString(), s.last(l).value());
    }
    return out;
  }

  @Test
  void protobufTargetStoresTheClassicSeriesOfItsTextFormat() throws Exception {
    byte[] proto = ClientJavaPages.protobuf(SNAPSHOTS);
    byte[] text = ClientJavaPages.text(SNAPSHOTS);
    List<String> accept = new ArrayList<>();
    try (EngineHarness h = new EngineHarness(false);
        TestTarget target = new TestTarget(h.vertx)) {
      target.handler =
          r -> {
            boolean p = r.path().equals("/proto");
            if (p) {
              accept.add(r.getHeader("Accept"));
            }
            r.response()
                .putHeader(
                    "Content-Type",
                    p ? PrometheusProtobufWriter.CONTENT_TYPE : "text/plain; version=0.0.4")
                .end(Buffer.buffer(p ? proto : text));
          };
      h.apply(
          """
          scrape_configs:
            - job_name: proto
              scrape_interval: 500ms
              scrape_timeout: 400ms
              metrics_path: /proto
              scrape_protocols: [PrometheusProto, PrometheusText0.0.4]
              static_configs: [{targets: ['%1$s']}]
            - job_name: text
              scrape_interval: 500ms
              scrape_timeout: 400ms
              metrics_path: /text
              static_configs: [{targets: ['%1$s']}]
          """
              .formatted(target.address()));
      await(
          "both jobs scraped",
          Duration.ofSeconds(10),
          () -> stored(h.storage, "proto").size() > 20 && stored(h.storage, "text").size() > 20);
      Map<String, Double> fromText = stored(h.storage, "text");
      assertEquals(fromText, stored(h.storage, "proto"));
      assertTrue(
          fromText.containsKey(
              "{__name__=\"db_seconds_bucket\", db=\"main\", instance=\""
                  + target.address()
                  + "\", le=\"2.0\"}"),
          fromText::toString);
      assertEquals(
          "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
              + "encoding=delimited;q=0.6,text/plain;version=0.0.4;q=0.5,*/*;q=0.4",
          accept.get(0));
      Labels up = Labels.of("__name__", "up", "job", "proto", "instance", target.address());
      assertEquals(1.0, h.storage.last(up).value());
    }
  }

  private static ScrapeAppend newAppend(ScrapeTables tables) {
    return new ScrapeAppend(
        tables,
        new ScrapeCache(tables.seriesTexts),
        new SampleLabels(tables, TARGET, false, null, 0, 0, 0),
        true,
        false,
        0);
  }

  @Test
  void aStorageWithoutNativeHistogramsRefusesThemAndKeepsTheRest() throws Exception {
    MemoryStorage storage = new MemoryStorage();
    ProtobufParser p = new ProtobufParser();
    p.configure(true, true);
    byte[] body = ClientJavaPages.protobuf(SNAPSHOTS);
    p.reset(body, 0, body.length);
    Appender app = storage.appender();
    ScrapeAppend a = newAppend(ScrapeTables.defaults());
    ScrapeAppend.Result r = a.append(p, app, 1000);
    app.commit();
    Metadata m = a.cache().metadata("rpc_duration_seconds");
    assertEquals("summary", m.type());
    assertEquals("RPC latency.", m.help());
    assertEquals(
        Map.of(SampleRejectedException.Reason.NATIVE_HISTOGRAMS_UNSUPPORTED, 2), r.rejected());
    Labels classic =
        TARGET.toBuilder()
            .set("__name__", "db_seconds_bucket")
            .set("db", "main")
            .set("le", "+Inf")
            .build();
    assertEquals(4.0, storage.last(classic).value(), "always_scrape_classic_histograms");
    assertEquals(
        21.5,
        storage
            .last(TARGET.toBuilder().set("__name__", "room_temperature_celsius").build())
            .value());
  }

  @Test
  void nativeHistogramsReachAStorageThatTakesThem() throws Exception {
    MemoryStorage storage = new MemoryStorage();
    Map<Labels, Histogram> got = new TreeMap<>();
    Appender app =
        new LimitAppenders.Forwarding(storage.appender()) {
          @Override
          public long append(long ref, Labels labels, long t, double v) {
            return next.append(ref, labels, t, v);
          }

          @Override
          public long appendHistogram(long ref, Labels l, long t, Histogram h, FloatHistogram fh) {
            got.put(l, h.copy());
            return 1;
          }

          @Override
          public void appendExemplar(long ref, Labels labels, Exemplar exemplar) {}
        };
    ProtobufParser p = new ProtobufParser();
    p.configure(true, false);
    byte[] body = ClientJavaPages.protobuf(SNAPSHOTS);
    p.reset(body, 0, body.length);
    ScrapeAppend.Result r = newAppend(ScrapeTables.defaults()).append(p, app, 1000);
    assertEquals(Map.of(), r.rejected());
    Histogram h = got.get(TARGET.toBuilder().set("__name__", "latency_seconds").build());
    assertNotNull(h, got::toString);
    assertEquals(4, h.count());
    assertEquals(3, h.positiveBucketCount());
    assertEquals(2, got.size(), got::toString);
  }
}
