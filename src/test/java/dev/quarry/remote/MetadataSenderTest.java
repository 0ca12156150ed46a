package dev.quarry.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.quarry.config.MetadataConfig;
import dev.quarry.storage.Metadata;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Metadata rounds against a real receiver on time the test advances: a round every {@code
 * send_interval}, in requests of at most {@code max_samples_per_send} families sorted by name, and
 * none once the sender has stopped.
 */
class MetadataSenderTest {
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private HttpServer receiver;
  private Vertx vertx;
  private HttpSender http;

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/api/v1/write",
        ex -> {
          byte[] compressed = ex.getRequestBody().readAllBytes();
          SnappyDecompressor d = new SnappyDecompressor();
          byte[] raw = new byte[SnappyDecompressor.getUncompressedLength(compressed, 0)];
          d.decompress(compressed, 0, compressed.length, raw, 0, raw.length);
          bodies.add(new String(raw, StandardCharsets.ISO_8859_1));
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    receiver.start();
    vertx = Vertx.vertx();
    String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/api/v1/write";
    http = TestSenders.plain(vertx, url, Duration.ofSeconds(10));
  }

  @AfterEach
  void stopReceiver() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
    receiver.stop(0);
  }

  private MetadataSender sender(MetadataConfig config, ManualQueueTime time) {
    RemoteMetrics metrics =
        new RemoteMetrics(new SimpleMeterRegistry(), "test", "http://receiver", 1, 1);
    return new MetadataSender("test", config, http, metrics, time);
  }

  @Test
  void sendsEveryIntervalInRequestsOfTheConfiguredSizeAndStopsWhenStopped() {
    ManualQueueTime time = new ManualQueueTime(1_700_000_000_000L);
    MetadataSender sender = sender(new MetadataConfig(true, Duration.ofSeconds(30), 2), time);
    sender.put("gamma_bytes", new Metadata("gauge", "Gamma.", ""));
    sender.put("alpha_requests_total", new Metadata("counter", "Alpha.", ""));
    sender.put("beta_seconds_bucket", new Metadata("histogram", "Beta.", ""));
    sender.start();

    time.advance(29_999);
    assertEquals(List.of(), bodies, "nothing before send_interval");

    time.advance(1);
    assertEquals(2, bodies.size(), "three families in requests of two");
    assertTrue(bodies.get(0).contains("alpha_requests"), bodies.get(0));
    assertTrue(bodies.get(0).contains("beta_seconds"), bodies.get(0));
    assertFalse(bodies.get(0).contains("gamma_bytes"), bodies.get(0));
    assertTrue(bodies.get(1).contains("gamma_bytes"), bodies.get(1));

    time.advance(30_000);
    assertEquals(4, bodies.size(), "the next round, send_interval after the first");

    sender.stop();
    assertTrue(time.isShutdown());
    time.advance(120_000);
    assertEquals(4, bodies.size(), "no round after stop");
  }

  @Test
  void sendsNothingWhenSendIsOff() {
    ManualQueueTime time = new ManualQueueTime(0);
    MetadataSender sender = sender(new MetadataConfig(false, Duration.ofSeconds(30), 2), time);
    sender.put("alpha_requests_total", new Metadata("counter", "Alpha.", ""));
    sender.start();
    assertEquals(0, time.pending());
    time.advance(600_000);
    assertEquals(List.of(), bodies);
  }
}
