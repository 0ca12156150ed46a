package dev.quarry.web;

import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The cancel flag of one query, set when the client's connection closes before the answer is sent,
 * as Prometheus cancels a query whose request context ends: the engine then stops at its next check
 * and frees its concurrency slot instead of evaluating for nobody. The flag is set on the
 * connection's event loop and read by the query's worker thread.
 */
final class ClientGone {
  private ClientGone() {}

  /** A flag that turns true once {@code request}'s connection is gone. */
  static AtomicBoolean flag(HttpServerRequest request) {
    AtomicBoolean canceled = new AtomicBoolean();
    if (request == null) {
      return canceled;
    }
    request.response().closeHandler(v -> canceled.set(true));
    // Closed before the handler was set: the handler will not run.
    if (request.response().closed()) {
      canceled.set(true);
    }
    return canceled;
  }
}
