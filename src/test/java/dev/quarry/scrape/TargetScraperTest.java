package dev.quarry.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.config.HttpClientConfig;
import dev.quarry.http.ConfiguredHttpClient;
import dev.quarry.http.HttpClientFactory;
import io.vertx.core.AsyncResult;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One target's scrape against a real HTTP server: what the body costs in buffers, and that a body
 * which cannot fit (a gzip bomb, an endless page) fails that scrape alone and in time.
 */
class TargetScraperTest {
  static final int MIB = 1 << 20;

  Vertx vertx;
  Vertx serverVertx;
  HttpServer server;
  ConfiguredHttpClient client;
  volatile Consumer<HttpServerRequest> handler;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    serverVertx = Vertx.vertx(); // the target must not share the scraper's event loops
    server =
        serverVertx
            .createHttpServer()
            .requestHandler(r -> handler.accept(r))
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    client = new HttpClientFactory(vertx, 100).create("job \"t\"", HttpClientConfig.DEFAULT, false);
  }

  @AfterEach
  void stop() throws Exception {
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    serverVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/metrics";
  }

  /** Scrapes once on a Vert.x context, as a scrape loop does. */
  AsyncResult<ScrapeResponse> scrape(BufferPool pool, long timeoutMillis, int sizeHint)
      throws Exception {
    TargetScraper scraper =
        new TargetScraper(
            vertx, client::request, url(), "text/plain", true, 0, pool, "Quarry/test", true);
    Promise<AsyncResult<ScrapeResponse>> done = Promise.promise();
    vertx
        .getOrCreateContext()
        .runOnContext(v -> scraper.scrape(timeoutMillis, sizeHint).onComplete(done::complete));
    return done.future().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  static byte[] page(int size) {
    byte[] line = "a_metric_with_a_long_name{label=\"some value\"} 12345\n".getBytes();
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = line[i % line.length];
    }
    b[size - 1] = '\n';
    return b;
  }

  @Test
  void plainPageWithAContentLengthTakesOneBufferOfExactlyItsSize() throws Exception {
    int size = 30 * MIB + 12345;
    Buffer body = Buffer.buffer(page(size));
    handler = r -> r.response().putHeader("Content-Type", "text/plain").end(body);
    BufferPool pool = new BufferPool(8, 16L * MIB, 256 * MIB);
    AsyncResult<ScrapeResponse> r = scrape(pool, 20_000, 0);
    assertTrue(r.succeeded(), () -> String.valueOf(r.cause()));
    assertEquals(size, r.result().length());
    assertEquals(size, r.result().body().length, "no doubling: the buffer is the page's size");
  }

  @Test
  void idleBuffersStayWithinTheBoundAfterLargePages() throws Exception {
    int size = 40 * MIB;
    byte[] zipped = GunzipTest.gzip(page(size));
    Buffer plain = Buffer.buffer(page(size));
    long bound = 16L * MIB;
    BufferPool pool = new BufferPool(64, bound, 256 * MIB);
    for (boolean gzip : new boolean[] {true, false, true}) {
      handler =
          r -> {
            if (gzip) {
              ScrapeEngineTest.gzipPage(r, zipped); // no length: the buffer grows as it inflates
            } else {
              r.response().putHeader("Content-Type", "text/plain").end(plain);
            }
          };
      AsyncResult<ScrapeResponse> r = scrape(pool, 20_000, 0);
      assertTrue(r.succeeded(), () -> String.valueOf(r.cause()));
      assertEquals(size, r.result().length());
      assertTrue(
          r.result().body().length <= size + size / 2,
          "a buffer of " + r.result().body().length + " for " + size + " bytes");
      pool.put(r.result().body()); // as the scrape loop does after appending
      assertTrue(
          pool.retainedBytes() <= bound,
          "idle buffers hold " + pool.retainedBytes() + " bytes, more than " + bound);
    }
  }

  @Test
  void gzipBombFailsTheScrapeAtTheBufferCapWithoutABodySizeLimit() throws Exception {
    byte[] member = GzipBomb.member(64); // about 64 KB inflating to 64 MiB
    handler = r -> GzipBomb.serve(r.response(), member, 64); // 4 GiB inflated
    BufferPool pool = new BufferPool(8, 16L * MIB, 48 * MIB);
    long start = System.nanoTime();
    AsyncResult<ScrapeResponse> r = scrape(pool, 10_000, 0);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(r.failed(), "a 4 GiB body was accepted");
    ScrapeException e = assertInstanceOf(ScrapeException.class, r.cause());
    assertTrue(e.bodyLimitExceeded());
    assertEquals(
        "body size limit exceeded: Get \""
            + url()
            + "\": the body does not fit in the "
            + 48 * MIB
            + " bytes one scrape may buffer",
        e.getMessage());
    assertTrue(millis < 10_000, "the scrape ended after " + millis + " ms");
    assertTrue(pool.retainedBytes() <= 16L * MIB, pool.retainedBytes() + " bytes kept");
  }

  @Test
  void endlessBodyEndsAtTheTimeout() throws Exception {
    byte[] member = GzipBomb.member(1);
    // A gzip member every 20 ms, for ever: never idle, never done.
    handler =
        r -> {
          r.response()
              .setChunked(true)
              .putHeader("Content-Type", "text/plain")
              .putHeader("Content-Encoding", "gzip");
          serverVertx.setPeriodic(
              20,
              id -> {
                if (r.response().closed()) {
                  serverVertx.cancelTimer(id);
                } else {
                  r.response().write(Buffer.buffer(member));
                }
              });
        };
    BufferPool pool = new BufferPool(8, 16L * MIB, 1024 * MIB);
    long start = System.nanoTime();
    AsyncResult<ScrapeResponse> r = scrape(pool, 1_000, 0);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(r.failed());
    assertEquals("Get \"" + url() + "\": context deadline exceeded", r.cause().getMessage());
    assertTrue(millis < 5_000, "the scrape ended after " + millis + " ms");
  }
}
