package dev.quarry.testing;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.TimeUnit;

/** Vert.x HTTP servers for tests, on a free loopback port. */
public final class LoopbackHttp {
  private LoopbackHttp() {}

  /** A server on 127.0.0.1 and a free port answering with {@code handler}, once it listens. */
  public static HttpServer listen(Vertx vertx, Handler<HttpServerRequest> handler) {
    try {
      return vertx
          .createHttpServer()
          .requestHandler(handler)
          .listen(0, "127.0.0.1")
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
