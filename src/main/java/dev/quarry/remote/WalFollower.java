package dev.quarry.remote;

import dev.quarry.config.QueueConfig;
import dev.quarry.config.RemoteWriteConfig;
import dev.quarry.model.Labels;
import dev.quarry.storage.WalRecord;
import dev.quarry.storage.WalSource;
import dev.quarry.util.Clock;
import io.netty.util.collection.LongObjectHashMap;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Follows the WAL ({@link WalSource}) for one remote from its saved position and hands what it
 * reads on: series records give each ref its series as sent ({@link SeriesLabels}), metadata
 * records go to the {@link MetadataSender} (and, for 2.0, to the {@link WriteFormat}), and the
 * samples (with {@code send_exemplars} the exemplars, with {@code send_native_histograms} the
 * native histograms) of known series go to the {@link ShardSet}, which it also reshards. Samples
 * older than {@code sample_age_limit} or beyond the {@link BacklogLimit} are dropped and counted.
 *
 * <p>Everything here runs on the follower's own thread, which owns the series table, the tailer and
 * the shard set; the segment figures behind {@link #floorSegment} are volatile, read by any thread.
 * {@link #stop} may be called from any thread.
 */
final class WalFollower {
  private static final Logger LOG = Logger.getLogger(RemoteQueue.class);
  private static final long IDLE_POLL_MS = 25;

  private final String displayName;
  private final boolean sendExemplars;
  private final boolean sendHistograms;
  private final WriteFormat format;
  private final QueueConfig q;
  private final SeriesLabels labels;
  private final WalSource wal;
  private final Progress progress;
  private final RemoteMetrics metrics;
  private final ShardSet shards;
  private final BacklogLimit backlog;
  private final MetadataSender metadata;
  private final Clock clock;
  // ref -> series as sent; a primitive map (the lookup is per sample).
  private final LongObjectHashMap<byte[][]> series = new LongObjectHashMap<>();
  private final Thread thread;
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private volatile boolean running = true;
  private volatile int readerSegment = Integer.MAX_VALUE;
  private volatile int startSegment = Integer.MAX_VALUE;
  private volatile boolean tailing;
  private WalSource.Cursor tailer;

  WalFollower(
      String displayName,
      RemoteWriteConfig config,
      SeriesLabels labels,
      WalSource wal,
      Progress progress,
      RemoteMetrics metrics,
      ShardSet shards,
      BacklogLimit backlog,
      MetadataSender metadata,
      Clock clock) {
    this(
        displayName,
        config,
        labels,
        wal,
        progress,
        metrics,
        shards,
        backlog,
        metadata,
        clock,
        WriteFormat.v1());
  }

  /** A follower whose shards send in {@code format}, which it tells each series' metadata. */
  WalFollower(
      String displayName,
      RemoteWriteConfig config,
      SeriesLabels labels,
      WalSource wal,
      Progress progress,
      RemoteMetrics metrics,
      ShardSet shards,
      BacklogLimit backlog,
      MetadataSender metadata,
      Clock clock,
      WriteFormat format) {
    this.format = format;
    this.sendHistograms = config.sendNativeHistograms();
    this.clock = clock;
    this.displayName = displayName;
    this.sendExemplars = config.sendExemplars();
    this.q = config.queueConfig();
    this.labels = labels;
    this.wal = wal;
    this.progress = progress;
    this.metrics = metrics;
    this.shards = shards;
    this.backlog = backlog;
    this.metadata = metadata;
    this.thread = new Thread(this::run, "quarry-remote-write-" + displayName);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /**
   * Stops reading and the shards at once; the future completes when the follower's thread and every
   * shard's have ended.
   */
  CompletableFuture<Void> stop() {
    running = false;
    if (thread.getState() == Thread.State.NEW) {
      stopped.complete(null); // never started: nothing runs
    }
    thread.interrupt();
    return stopped;
  }

  /** Whether the reader has caught up with the saved position and now sends what is appended. */
  boolean tailing() {
    return tailing;
  }

  /** The lowest WAL segment this remote still needs; segments below it may be deleted. */
  int floorSegment() {
    if (startSegment != Integer.MAX_VALUE) {
      return startSegment; // still reading series records from the start of the WAL
    }
    if (backlog.overflowing()) {
      return readerSegment;
    }
    Progress.Position p = progress.acked();
    int acked = p == null ? readerSegment : Math.max(p.segment(), backlog.droppedBelow());
    return Math.min(acked, readerSegment);
  }

  private void run() {
    try {
      tailer = catchUp();
      shards.start(Math.max(1, q.minShards()));
      while (running) {
        long now = clock.millis();
        backlog.checkEverySecond(now, tailer);
        shards.maybeReshard(now);
        WalSource.Entry e = tailer.next();
        if (e == null) {
          clock.sleep(IDLE_POLL_MS);
          continue;
        }
        readerSegment = e.segment();
        handle(e);
      }
    } catch (InterruptedException e) {
      // stopping
    } catch (IOException | RuntimeException e) {
      LOG.errorf(
          e, "remote write %s: reading the WAL failed; the remote stops sending", displayName);
    } finally {
      CompletableFuture<Void> shardsStopped = shards.stop();
      if (tailer != null) {
        try {
          tailer.close();
        } catch (IOException ignored) {
          // closing a read-only channel
        }
      }
      shardsStopped.whenComplete((v, e) -> stopped.complete(null));
    }
  }

  /**
   * Learns every series from the checkpoint and the segments before the saved position (or the
   * whole WAL for a new remote, which then starts at the end), and returns a tailer at the position
   * from which samples are sent.
   */
  private WalSource.Cursor catchUp() throws IOException, InterruptedException {
    Progress.Position saved = progress.load();
    int checkpoint = wal.readCheckpoint(this::learn);
    int first = wal.firstSegment();
    int from = first < 0 ? Math.max(0, checkpoint + 1) : Math.max(first, checkpoint + 1);
    startSegment = from;
    if (saved != null && saved.segment() < from) {
      LOG.warnf(
          "remote write %s: saved WAL position %d:%d is no longer in the WAL (first segment %d);"
              + " resuming there",
          displayName, saved.segment(), saved.offset(), from);
      saved = new Progress.Position(from, 0);
    }
    WalSource.Cursor tailer = wal.open(from, 0);
    Progress.Position start;
    if (saved == null) {
      WalSource.Entry e;
      while ((e = tailer.next()) != null) {
        learn(e.record());
      }
      start = new Progress.Position(tailer.segment(), tailer.offset());
    } else {
      while (new Progress.Position(tailer.segment(), tailer.offset())
          .before(saved.segment(), saved.offset())) {
        WalSource.Entry e = tailer.next();
        if (e == null) {
          break; // the WAL ends before the saved position (replay truncated a torn tail)
        }
        learn(e.record());
      }
      start = new Progress.Position(tailer.segment(), tailer.offset());
    }
    progress.start(start);
    progress.persist();
    readerSegment = start.segment();
    startSegment = Integer.MAX_VALUE;
    tailing = true;
    LOG.infof(
        "remote write %s: sending from WAL segment %d byte %d (%d series known)",
        displayName, start.segment(), start.offset(), series.size());
    return tailer;
  }

  /** Applies a series or metadata record (samples are not sent while catching up). */
  private void learn(WalRecord rec) {
    if (rec instanceof WalRecord.Series s) {
      for (WalRecord.RefLabels rl : s.series()) {
        series.put(rl.ref(), labels.toSend(rl.labels()));
      }
    } else if (rec instanceof WalRecord.MetadataEntries m) {
      for (WalRecord.RefMetadata e : m.entries()) {
        byte[][] s = series.get(e.ref());
        if (s != null && s != SeriesLabels.DROPPED) {
          metadata.put(SeriesLabels.metricName(s), e.metadata());
          format.metadata(s, e.metadata());
        }
      }
    }
  }

  private void handle(WalSource.Entry e) throws InterruptedException {
    WalRecord rec = e.record();
    if (rec instanceof WalRecord.Exemplars ex && sendExemplars && !backlog.overflowing()) {
      List<WalRecord.RefExemplar> all = ex.exemplars();
      int n = all.size();
      long[] refs = new long[n];
      byte[][][] sers = new byte[n][][];
      long[] ts = new long[n];
      double[] vs = new double[n];
      Labels[] ls = new Labels[n];
      int kept = 0;
      for (int i = 0; i < n; i++) {
        WalRecord.RefExemplar x = all.get(i);
        byte[][] ser = series.get(x.ref());
        if (ser == null || ser == SeriesLabels.DROPPED) {
          continue; // left null: enqueue skips it
        }
        sers[i] = ser;
        refs[i] = x.ref();
        ts[i] = x.timestamp();
        vs[i] = x.value();
        ls[i] = x.labels();
        kept++;
      }
      Progress.Mark mark = progress.open(e.segment(), e.endOffset(), kept);
      shards.enqueue(mark, kept, refs, sers, ts, vs, ls, this::whileQueuesFull);
      return;
    }
    if (rec instanceof WalRecord.Histograms h) {
      histograms(e, h.refs(), h.timestamps(), h.histograms());
      return;
    }
    if (rec instanceof WalRecord.FloatHistograms h) {
      histograms(e, h.refs(), h.timestamps(), h.histograms());
      return;
    }
    if (!(rec instanceof WalRecord.Samples s)) {
      learn(rec);
      progress.open(e.segment(), e.endOffset(), 0);
      return;
    }
    send(e, s.refs(), s.timestamps(), s.values(), null);
  }

  /**
   * Hands a record's native histogram samples to the shards as samples are; without {@code
   * send_native_histograms} they are all dropped and counted, as in Prometheus.
   */
  private void histograms(WalSource.Entry e, long[] refs, long[] ts, Object[] hs)
      throws InterruptedException {
    if (!sendHistograms) {
      metrics.histogramsDropped.increment(refs.length);
      progress.open(e.segment(), e.endOffset(), 0);
      return;
    }
    send(e, refs, ts, null, hs);
  }

  /**
   * Hands a record's float samples ({@code vs}) or native histograms ({@code hs}) of known series
   * to the shards; those of unknown or dropped series, older than {@code sample_age_limit} or
   * beyond the backlog limit are dropped and counted.
   */
  private void send(WalSource.Entry e, long[] refs, long[] ts, double[] vs, Object[] hs)
      throws InterruptedException {
    long minTime =
        q.sampleAgeLimit().isZero()
            ? Long.MIN_VALUE
            : clock.millis() - q.sampleAgeLimit().toMillis();
    int n = refs.length;
    byte[][][] sers = new byte[n][][];
    int kept = 0;
    long highest = Long.MIN_VALUE;
    boolean skip = backlog.overflowing();
    if (skip) {
      backlog.dropping(e.segment());
    }
    for (int i = 0; i < n; i++) {
      byte[][] ser = series.get(refs[i]);
      long t = ts[i];
      highest = Math.max(highest, t);
      if (ser == null || ser == SeriesLabels.DROPPED || t < minTime || skip) {
        continue;
      }
      sers[i] = ser;
      kept++;
    }
    if (highest != Long.MIN_VALUE) {
      RemoteMetrics.maxUpdate(metrics.highestReadMillis, highest);
    }
    if (kept < n) {
      (hs == null ? metrics.samplesDropped : metrics.histogramsDropped).increment(n - kept);
    }
    Progress.Mark mark = progress.open(e.segment(), e.endOffset(), kept);
    shards.enqueue(mark, kept, refs, sers, ts, vs, null, hs, this::whileQueuesFull);
  }

  /** While the shards' queues are full: stop when asked, give up when over the backlog limit. */
  private boolean whileQueuesFull() throws InterruptedException {
    if (!running) {
      throw new InterruptedException();
    }
    backlog.checkEverySecond(clock.millis(), tailer);
    return backlog.overflowing();
  }
}
