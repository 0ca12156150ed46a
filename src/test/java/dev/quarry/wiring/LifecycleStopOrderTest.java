package dev.quarry.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.scrape.ScrapeManager;
import dev.quarry.storage.file.FileStorage;
import dev.quarry.testing.Await;
import dev.quarry.testing.LoopbackHttp;
import dev.quarry.testing.ProfileDir;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The real application, scraping a loopback target into the file store and remote-writing to a
 * loopback receiver, stopped through its lifecycle: the config watcher, discovery, scraping and
 * remote write stop before the storage closes, and the remote's position is saved while the WAL is
 * still open.
 */
@QuarkusTest
@TestProfile(LifecycleStopOrderTest.Profile.class)
class LifecycleStopOrderTest {
  /** A scrape target and a remote-write receiver on loopback, and a data directory. */
  public static class Profile implements QuarkusTestProfile {
    static final AtomicInteger writes = new AtomicInteger();
    static final Path DIR;

    static {
      Vertx vertx = Vertx.vertx();
      HttpServer target =
          LoopbackHttp.listen(
              vertx, req -> req.response().putHeader("Content-Type", "text/plain").end("m 1\n"));
      HttpServer receiver =
          LoopbackHttp.listen(
              vertx,
              req ->
                  req.body()
                      .onComplete(
                          b -> {
                            writes.incrementAndGet();
                            req.response().setStatusCode(204).end();
                          }));
      DIR =
          ProfileDir.create(
              "quarry-lifecycle",
              "prometheus.yml",
              """
              global:
                scrape_interval: 200ms
                scrape_timeout: 100ms
              scrape_configs:
                - job_name: t
                  static_configs: [{targets: ['127.0.0.1:%d']}]
              remote_write:
                - url: http://127.0.0.1:%d/api/v1/write
                  name: r
                  queue_config: {batch_send_deadline: 100ms}
              """
                  .formatted(target.actualPort(), receiver.actualPort()));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarry.config-file", DIR.resolve("prometheus.yml").toString(),
          "quarry.data-dir", DIR.resolve("data").toString(),
          "quarry.storage.mode", "server",
          "quarry.config-watch", "false",
          "quarry.reload-interval", "1h");
    }
  }

  @Inject Lifecycle lifecycle;
  @Inject StorageWiring storage;
  @Inject ScrapeManager scrape;

  @Test
  void scrapingAndRemoteWriteStopBeforeTheStorageCloses() throws Exception {
    Await.until("a remote write request", Duration.ofSeconds(30), () -> Profile.writes.get() > 0);
    FileStorage fs = storage.fileStorage();
    assertEquals(
        List.of("storage", "remote write", "scrape", "discovery", "config"),
        lifecycle.stageNames());

    List<String> stopped = lifecycle.stop();

    assertEquals(List.of("config", "discovery", "scrape", "remote write", "storage"), stopped);
    assertTrue(scrape.pools().isEmpty(), "every scrape pool stopped");
    Path remote = Profile.DIR.resolve("data/remote");
    try (Stream<Path> files = Files.list(remote)) {
      List<Path> positions = files.filter(p -> p.toString().endsWith(".position")).toList();
      assertEquals(1, positions.size(), "the remote saved its position: " + positions);
      assertTrue(Files.size(positions.get(0)) > 0);
    }
    assertThrows(IllegalStateException.class, fs::appender, "the store closed last");
    assertEquals(stopped, lifecycle.stop(), "stopping again stops nothing");
  }
}
