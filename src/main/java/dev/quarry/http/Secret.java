package dev.quarry.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;

/**
 * A credential given inline or by a file that is read again on every {@link #fetch()}, so a rotated
 * secret is picked up by the next request without a restart or reload.
 *
 * <p>A file is read through {@code vertx.fileSystem()}, which runs the read on a worker thread, so
 * fetching never blocks an event loop. Like Prometheus, the file's content is trimmed of leading
 * and trailing whitespace (a trailing newline written by {@code echo} is not part of the secret).
 * Instances are immutable and safe to share between threads.
 */
final class Secret {
  private final Vertx vertx;
  private final String inline;
  private final String file;

  private Secret(Vertx vertx, String inline, String file) {
    this.vertx = vertx;
    this.inline = inline;
    this.file = file;
  }

  static Secret inline(String value) {
    return new Secret(null, value == null ? "" : value, null);
  }

  static Secret file(Vertx vertx, String path) {
    return new Secret(vertx, null, path);
  }

  /** The inline secret when a file is not set, else the file's trimmed content. */
  static Secret of(Vertx vertx, String inline, String file) {
    return file != null && !file.isEmpty() ? file(vertx, file) : inline(inline);
  }

  /** The secret's current value; fails with a message naming the file when it cannot be read. */
  Future<String> fetch() {
    if (file == null) {
      return Future.succeededFuture(inline);
    }
    return vertx
        .fileSystem()
        .readFile(file)
        .map(b -> b.toString(StandardCharsets.UTF_8).strip())
        .recover(
            e ->
                Future.failedFuture(
                    new IllegalStateException(
                        "unable to read file " + file + ": " + describe(e), e)));
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = root.getMessage();
    return root.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
  }
}
