package dev.quarry.remote;

import dev.quarry.config.HttpClientConfig;
import dev.quarry.http.HttpClientFactory;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;

/** Real senders for the remote tests: no extra headers, no signing, the default HTTP client. */
final class TestSenders {
  private TestSenders() {}

  /** A sender posting to {@code url}, each request ending after {@code timeout}. */
  static HttpSender plain(Vertx vertx, String url, Duration timeout) {
    return new HttpSender(
        vertx,
        new HttpClientFactory(vertx).create("test", HttpClientConfig.DEFAULT),
        url,
        Map.of(),
        "Quarry/test",
        timeout);
  }
}
