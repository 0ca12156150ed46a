package dev.quarry.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.quarry.config.HttpClientConfig;
import dev.quarry.config.MetadataConfig;
import dev.quarry.config.QueueConfig;
import dev.quarry.config.RemoteWriteConfig;
import dev.quarry.model.Labels;
import dev.quarry.storage.Metadata;
import dev.quarry.storage.WalRecord;
import dev.quarry.testing.Await;
import dev.quarry.util.Clock;
import dev.quarry.util.SerialScheduler;
import dev.quarry.web.ReceiverBridge;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prometheus.write.v2.Types;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import prometheus.prompb.Remote;

/**
 * A remote queue fed native histograms, floats and metadata from a WAL, sending to real HTTP
 * servers: remote write 2.0 to the repository's own 2.0 receiver (its decoder and appending), 1.0
 * after a receiver answers 2.0 with 415, and 1.0 without {@code send_native_histograms}, where the
 * histograms are dropped and counted.
 */
class RemoteWriteHistogramSenderTest {
  private static final String V2_TYPE =
      "application/x-protobuf;proto=io.prometheus.write.v2.Request";

  @TempDir Path dir;
  private HttpServer server;
  private Vertx vertx;
  private RemoteQueue queue;
  private RemoteMetrics metrics;
  private final List<String> contentTypes = new CopyOnWriteArrayList<>();
  private final List<String> versions = new CopyOnWriteArrayList<>();
  private final List<byte[]> bodies = new CopyOnWriteArrayList<>();

  /** What the test server does with a request: answers its status and written headers. */
  interface Handler {
    ReceiverBridge.Answer handle(String contentType, byte[] body);
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    if (queue != null) {
      queue.stop().get(20, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.stop(0);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private String serve(Handler h) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/v1/write",
        (HttpExchange ex) -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          String ct = ex.getRequestHeaders().getFirst("Content-Type");
          contentTypes.add(ct);
          versions.add(ex.getRequestHeaders().getFirst("X-Prometheus-Remote-Write-Version"));
          bodies.add(body);
          ReceiverBridge.Answer a = h.handle(ct, body);
          if (a.status() / 100 == 2) {
            ex.getResponseHeaders()
                .add("X-Prometheus-Remote-Write-Samples-Written", "" + a.samples());
            ex.getResponseHeaders()
                .add("X-Prometheus-Remote-Write-Histograms-Written", "" + a.histograms());
            ex.getResponseHeaders()
                .add("X-Prometheus-Remote-Write-Exemplars-Written", "" + a.exemplars());
          }
          byte[] msg = a.message().getBytes();
          ex.sendResponseHeaders(a.status(), a.status() == 204 ? -1 : msg.length);
          if (a.status() != 204) {
            ex.getResponseBody().write(msg);
          }
          ex.close();
        });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write";
  }

  private ListWalSource startQueue(String url, boolean histograms, String message)
      throws Exception {
    QueueConfig q =
        new QueueConfig(
            1000,
            1,
            1,
            100,
            Duration.ofMillis(50),
            Duration.ofMillis(20),
            Duration.ofMillis(50),
            false,
            Duration.ZERO);
    RemoteWriteConfig cfg =
        new RemoteWriteConfig(
            url,
            "r",
            Duration.ofSeconds(10),
            Map.of(),
            HttpClientConfig.DEFAULT,
            List.of(),
            q,
            MetadataConfig.DEFAULT,
            false,
            null,
            histograms,
            message);
    metrics = new RemoteMetrics(new SimpleMeterRegistry(), "r", url, 1, 1);
    ListWalSource wal = new ListWalSource();
    queue =
        new RemoteQueue(
            cfg,
            "r",
            new RemoteQueue.Parts(
                Labels.EMPTY,
                wal,
                dir.resolve("r.position"),
                TestSenders.plain(vertx, url, cfg.remoteTimeout()),
                metrics,
                () -> 0,
                Clock.system(),
                SerialScheduler.newThread("quarry-remote-metadata-r")));
    queue.start();
    Await.until("the queue tails the WAL", Duration.ofSeconds(10), queue::tailing);
    wal.add(
        new WalRecord.Series(
            List.of(
                new WalRecord.RefLabels(1, Labels.of("__name__", "latency", "job", "api")),
                new WalRecord.RefLabels(2, Labels.of("__name__", "up", "job", "api")))),
        new WalRecord.MetadataEntries(
            List.of(
                new WalRecord.RefMetadata(1, new Metadata("histogram", "Request latency.", "")))),
        new WalRecord.Samples(new long[] {2}, new long[] {1000}, new double[] {1}),
        new WalRecord.Histograms(
            new long[] {1}, new long[] {1000}, new dev.quarry.model.Histogram[] {integer()}),
        new WalRecord.FloatHistograms(
            new long[] {1},
            new long[] {2000},
            new dev.quarry.model.FloatHistogram[] {HistogramEncodingTest.floatHistogram()}));
    return wal;
  }

  private static dev.quarry.model.Histogram integer() {
    return HistogramEncodingTest.integerHistogram();
  }

  @Test
  void remoteWrite2SendsHistogramsFloatsAndMetadataToTheRepositorysReceiver() throws Exception {
    ReceiverBridge receiver = new ReceiverBridge();
    String url = serve((ct, body) -> receiver.receiveV2(body));
    startQueue(url, true, RemoteWriteConfig.WRITE_V2);
    Await.until(
        "two histograms and a float arrive",
        Duration.ofSeconds(20),
        () -> receiver.histograms().size() == 2 && receiver.floats().size() == 1);
    assertEquals(integer(), receiver.histograms().get(0));
    assertEquals(HistogramEncodingTest.floatHistogram(), receiver.floatHistograms().get(1));
    assertEquals(
        List.of(
            "{__name__=\"latency\", job=\"api\"} 1000", "{__name__=\"latency\", job=\"api\"} 2000"),
        receiver.histogramSeries());
    assertEquals(List.of("{__name__=\"up\", job=\"api\"} 1000 1.0"), receiver.floats());
    assertTrue(contentTypes.stream().allMatch(V2_TYPE::equals), contentTypes.toString());
    assertTrue(versions.stream().allMatch("2.0.0"::equals), versions.toString());
    // The series' metadata travels with it, help through the symbols table.
    boolean sawMetadata = false;
    for (byte[] b : bodies) {
      Types.Request req = Types.Request.parseFrom(unsnappy(b));
      for (Types.TimeSeries ts : req.getTimeseriesList()) {
        if (ts.getHistogramsCount() > 0) {
          assertEquals(Types.Metadata.MetricType.METRIC_TYPE_HISTOGRAM, ts.getMetadata().getType());
          assertEquals("Request latency.", req.getSymbols(ts.getMetadata().getHelpRef()));
          sawMetadata = true;
        }
      }
    }
    assertTrue(sawMetadata);
    Await.until(
        "the counts are in", Duration.ofSeconds(5), () -> metrics.histogramsSent.count() == 2);
    assertEquals(1, metrics.samplesSent.count());
    assertEquals(0, metrics.histogramsDropped.count());
  }

  @Test
  void a415To2_0FallsBackTo1_0ForTheRestOfTheQueuesLife() throws Exception {
    AtomicInteger refused = new AtomicInteger();
    List<Remote.WriteRequest> v1 = new CopyOnWriteArrayList<>();
    String url =
        serve(
            (ct, body) -> {
              if (V2_TYPE.equals(ct)) {
                refused.incrementAndGet();
                return new ReceiverBridge.Answer(415, "unsupported", 0, 0, 0);
              }
              try {
                v1.add(Remote.WriteRequest.parseFrom(unsnappy(body)));
              } catch (IOException e) {
                return new ReceiverBridge.Answer(400, e.toString(), 0, 0, 0);
              }
              return new ReceiverBridge.Answer(204, "", 0, 0, 0);
            });
    ListWalSource wal = startQueue(url, true, RemoteWriteConfig.WRITE_V2);
    Await.until(
        "the histograms arrive in 1.0",
        Duration.ofSeconds(20),
        () -> v1.stream().mapToLong(this::histogramCount).sum() == 2);
    wal.add(new WalRecord.Samples(new long[] {2}, new long[] {5000}, new double[] {0}));
    Await.until(
        "a later sample arrives",
        Duration.ofSeconds(20),
        () -> v1.stream().mapToLong(this::sampleCount).sum() == 2);
    assertEquals(1, refused.get(), "2.0 is tried once, then 1.0 only");
    Remote.Histogram h =
        v1.stream()
            .flatMap(r -> r.getTimeseriesList().stream())
            .flatMap(t -> t.getHistogramsList().stream())
            .findFirst()
            .orElseThrow();
    assertEquals(14, h.getCountInt());
    assertEquals(1000, h.getTimestamp());
    assertEquals(2, metrics.histogramsSent.count());
    assertEquals(0, metrics.histogramsFailed.count());
  }

  @Test
  void withoutSendNativeHistogramsTheyAreDroppedAndCounted() throws Exception {
    List<Remote.WriteRequest> v1 = new CopyOnWriteArrayList<>();
    String url =
        serve(
            (ct, body) -> {
              try {
                v1.add(Remote.WriteRequest.parseFrom(unsnappy(body)));
              } catch (IOException e) {
                return new ReceiverBridge.Answer(400, e.toString(), 0, 0, 0);
              }
              return new ReceiverBridge.Answer(204, "", 0, 0, 0);
            });
    startQueue(url, false, RemoteWriteConfig.WRITE_V1);
    Await.until(
        "the float arrives",
        Duration.ofSeconds(20),
        () -> v1.stream().mapToLong(this::sampleCount).sum() == 1);
    Await.until(
        "the histograms are counted as dropped",
        Duration.ofSeconds(5),
        () -> metrics.histogramsDropped.count() == 2);
    assertEquals(0, v1.stream().mapToLong(this::histogramCount).sum());
    assertEquals(0, metrics.histogramsSent.count());
    assertEquals("application/x-protobuf", contentTypes.get(0));
    assertEquals("0.1.0", versions.get(0));
  }

  private long histogramCount(Remote.WriteRequest r) {
    return r.getTimeseriesList().stream().mapToLong(Remote.TimeSeries::getHistogramsCount).sum();
  }

  private long sampleCount(Remote.WriteRequest r) {
    return r.getTimeseriesList().stream().mapToLong(Remote.TimeSeries::getSamplesCount).sum();
  }

  static byte[] unsnappy(byte[] body) {
    byte[] raw = new byte[SnappyDecompressor.getUncompressedLength(body, 0)];
    new SnappyDecompressor().decompress(body, 0, body.length, raw, 0, raw.length);
    return raw;
  }
}
