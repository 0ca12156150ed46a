package dev.quarry.remote;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A remote whose receiver never answers: the WAL it holds back is bounded by the backlog limit. */
class RemoteQueueBacklogTest {
  @TempDir Path dir;

  @Test
  void unreachableReceiverHoldsTheWalUntilTheBacklogLimitThenDropsTheOldest() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (FileStorage fs =
        FileStorage.open(
            dir.resolve("data"),
            FileStorageSettings.DEFAULTS.withAgentMode(true).withWalSegmentBytes(16 * 1024))) {
      QueueConfig q =
          new QueueConfig(
              100,
              1,
              1,
              50,
              Duration.ofMillis(50),
              Duration.ofMillis(20),
              Duration.ofMillis(50),
              false,
              Duration.ZERO);
      RemoteWriteConfig cfg =
          new RemoteWriteConfig(
              "http://127.0.0.1:1/api/v1/write",
              "down",
              Duration.ofSeconds(1),
              Map.of(),
              HttpClientConfig.DEFAULT,
              List.of(),
              q,
              MetadataConfig.DEFAULT,
              false);
      HttpSender sender = TestSenders.plain(vertx, cfg.url(), cfg.remoteTimeout());
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      RemoteMetrics metrics = new RemoteMetrics(registry, "down", cfg.url(), 1, 1);
      long maxBacklog = 64 * 1024;
      RemoteQueue queue =
          new RemoteQueue(
              cfg,
              "down",
              new RemoteQueue.Parts(
                  Labels.EMPTY,
                  fs.walSource(),
                  dir.resolve("data/remote/down.position"),
                  sender,
                  metrics,
                  () -> maxBacklog,
                  Clock.system(),
                  SerialScheduler.newThread("quarry-remote-metadata-down")));
      fs.setWalFloor(queue::floorSegment);
      queue.start();
      try {
        // The queue starts at the end of the (empty) WAL.
        Await.until("the queue tails the WAL", Duration.ofSeconds(10), queue::tailing);
        int firstFloor = queue.floorSegment();
        for (int i = 0; i < 400; i++) {
          Appender app = fs.appender();
          for (int j = 0; j < 50; j++) {
            app.append(0, Labels.of("__name__", "m", "j", String.valueOf(j)), 1000L * i, i * j);
          }
          app.commit();
        }
        assertTrue(fs.currentWalSegment() > 10, "the WAL spans many segments");
        // While within the limit the queue holds its segment; beyond it the reader moves on.
        Await.within(
            Duration.ofSeconds(20),
            () -> metrics.samplesDropped.count() > 0 && queue.floorSegment() > firstFloor);
        assertTrue(
            metrics.samplesDropped.count() > 0, "the oldest samples are dropped and counted");
        assertTrue(
            queue.floorSegment() > firstFloor,
            "the floor moved: " + firstFloor + " → " + queue.floorSegment());
        fs.truncateWalBefore(fs.currentWalSegment());
        long walBytes = 0;
        try (var files = java.nio.file.Files.list(fs.walDir())) {
          for (Path p : (Iterable<Path>) files::iterator) {
            walBytes += java.nio.file.Files.size(p);
          }
        }
        assertTrue(walBytes < 4 * maxBacklog, "WAL kept for the remote is bounded: " + walBytes);
        assertTrue(metrics.samplesSent.count() == 0);
      } finally {
        queue.stop().get(10, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }
}
