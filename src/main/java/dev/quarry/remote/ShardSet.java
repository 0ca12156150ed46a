package dev.quarry.remote;

import dev.quarry.config.QueueConfig;
import dev.quarry.model.Labels;
import dev.quarry.util.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * A queue's sending shards: hands each record's samples to the shard of their series (chosen by
 * series ref, so each series' samples stay in order) and, every {@link ReshardPolicy#EVERY_MS},
 * follows the load between {@code min_shards} and {@code max_shards} as {@link ReshardPolicy}
 * decides, flushing the shards before starting the new number.
 *
 * <p>All methods but {@link #stop} are called by the WAL follower's thread, which alone owns the
 * shard array and the load averages; the shards add to the atomic counters from their threads.
 * {@link #stop} may run on any thread once the follower has stopped calling.
 */
final class ShardSet {
  private static final Logger LOG = Logger.getLogger(RemoteQueue.class);

  /** What the follower does while every queue is full; true gives up the rest of the record. */
  interface WhileFull {
    boolean giveUp() throws InterruptedException;
  }

  private final String displayName;
  private final QueueConfig q;
  private final BatchSender sender;
  private final Progress progress;
  private final RemoteMetrics metrics;
  private final WriteFormat format;
  private final AtomicLong samplesIn = new AtomicLong();
  private final AtomicLong samplesOut = new AtomicLong();
  private volatile Shard[] shards; // replaced by the follower's thread only
  private ReshardPolicy.Rates rates = ReshardPolicy.Rates.NONE;
  private final Clock clock;
  private long lastReshardCheck;

  ShardSet(
      String displayName,
      QueueConfig q,
      BatchSender sender,
      Progress progress,
      RemoteMetrics metrics,
      Clock clock) {
    this(displayName, q, sender, progress, metrics, clock, WriteFormat.v1());
  }

  /** Shards that send in {@code format} (remote write 1.0 or 2.0). */
  ShardSet(
      String displayName,
      QueueConfig q,
      BatchSender sender,
      Progress progress,
      RemoteMetrics metrics,
      Clock clock,
      WriteFormat format) {
    this.format = format;
    this.clock = clock;
    this.lastReshardCheck = clock.millis();
    this.displayName = displayName;
    this.q = q;
    this.sender = sender;
    this.progress = progress;
    this.metrics = metrics;
  }

  /** Starts {@code n} shards (replacing stopped or flushed ones). */
  void start(int n) {
    Shard[] sh = new Shard[n];
    for (int i = 0; i < n; i++) {
      sh[i] =
          new Shard(
              "quarry-remote-write-" + displayName + "-shard-" + i,
              q,
              sender,
              progress,
              metrics,
              samplesOut,
              clock,
              format);
      sh[i].start();
    }
    shards = sh;
    metrics.shards.set(n);
  }

  /**
   * Drops what the shards hold and interrupts them; the future completes when every shard's thread
   * has ended (at once when none was started).
   */
  CompletableFuture<Void> stop() {
    Shard[] sh = shards;
    if (sh == null) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<?>[] done = new CompletableFuture<?>[sh.length];
    for (int i = 0; i < sh.length; i++) {
      sh[i].queue.clear();
      sh[i].interrupt();
      done[i] = sh[i].done;
    }
    return CompletableFuture.allOf(done).whenComplete((v, e) -> metrics.shards.set(0));
  }

  /** Reconsiders the number of shards when a period has passed since the last time. */
  void maybeReshard(long now) throws InterruptedException {
    if (now - lastReshardCheck < ReshardPolicy.EVERY_MS) {
      return;
    }
    double secs = (now - lastReshardCheck) / 1000.0;
    lastReshardCheck = now;
    rates =
        rates.observe(
            secs, samplesIn.getAndSet(0), samplesOut.getAndSet(0), sender.takeSendNanos());
    Shard[] sh = shards;
    int current = sh.length;
    double lagSeconds =
        (metrics.highestReadMillis.get() - metrics.highestSentMillis.get()) / 1000.0;
    int desired =
        ReshardPolicy.desiredShards(current, rates, lagSeconds, q.minShards(), q.maxShards());
    metrics.desiredShards.set(desired);
    if (desired == current || !ReshardPolicy.mayReshard(now, sender.lastFailureMillis())) {
      return;
    }
    LOG.infof("remote write %s: resharding from %d to %d shards", displayName, current, desired);
    for (Shard s : sh) {
      s.queue.force(Chunk.FLUSH);
    }
    for (Shard s : sh) {
      s.join();
    }
    start(desired);
  }

  /**
   * Hands a record's {@code kept} samples (the non-null entries of {@code sers}) or exemplars, all
   * of {@code mark}, to their series' shards: one chunk per shard, in WAL order. While a shard's
   * queue is full it asks {@code whileFull} every 200 ms whether to give up the rest, which is then
   * counted as dropped.
   */
  void enqueue(
      Progress.Mark mark,
      int kept,
      long[] refs,
      byte[][][] sers,
      long[] ts,
      double[] vs,
      Labels[] exemplars,
      WhileFull whileFull)
      throws InterruptedException {
    enqueue(mark, kept, refs, sers, ts, vs, exemplars, null, whileFull);
  }

  /**
   * As the other {@code enqueue}, for native histograms when {@code histograms} is not null (one
   * {@code Histogram} or {@code FloatHistogram} per entry; {@code vs} is then not read).
   */
  void enqueue(
      Progress.Mark mark,
      int kept,
      long[] refs,
      byte[][][] sers,
      long[] ts,
      double[] vs,
      Labels[] exemplars,
      Object[] histograms,
      WhileFull whileFull)
      throws InterruptedException {
    if (kept == 0) {
      return;
    }
    samplesIn.addAndGet(kept);
    metrics.pending.addAndGet(kept);
    Shard[] sh = shards;
    int k = sh.length;
    int[] counts = new int[k];
    for (int i = 0; i < sers.length; i++) {
      if (sers[i] != null) {
        counts[k == 1 ? 0 : shardOf(refs[i], k)]++;
      }
    }
    Chunk[] chunks = new Chunk[k];
    int[] at = new int[k];
    for (int i = 0; i < sers.length; i++) {
      if (sers[i] == null) {
        continue;
      }
      int idx = k == 1 ? 0 : shardOf(refs[i], k);
      Chunk c = chunks[idx];
      if (c == null) {
        c = chunks[idx] = new Chunk(counts[idx], mark, exemplars != null, histograms != null);
      }
      int j = at[idx]++;
      c.series[j] = sers[i];
      c.t[j] = ts[i];
      if (histograms != null) {
        c.histograms[j] = histograms[i];
      } else {
        c.v[j] = vs[i];
      }
      if (exemplars != null) {
        c.exemplars[j] = exemplars[i];
      }
    }
    for (int idx = 0; idx < k; idx++) {
      Chunk c = chunks[idx];
      if (c == null) {
        continue;
      }
      while (!sh[idx].queue.offer(c, 200, TimeUnit.MILLISECONDS)) {
        if (whileFull.giveUp()) {
          int rest = 0;
          for (int r = idx; r < k; r++) {
            rest += chunks[r] == null ? 0 : chunks[r].n;
          }
          (histograms != null ? metrics.histogramsDropped : metrics.samplesDropped).increment(rest);
          metrics.pending.addAndGet(-rest);
          progress.done(mark, rest);
          return;
        }
      }
    }
  }

  private static int shardOf(long ref, int shards) {
    return Math.floorMod(mix(Long.hashCode(ref)), shards);
  }

  private static int mix(int h) {
    return h ^ (h >>> 16);
  }
}
