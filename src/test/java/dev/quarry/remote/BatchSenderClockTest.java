package dev.quarry.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.quarry.config.QueueConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Retries of a real sender against a real receiver, on a clock the test moves: the waits follow the
 * doubling back-off and the receiver's {@code Retry-After} without the test waiting for them.
 */
class BatchSenderClockTest {
  private static final long T0 = 1_700_000_000_000L;

  @Test
  void retriesWaitTheBackOffAndRetryAfterOnTheGivenClock() throws Exception {
    // 503, 503, 503 with Retry-After: 120 (seconds), then 204.
    AtomicInteger requests = new AtomicInteger();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/api/v1/write",
        ex -> {
          ex.getRequestBody().readAllBytes();
          int n = requests.incrementAndGet();
          if (n == 3) {
            ex.getResponseHeaders().add("Retry-After", "120");
          }
          ex.sendResponseHeaders(n <= 3 ? 503 : 204, -1);
          ex.close();
        });
    receiver.start();
    Vertx vertx = Vertx.vertx();
    try {
      String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/api/v1/write";
      HttpSender http = TestSenders.plain(vertx, url, Duration.ofSeconds(10));
      QueueConfig q =
          new QueueConfig(
              100,
              1,
              1,
              10,
              Duration.ofSeconds(5),
              Duration.ofSeconds(30),
              Duration.ofMinutes(5),
              false,
              Duration.ZERO);
      ManualQueueTime clock = new ManualQueueTime(T0);
      BatchSender sender =
          new BatchSender(
              "test",
              http,
              new RemoteMetrics(new SimpleMeterRegistry(), "test", url, 1, 1),
              BackoffPolicy.of(q),
              clock);
      long start = System.nanoTime();

      assertTrue(sender.attempt(new byte[] {0}, 1, "samples"));

      assertEquals(4, requests.get());
      // min_backoff 30 s, doubled to 60 s, then the receiver's 120 s.
      assertEquals(List.of(30_000L, 60_000L, 120_000L), clock.sleeps);
      assertEquals(T0 + 210_000L, clock.millis());
      assertEquals(T0 + 90_000L, sender.lastFailureMillis(), "the third failure, on the clock");
      assertTrue(
          System.nanoTime() - start < Duration.ofSeconds(60).toNanos(),
          "no real waiting for 210 s of back-off");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
      receiver.stop(0);
    }
  }
}
