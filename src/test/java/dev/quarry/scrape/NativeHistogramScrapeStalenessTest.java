package dev.quarry.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Labels;
import dev.quarry.model.StaleMarker;
import dev.quarry.storage.Appender;
import dev.quarry.storage.Matcher;
import dev.quarry.storage.SampleIterator;
import dev.quarry.storage.Series;
import dev.quarry.storage.file.FileStorage;
import dev.quarry.storage.file.FileStorageSettings;
import dev.quarry.textparse.ClientJavaPages;
import dev.quarry.textparse.ProtobufParser;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Protobuf scrapes of native histograms into the file store: a histogram series gone from the page
 * gets a staleness marker (a float sample) at the next scrape, and sample_limit counts each native
 * histogram as one sample.
 */
class NativeHistogramScrapeStalenessTest {
  private static final Labels TARGET = Labels.of("job", "j", "instance", "i:1");

  @TempDir Path dir;

  private static ScrapeAppend newAppend(long sampleLimit) {
    ScrapeTables tables = ScrapeTables.defaults();
    return new ScrapeAppend(
        tables,
        new ScrapeCache(tables.seriesTexts),
        new SampleLabels(tables, TARGET, false, null, 0, 0, 0),
        true,
        false,
        sampleLimit);
  }

  /** A page of {@code histograms} native-only histograms and, when asked, a counter. */
  private static byte[] page(int histograms, boolean counter) {
    PrometheusRegistry r = new PrometheusRegistry();
    for (int i = 0; i < histograms; i++) {
      Histogram h =
          Histogram.builder()
              .name("rpc_" + i + "_seconds")
              .help("RPC latency.")
              .nativeOnly()
              .labelNames("method")
              .register(r);
      h.labelValues("get").observe(0.25 + i);
      h.labelValues("get").observe(1.5);
    }
    if (counter) {
      Counter.builder().name("jobs_total").help("Jobs.").register(r).inc(3);
    }
    return ClientJavaPages.protobuf(r.scrape());
  }

  private static void scrape(ScrapeAppend a, FileStorage fs, byte[] body, long t) throws Exception {
    ProtobufParser p = new ProtobufParser();
    p.configure(true, false);
    p.reset(body, 0, body.length);
    Appender app = fs.appender();
    ScrapeAppend.Result r = a.append(p, app, t);
    app.commit();
    a.cache().iterDone(true);
    assertEquals(java.util.Map.of(), r.rejected());
  }

  @Test
  void histogramGoneFromThePageIsMarkedStaleInTheFileStore() throws Exception {
    try (FileStorage fs = FileStorage.open(dir, FileStorageSettings.DEFAULTS)) {
      ScrapeAppend a = newAppend(0);
      scrape(a, fs, page(1, true), 1000);
      scrape(a, fs, page(0, true), 2000);
      List<Series> got =
          fs.querier().select(0, Long.MAX_VALUE, List.of(Matcher.eq("__name__", "rpc_0_seconds")));
      assertEquals(1, got.size());
      assertEquals(
          TARGET.toBuilder().set("__name__", "rpc_0_seconds").set("method", "get").build(),
          got.get(0).labels());
      SampleIterator it = got.get(0).iterator();
      assertTrue(it.next());
      assertEquals(1000, it.timestamp());
      FloatHistogram h = it.floatHistogram();
      assertNotNull(h, "the first scrape stored the native histogram");
      assertEquals(2.0, h.count());
      assertTrue(it.next(), "no staleness marker after the histogram left the page");
      assertEquals(2000, it.timestamp());
      assertNull(it.floatHistogram(), "the staleness marker is a float sample");
      assertTrue(StaleMarker.isStale(it.value()));
      assertFalse(it.next());
      List<Series> counter =
          fs.querier().select(0, Long.MAX_VALUE, List.of(Matcher.eq("__name__", "jobs_total")));
      SampleIterator c = counter.get(0).iterator();
      assertTrue(c.next());
      assertTrue(c.next());
      assertEquals(3.0, c.value(), "the counter still on the page is not stale");
    }
  }

  @Test
  void sampleLimitCountsANativeHistogramAsOneSample() throws Exception {
    try (FileStorage fs = FileStorage.open(dir, FileStorageSettings.DEFAULTS)) {
      byte[] body = page(4, false);
      scrape(newAppend(4), fs, body, 1000); // 4 histograms, limit 4: taken
      ProtobufParser p = new ProtobufParser();
      p.configure(true, false);
      p.reset(body, 0, body.length);
      ScrapeAppend.AppendFailed e =
          assertThrows(
              ScrapeAppend.AppendFailed.class, () -> newAppend(3).append(p, fs.appender(), 2000));
      assertEquals("sample limit exceeded", e.getMessage());
      assertEquals(4, e.total);
    }
  }
}
