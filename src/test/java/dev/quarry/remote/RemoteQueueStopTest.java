package dev.quarry.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.quarry.config.HttpClientConfig;
import dev.quarry.config.MetadataConfig;
import dev.quarry.config.QueueConfig;
import dev.quarry.config.RemoteWriteConfig;
import dev.quarry.model.Labels;
import dev.quarry.storage.Appender;
import dev.quarry.storage.file.FileStorage;
import dev.quarry.storage.file.FileStorageSettings;
import dev.quarry.testing.Await;
import dev.quarry.util.Clock;
import dev.quarry.util.SerialScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping a remote whose receiver holds every request: the shards end without waiting for it. */
class RemoteQueueStopTest {
  @TempDir Path dir;

  @Test
  void stopCompletesOnceTheReaderAndShardsHaveEndedWithoutWaitingForTheReceiver() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch received = new CountDownLatch(1);
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/api/v1/write",
        ex -> {
          received.countDown();
          try {
            release.await(); // never answers while the test runs
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ex.close();
        });
    receiver.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    receiver.start();
    Vertx vertx = Vertx.vertx();
    try (FileStorage fs =
        FileStorage.open(dir.resolve("data"), FileStorageSettings.DEFAULTS.withAgentMode(true))) {
      QueueConfig q =
          new QueueConfig(
              100,
              4,
              2,
              10,
              Duration.ofMillis(20),
              Duration.ofMillis(20),
              Duration.ofMillis(50),
              false,
              Duration.ZERO);
      String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/api/v1/write";
      RemoteWriteConfig cfg =
          new RemoteWriteConfig(
              url,
              "held",
              Duration.ofMinutes(1),
              Map.of(),
              HttpClientConfig.DEFAULT,
              List.of(),
              q,
              MetadataConfig.DEFAULT,
              false);
      HttpSender sender = TestSenders.plain(vertx, url, cfg.remoteTimeout());
      RemoteMetrics metrics = new RemoteMetrics(new SimpleMeterRegistry(), "held", url, 2, 4);
      Path position = dir.resolve("data/remote/held.position");
      RemoteQueue queue =
          new RemoteQueue(
              cfg,
              "held",
              new RemoteQueue.Parts(
                  Labels.EMPTY,
                  fs.walSource(),
                  position,
                  sender,
                  metrics,
                  () -> 0,
                  Clock.system(),
                  SerialScheduler.newThread("quarry-remote-metadata-held")));
      queue.start();
      // The queue starts at the end of the (empty) WAL.
      Await.until("the queue tails the WAL", Duration.ofSeconds(10), queue::tailing);
      Appender app = fs.appender();
      for (int j = 0; j < 50; j++) {
        app.append(0, Labels.of("__name__", "m", "j", String.valueOf(j)), 1000L, j);
      }
      app.commit();
      assertTrue(received.await(20, TimeUnit.SECONDS), "a shard is sending");
      assertEquals(2, metrics.shards.get());

      CompletableFuture<Void> stopped = queue.stop();
      // Well within the minute the request would wait for its answer.
      stopped.get(15, TimeUnit.SECONDS);
      assertSame(stopped, queue.stop(), "stopping again gives the same future");
      assertEquals(0, metrics.shards.get(), "the shards have ended");
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        assertTrue(
            !t.isAlive() || !t.getName().startsWith("quarry-remote-write-held"),
            "thread still running after stop: " + t.getName());
      }
      assertTrue(Files.exists(position), "the position is saved");
      assertEquals(0, metrics.samplesSent.count(), "nothing was acknowledged");
    } finally {
      release.countDown();
      receiver.stop(0);
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  @Test
  void aQueueNeverStartedStopsAtOnce() throws Exception {
    QueueConfig q = QueueConfig.DEFAULT;
    RemoteWriteConfig cfg =
        new RemoteWriteConfig(
            "http://127.0.0.1:1/api/v1/write",
            "idle",
            Duration.ofSeconds(1),
            Map.of(),
            HttpClientConfig.DEFAULT,
            List.of(),
            q,
            MetadataConfig.DEFAULT,
            false);
    Vertx vertx = Vertx.vertx();
    try {
      HttpSender sender = TestSenders.plain(vertx, cfg.url(), cfg.remoteTimeout());
      RemoteMetrics metrics =
          new RemoteMetrics(new SimpleMeterRegistry(), "idle", cfg.url(), 1, 50);
      RemoteQueue queue =
          new RemoteQueue(
              cfg,
              "idle",
              new RemoteQueue.Parts(
                  Labels.EMPTY,
                  null /* never started: no WAL is read */,
                  dir.resolve("remote/idle.position"),
                  sender,
                  metrics,
                  () -> 0,
                  Clock.system(),
                  SerialScheduler.newThread("quarry-remote-metadata-idle")));
      queue.stop().get(5, TimeUnit.SECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }
}
