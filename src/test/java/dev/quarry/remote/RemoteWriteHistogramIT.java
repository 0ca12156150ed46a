package dev.quarry.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.config.HttpClientConfig;
import dev.quarry.config.MetadataConfig;
import dev.quarry.config.QueueConfig;
import dev.quarry.config.RemoteWriteConfig;
import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Histogram;
import dev.quarry.model.HistogramBuckets;
import dev.quarry.model.Labels;
import dev.quarry.storage.Appender;
import dev.quarry.storage.SampleRejectedException;
import dev.quarry.storage.WalRecord;
import dev.quarry.storage.file.FileStorage;
import dev.quarry.storage.file.FileStorageSettings;
import dev.quarry.testing.Await;
import dev.quarry.testing.PrometheusServer;
import dev.quarry.util.Clock;
import dev.quarry.util.SerialScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Native histograms sent by Quarry's remote write 1.0 sender into a real Prometheus 2.42 ({@code
 * --enable-feature=native-histograms --web.enable-remote-write-receiver}) arrive as they left: the
 * same count and sum ({@code histogram_count}, {@code histogram_sum}), the same buckets (the query
 * API's bucket list against the buckets Quarry's model computes), and a quantile within them. The
 * queue is fed from an in-memory WAL (the file store's histogram records come separately); the
 * sending path from the follower on is the production one.
 */
class RemoteWriteHistogramIT {
  /** Where the queue reads: the in-memory WAL, or the file store's. */
  interface Feed {
    dev.quarry.storage.WalSource wal() throws Exception;

    /** Writes the series and the histograms at {@code t1} and {@code t2}. */
    void write(long t1, Histogram first, long t2, Histogram second) throws Exception;
  }

  @Test
  void histogramsSentBy1_0ArriveIdenticalInPrometheus() throws Exception {
    ListWalSource wal = new ListWalSource();
    sendAndCompare(
        new Feed() {
          @Override
          public dev.quarry.storage.WalSource wal() {
            return wal;
          }

          @Override
          public void write(long t1, Histogram first, long t2, Histogram second) {
            wal.add(
                new WalRecord.Series(List.of(new WalRecord.RefLabels(1, SERIES))),
                new WalRecord.Histograms(new long[] {1}, new long[] {t1}, new Histogram[] {first}),
                new WalRecord.Histograms(
                    new long[] {1}, new long[] {t2}, new Histogram[] {second}));
          }
        });
  }

  /**
   * End to end from the file store's WAL: histograms appended to the store reach Prometheus.
   * Skipped while the file store refuses native histograms (the SPI's default).
   */
  @Test
  void histogramsAppendedToTheFileStoreArriveIdenticalInPrometheus() throws Exception {
    Path data = Files.createTempDirectory("quarry-rw-hist-store");
    try (FileStorage fs =
        FileStorage.open(data, FileStorageSettings.DEFAULTS.withAgentMode(true))) {
      Appender probe = fs.appender();
      try {
        probe.appendHistogram(
            0, SERIES, System.currentTimeMillis() - 120_000, new Histogram(), null);
      } catch (SampleRejectedException e) {
        assumeTrue(
            e.reason() != SampleRejectedException.Reason.NATIVE_HISTOGRAMS_UNSUPPORTED,
            "the file store keeps no native histograms yet");
      } finally {
        probe.rollback();
      }
      sendAndCompare(
          new Feed() {
            @Override
            public dev.quarry.storage.WalSource wal() {
              return fs.walSource();
            }

            @Override
            public void write(long t1, Histogram first, long t2, Histogram second) {
              for (long[] at : new long[][] {{t1, 0}, {t2, 1}}) {
                Appender app = fs.appender();
                app.appendHistogram(0, SERIES, at[0], at[1] == 0 ? first : second, null);
                app.commit();
              }
            }
          });
    }
  }

  private static final Labels SERIES = Labels.of("__name__", "rpc_latency_seconds", "job", "api");

  private void sendAndCompare(Feed feed) throws Exception {
    assumeTrue(PrometheusServer.installed(), "prometheus is not installed");
    Path dir = Files.createTempDirectory("quarry-rw-hist-it");
    Path cfg = dir.resolve("prometheus.yml");
    Files.writeString(cfg, "global:\n  scrape_interval: 1m\n");
    Vertx vertx = Vertx.vertx();
    RemoteQueue queue = null;
    try (PrometheusServer prom =
        PrometheusServer.start(
            cfg, "--enable-feature=native-histograms", "--web.enable-remote-write-receiver")) {
      String url = prom.baseUrl() + "/api/v1/write";
      QueueConfig q =
          new QueueConfig(
              1000,
              1,
              1,
              100,
              Duration.ofMillis(50),
              Duration.ofMillis(20),
              Duration.ofMillis(100),
              false,
              Duration.ZERO);
      RemoteWriteConfig rw =
          new RemoteWriteConfig(
              url,
              "prom",
              Duration.ofSeconds(10),
              Map.of(),
              HttpClientConfig.DEFAULT,
              List.of(),
              q,
              MetadataConfig.DEFAULT,
              false,
              null,
              true,
              RemoteWriteConfig.WRITE_V1);
      RemoteMetrics metrics = new RemoteMetrics(new SimpleMeterRegistry(), "prom", url, 1, 1);
      queue =
          new RemoteQueue(
              rw,
              "prom",
              new RemoteQueue.Parts(
                  Labels.EMPTY,
                  feed.wal(),
                  dir.resolve("prom.position"),
                  TestSenders.plain(vertx, url, rw.remoteTimeout()),
                  metrics,
                  () -> 0,
                  Clock.system(),
                  SerialScheduler.newThread("quarry-remote-metadata-prom")));
      queue.start();
      Await.until("the queue tails the WAL", Duration.ofSeconds(10), queue::tailing);
      long t1 = (System.currentTimeMillis() / 1000 - 60) * 1000;
      long t2 = t1 + 30_000;
      Histogram first = HistogramEncodingTest.integerHistogram();
      Histogram second = first.copy();
      second.set(1, 0.001, 3, 20, 30.25).addPositiveDelta(1); // a new bucket of 5
      second.positiveSpans().clear();
      second.positiveSpans().add(-1, 2).add(3, 2);
      second.validate();
      feed.write(t1, first, t2, second);
      Await.until(
          "Prometheus acknowledges both histograms",
          Duration.ofSeconds(30),
          () -> metrics.histogramsSent.count() == 2);
      assertEquals(0, metrics.histogramsFailed.count(), prom.log());

      String sel = "rpc_latency_seconds{job=\"api\"}";
      for (long[] at : new long[][] {{t1, 0}, {t2, 1}}) {
        Histogram want = at[1] == 0 ? first : second;
        assertEquals(
            (double) want.count(), scalar(prom, "histogram_count(" + sel + ")", at[0]), 0.0);
        assertEquals(want.sum(), scalar(prom, "histogram_sum(" + sel + ")", at[0]), 0.0);
        assertEquals(buckets(want.toFloat(new FloatHistogram())), promBuckets(prom, sel, at[0]));
        double median = scalar(prom, "histogram_quantile(0.5, " + sel + ")", at[0]);
        assertTrue(median > 0 && median < 100, "median " + median);
      }
    } finally {
      if (queue != null) {
        queue.stop().get(20, TimeUnit.SECONDS);
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static JsonNode query(PrometheusServer prom, String expr, long t) throws Exception {
    JsonNode r =
        prom.getJson(
            "/api/v1/query?query="
                + URLEncoder.encode(expr, StandardCharsets.UTF_8)
                + "&time="
                + (t / 1000.0));
    assertEquals("success", r.path("status").asText(), r.toString());
    assertEquals(1, r.path("data").path("result").size(), expr + ": " + r);
    return r.path("data").path("result").get(0);
  }

  private static double scalar(PrometheusServer prom, String expr, long t) throws Exception {
    return Double.parseDouble(query(prom, expr, t).path("value").get(1).asText());
  }

  /** The query API's buckets: {@code [rule, lower, upper, count]} each, as strings. */
  private static List<String> promBuckets(PrometheusServer prom, String sel, long t)
      throws Exception {
    JsonNode h = query(prom, sel, t).path("histogram").get(1);
    List<String> out = new ArrayList<>();
    for (JsonNode b : h.path("buckets")) {
      out.add(
          b.get(0).asInt()
              + " "
              + Double.parseDouble(b.get(1).asText())
              + " "
              + Double.parseDouble(b.get(2).asText())
              + " "
              + Double.parseDouble(b.get(3).asText()));
    }
    return out;
  }

  /** The same list from Quarry's model, with the API's boundary rules. */
  private static List<String> buckets(FloatHistogram h) {
    List<String> out = new ArrayList<>();
    for (HistogramBuckets.Bucket b : h.allBuckets()) {
      if (b.count() == 0) {
        continue; // the API lists non-empty buckets only
      }
      int rule = b.lowerInclusive() ? (b.upperInclusive() ? 3 : 1) : (b.upperInclusive() ? 0 : 2);
      out.add(rule + " " + b.lower() + " " + b.upper() + " " + b.count());
    }
    return out;
  }
}
