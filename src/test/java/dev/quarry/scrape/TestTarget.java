package dev.quarry.scrape;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A real HTTP target on 127.0.0.1 for scrape tests: serves whatever {@link #handler} says, with
 * gzip when the client asks for it, and records request headers and how many requests overlapped.
 */
public final class TestTarget implements AutoCloseable {
  final HttpServer server;
  final List<MultiMap> requests = new CopyOnWriteArrayList<>();
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();
  public volatile Consumer<HttpServerRequest> handler = r -> page(r, "up_page 1\n");

  public TestTarget(Vertx vertx) throws Exception {
    server =
        vertx
            .createHttpServer(
                new HttpServerOptions().setHost("127.0.0.1").setCompressionSupported(true))
            .requestHandler(
                r -> {
                  requests.add(r.headers());
                  maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                  r.response().endHandler(v -> inFlight.decrementAndGet());
                  r.response().closeHandler(v -> {});
                  handler.accept(r);
                })
            .listen(0)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  public String address() {
    return "127.0.0.1:" + server.actualPort();
  }

  public static void page(HttpServerRequest r, String body) {
    r.response().putHeader("Content-Type", "text/plain; version=0.0.4").end(body);
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
