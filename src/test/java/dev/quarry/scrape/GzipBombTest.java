package dev.quarry.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.model.Labels;
import dev.quarry.testing.BlockedThreadReports;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A gzip bomb (about 4 MB on the wire, 4 GiB inflated) from a target without {@code
 * body_size_limit}: its scrapes fail with a body size error in time, while another target on the
 * same, single event loop goes on being scraped, and no event loop is ever blocked.
 */
class GzipBombTest {
  static final int MIB = 1 << 20;

  @Test
  void bombFailsItsOwnScrapeAndTheEventLoopKeepsServingOthers() throws Exception {
    BlockedThreadReports blocked = BlockedThreadReports.watch();
    // One event loop for every scrape; anything holding it for a second is reported.
    Vertx engineVertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(1)
                .setMaxEventLoopExecuteTime(1)
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS)
                .setBlockedThreadCheckInterval(100));
    Vertx serverVertx = Vertx.vertx();
    BufferPool pool = new BufferPool(8, 16L * MIB, 64 * MIB);
    byte[] member = GzipBomb.member(64);
    AtomicInteger bombs = new AtomicInteger();
    try (EngineHarness h = new EngineHarness(engineVertx, pool);
        TestTarget ok = new TestTarget(serverVertx)) {
      HttpServer bomb =
          serverVertx
              .createHttpServer()
              .requestHandler(
                  r -> {
                    bombs.incrementAndGet();
                    GzipBomb.serve(r.response(), member, 64);
                  })
              .listen(0, "127.0.0.1")
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      String bombAddress = "127.0.0.1:" + bomb.actualPort();
      h.apply(
          """
          scrape_configs:
            - job_name: bomb
              scrape_interval: 2s
              scrape_timeout: 1500ms
              static_configs: [{targets: ['%s']}]
            - job_name: ok
              scrape_interval: 200ms
              scrape_timeout: 150ms
              static_configs: [{targets: ['%s']}]
          """
              .formatted(bombAddress, ok.address()));
      EngineHarness.await("three bomb scrapes", Duration.ofSeconds(30), () -> bombs.get() >= 3);
      int okBefore = ok.requests.size();
      int bombsBefore = bombs.get();
      EngineHarness.await(
          "two more bomb scrapes", Duration.ofSeconds(30), () -> bombs.get() >= bombsBefore + 2);
      int okDuring = ok.requests.size() - okBefore;

      TargetHealth.Snapshot b = h.onlyTarget("bomb").health().snapshot();
      assertEquals(TargetHealth.State.DOWN, b.state());
      assertEquals(
          "body size limit exceeded: Get \"http://"
              + bombAddress
              + "/metrics\": the body does"
              + " not fit in the "
              + 64 * MIB
              + " bytes one scrape may buffer",
          b.lastError());
      assertTrue(b.durationSeconds() < 1.5, "the bomb's scrape took " + b.durationSeconds() + " s");
      Labels bytes =
          Labels.of("__name__", "scrape_body_size_bytes", "job", "bomb", "instance", bombAddress);
      assertEquals(-1, h.storage.last(bytes).value());

      TargetHealth.Snapshot o = h.onlyTarget("ok").health().snapshot();
      assertEquals(TargetHealth.State.UP, o.state(), o.lastError());
      // Two bomb rounds are four seconds: the other target is scraped every 200 ms meanwhile.
      assertTrue(okDuring >= 8, "the other target was scraped " + okDuring + " times");
      assertTrue(pool.retainedBytes() <= 16L * MIB, pool.retainedBytes() + " bytes kept");
      bomb.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      blocked.close();
      serverVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    assertEquals(List.of(), blocked.reports(), "Vert.x reported blocked threads");
  }
}
