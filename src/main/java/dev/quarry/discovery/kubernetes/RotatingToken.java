package dev.quarry.discovery.kubernetes;

import io.fabric8.kubernetes.client.OAuthTokenProvider;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * A bearer token read from a file (the service-account token, or {@code credentials_file}) and read
 * again every minute, as client-go does, so a token the kubelet rotates is picked up without a
 * restart. The re-read goes through Vert.x' asynchronous file system, so {@link #getToken()}, which
 * fabric8 calls for every request, never touches the disk.
 *
 * <p>Thread-safe: the token is a volatile field written by the refresh and read by any thread.
 */
final class RotatingToken implements OAuthTokenProvider {
  private static final Logger LOG = Logger.getLogger(RotatingToken.class);
  static final long REFRESH_MILLIS = 60_000;

  private final Vertx vertx;
  private final String file;
  private final long timer;
  private volatile String token;

  private RotatingToken(Vertx vertx, String file, String token, long refreshMillis) {
    this.vertx = vertx;
    this.file = file;
    this.token = token;
    this.timer = vertx.setPeriodic(refreshMillis, id -> refresh());
  }

  /** Reads the file once (blocking) and starts the periodic re-read. */
  static RotatingToken open(Vertx vertx, String file) throws IOException {
    return open(vertx, file, REFRESH_MILLIS);
  }

  static RotatingToken open(Vertx vertx, String file, long refreshMillis) throws IOException {
    String t = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
    return new RotatingToken(vertx, file, t, refreshMillis);
  }

  private void refresh() {
    vertx
        .fileSystem()
        .readFile(file)
        .onSuccess(b -> token = b.toString(StandardCharsets.UTF_8).strip())
        .onFailure(
            e ->
                LOG.warnf(
                    "cannot re-read token file %s, keeping the last one: %s",
                    file, e.getMessage()));
  }

  @Override
  public String getToken() {
    return token;
  }

  void close() {
    vertx.cancelTimer(timer);
  }
}
