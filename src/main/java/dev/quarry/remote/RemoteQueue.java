package dev.quarry.remote;

import dev.quarry.config.RemoteWriteConfig;
import dev.quarry.model.Labels;
import dev.quarry.relabel.Relabeler;
import dev.quarry.storage.WalSource;
import dev.quarry.util.Clock;
import dev.quarry.util.SerialScheduler;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Sends everything appended to the WAL to one {@code remote_write} receiver.
 *
 * <p>A {@link WalFollower} thread follows the WAL from the remote's saved position: series records
 * give each ref its labels (external labels added where the series lacks them, then {@code
 * write_relabel_configs}), encoded once ({@link SeriesLabels}); sample records are handed to the
 * sending shards ({@link ShardSet}), the shard chosen by series ref so each series' samples stay in
 * order. A {@link Shard} sends a batch when it holds {@code max_samples_per_send} samples or its
 * oldest sample has waited {@code batch_send_deadline}. Recoverable failures (network errors,
 * timeouts, 5xx, and 429 with {@code retry_on_http_429}) are retried with doubling back-off from
 * {@code min_backoff} to {@code max_backoff}, or after the receiver's {@code Retry-After} ({@link
 * BatchSender}, {@link BackoffPolicy}); other answers drop the batch, counted and logged with the
 * receiver's message, and the queue moves on. Metadata goes its own way ({@link MetadataSender}).
 *
 * <p>While the receiver is down the shards' queues fill up and the reader waits: the samples stay
 * in the WAL, which is truncated only behind {@link #floorSegment()}. When the unsent part of the
 * WAL exceeds the maximum backlog the reader skips ahead, counting what it skips as dropped ({@link
 * BacklogLimit}).
 *
 * <p>The number of shards follows the load between {@code min_shards} and {@code max_shards}: every
 * 10 s the reader compares the time sending takes per sample with the incoming rate and the
 * backlog, and when the change is over 30 % it flushes the shards and starts the new number ({@link
 * ReshardPolicy}).
 *
 * <p>This class only wires the parts and holds no mutable state of its own but the stop future;
 * {@link #start} and {@link #stop} are called by the owner ({@link RemoteWriteService}, under its
 * lock), {@link #floorSegment} and {@link #ackedPosition} from any thread.
 */
final class RemoteQueue {
  final RemoteWriteConfig config;
  final String displayName;
  final RemoteMetrics metrics;
  private final Progress progress;
  private final HttpSender sender;
  private final BatchSender batches;
  private final MetadataSender metadata;
  private final WalFollower follower;
  private CompletableFuture<Void> stopped; // guarded by this

  /**
   * What a queue is built from besides its config: the labels it adds, the WAL it reads and the
   * file its position is saved in, its sender and metrics (the queue closes the sender when it
   * stops), the backlog bound, the clock its shards, sender and WAL follower run on, and the
   * scheduler its metadata rounds run on (shut down when the queue stops).
   */
  record Parts(
      Labels externalLabels,
      WalSource wal,
      Path positionFile,
      HttpSender sender,
      RemoteMetrics metrics,
      LongSupplier maxBacklogBytes,
      Clock clock,
      SerialScheduler metadataScheduler) {}

  RemoteQueue(RemoteWriteConfig config, String displayName, Parts parts) {
    Clock clock = parts.clock();
    HttpSender sender = parts.sender();
    RemoteMetrics metrics = parts.metrics();
    this.config = config;
    this.displayName = displayName;
    this.metrics = metrics;
    this.progress = new Progress(parts.positionFile());
    this.sender = sender;
    this.batches =
        new BatchSender(
            displayName, sender, metrics, BackoffPolicy.of(config.queueConfig()), clock);
    this.metadata =
        new MetadataSender(
            displayName, config.metadataConfig(), sender, metrics, parts.metadataScheduler());
    WriteFormat format = config.writeV2() ? WriteFormat.v2() : WriteFormat.v1();
    ShardSet shards =
        new ShardSet(displayName, config.queueConfig(), batches, progress, metrics, clock, format);
    BacklogLimit backlog =
        new BacklogLimit(displayName, parts.wal(), progress, parts.maxBacklogBytes());
    SeriesLabels labels =
        new SeriesLabels(parts.externalLabels(), Relabeler.compile(config.writeRelabelConfigs()));
    this.follower =
        new WalFollower(
            displayName,
            config,
            labels,
            parts.wal(),
            progress,
            metrics,
            shards,
            backlog,
            metadata,
            clock,
            format);
  }

  void start() {
    follower.start();
    if (!config.writeV2()) {
      metadata.start(); // 2.0 carries each series' metadata in its requests
    }
  }

  /**
   * Stops reading and sending at once. The future completes when the reader and every shard have
   * ended and the position is saved. Samples not yet acknowledged stay in the WAL and are sent
   * after the next start (those of batches in flight possibly twice). Calling it again returns the
   * same future.
   */
  synchronized CompletableFuture<Void> stop() {
    if (stopped == null) {
      batches.abandon();
      metadata.stop();
      stopped =
          follower
              .stop()
              .whenComplete(
                  (v, e) -> {
                    progress.persist();
                    progress.close();
                    sender.close();
                  });
    }
    return stopped;
  }

  /** Whether the queue has caught up with its saved position and sends what is appended now. */
  boolean tailing() {
    return follower.tailing();
  }

  /** The lowest WAL segment this remote still needs; segments below it may be deleted. */
  int floorSegment() {
    return follower.floorSegment();
  }

  Progress.Position ackedPosition() {
    return progress.acked();
  }
}
