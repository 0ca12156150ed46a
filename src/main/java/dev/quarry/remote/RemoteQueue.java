package dev.quarry.remote;

import dev.quarry.config.QueueConfig;
import dev.quarry.config.RemoteWriteConfig;
import dev.quarry.model.Labels;
import dev.quarry.relabel.Relabeler;
import dev.quarry.storage.Metadata;
import dev.quarry.storage.file.WalRecord;
import dev.quarry.storage.file.WalTailer;
import io.netty.util.collection.LongObjectHashMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Sends everything appended to the WAL to one {@code remote_write} receiver.
 *
 * <p>A reader thread follows the WAL ({@link WalTailer}) from the remote's saved position: series
 * records give each ref its labels (external labels added where the series lacks them, then
 * {@code write_relabel_configs}), encoded once; sample records are handed to sending shards, the
 * shard chosen by series ref so each series' samples stay in order. A shard sends a batch when it
 * holds {@code max_samples_per_send} samples or its oldest sample has waited {@code
 * batch_send_deadline}. Recoverable failures (network errors, timeouts, 5xx, and 429 with {@code
 * retry_on_http_429}) are retried with doubling back-off from {@code min_backoff} to {@code
 * max_backoff}, or after the receiver's {@code Retry-After}; other answers drop the batch, counted
 * and logged with the receiver's message, and the queue moves on.
 *
 * <p>While the receiver is down the shards' queues fill up and the reader waits: the samples stay
 * in the WAL, which is truncated only behind {@link #floorSegment()}. When the unsent part of the
 * WAL exceeds the maximum backlog the reader skips ahead, counting what it skips as dropped.
 *
 * <p>The number of shards follows the load between {@code min_shards} and {@code max_shards}:
 * every 10 s the reader compares the time sending takes per sample with the incoming rate and the
 * backlog, and when the change is over 30 % it flushes the shards and starts the new number.
 */
final class RemoteQueue {
  private static final Logger LOG = Logger.getLogger(RemoteQueue.class);
  private static final long RESHARD_EVERY_MS = 10_000;
  private static final long IDLE_POLL_MS = 25;
  /**
   * A series as sent is its labels (after external labels and write relabelling) as encoded
   * protobuf {@code Label} fields, in label order, each array shared by every series with that
   * label pair; this one marks a series dropped by relabelling.
   */
  private static final byte[][] DROPPED = new byte[0][];

  /**
   * The samples (or, with {@code exemplars}, the exemplars) of one WAL record bound for one shard,
   * in WAL order, all counted against the record's {@code mark}.
   */
  static final class Chunk {
    final byte[][][] series;
    final long[] t;
    final double[] v;
    final Labels[] exemplars;
    final Progress.Mark mark;
    final int n;

    Chunk(int n, Progress.Mark mark, boolean exemplars) {
      this.series = new byte[n][][];
      this.t = new long[n];
      this.v = new double[n];
      this.exemplars = exemplars ? new Labels[n] : null;
      this.mark = mark;
      this.n = n;
    }
  }

  private static final Chunk FLUSH = new Chunk(0, null, false);

  final RemoteWriteConfig config;
  final String displayName;
  private final Labels externalLabels;
  // One encoded field per label pair for the series of the reader (few pairs, many series).
  // Reader thread only.
  private final Map<String, Map<String, byte[]>> labelFields = new HashMap<>();
  private int labelFieldCount;
  private final Relabeler relabeler;
  private final Path walDir;
  private final Progress progress;
  private final HttpSender sender;
  final RemoteMetrics metrics;
  private final LongSupplier maxBacklogBytes;
  private final QueueConfig q;

  // ref -> series as sent; a primitive map (the lookup is per sample). Reader thread only.
  private final LongObjectHashMap<byte[][]> series = new LongObjectHashMap<>();
  private final Map<String, Metadata> familyMetadata = new ConcurrentHashMap<>();
  private final Thread reader;
  private final java.util.concurrent.ScheduledExecutorService metadataSender;
  private volatile boolean running = true;
  private volatile boolean abandon;
  private volatile int readerSegment = Integer.MAX_VALUE;
  private volatile int startSegment = Integer.MAX_VALUE;
  private volatile boolean overflowing;
  // Samples of segments below this were dropped for the backlog limit: nothing below is needed.
  private volatile int droppedBelow = -1;
  private volatile long lastFailureMillis;
  private Shard[] shards;
  private WalTailer tailer; // reader thread
  private long lastBacklogCheck; // reader thread

  // load figures for resharding (reader thread)
  private final AtomicLong samplesIn = new AtomicLong();
  private final AtomicLong samplesOut = new AtomicLong();
  private final AtomicLong sendNanos = new AtomicLong();
  private double inRate = -1;
  private double outRate = -1;
  private double outSeconds = -1;
  private long lastReshardCheck = System.currentTimeMillis();

  RemoteQueue(
      RemoteWriteConfig config,
      String displayName,
      Labels externalLabels,
      Path walDir,
      Path positionFile,
      HttpSender sender,
      RemoteMetrics metrics,
      LongSupplier maxBacklogBytes) {
    this.config = config;
    this.displayName = displayName;
    this.externalLabels = externalLabels;
    this.relabeler = Relabeler.compile(config.writeRelabelConfigs());
    this.walDir = walDir;
    this.progress = new Progress(positionFile);
    this.sender = sender;
    this.metrics = metrics;
    this.maxBacklogBytes = maxBacklogBytes;
    this.q = config.queueConfig();
    this.reader = new Thread(this::readLoop, "quarry-remote-write-" + displayName);
    this.reader.setDaemon(true);
    this.metadataSender =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "quarry-remote-metadata-" + displayName);
              t.setDaemon(true);
              return t;
            });
  }

  void start() {
    reader.start();
    if (config.metadataConfig().send()) {
      long every = Math.max(1000, config.metadataConfig().sendInterval().toMillis());
      metadataSender.scheduleWithFixedDelay(this::sendMetadata, every, every, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Stops reading and sending at once and saves the position. Samples not yet acknowledged stay
   * in the WAL and are sent after the next start (those of batches in flight possibly twice).
   */
  void stop() {
    running = false;
    abandon = true;
    metadataSender.shutdownNow();
    reader.interrupt();
    try {
      reader.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    progress.persist();
    progress.close();
    sender.close();
  }

  /** The lowest WAL segment this remote still needs; segments below it may be deleted. */
  int floorSegment() {
    if (startSegment != Integer.MAX_VALUE) {
      return startSegment; // still reading series records from the start of the WAL
    }
    if (overflowing) {
      return readerSegment;
    }
    Progress.Position p = progress.acked();
    int acked = p == null ? readerSegment : Math.max(p.segment(), droppedBelow);
    return Math.min(acked, readerSegment);
  }

  Progress.Position ackedPosition() {
    return progress.acked();
  }

  // ---- reading the WAL

  private void readLoop() {
    try {
      tailer = catchUp();
      startShards(Math.max(1, q.minShards()));
      while (running) {
        long now = System.currentTimeMillis();
        checkBacklogEverySecond(now);
        if (now - lastReshardCheck >= RESHARD_EVERY_MS) {
          maybeReshard(now);
        }
        WalTailer.Entry e = tailer.next();
        if (e == null) {
          Thread.sleep(IDLE_POLL_MS);
          continue;
        }
        readerSegment = e.segment();
        handle(e);
      }
    } catch (InterruptedException e) {
      // stopping
    } catch (IOException | RuntimeException e) {
      LOG.errorf(e, "remote write %s: reading the WAL failed; the remote stops sending", displayName);
    } finally {
      stopShards();
      if (tailer != null) {
        try {
          tailer.close();
        } catch (IOException ignored) {
          // closing a read-only channel
        }
      }
    }
  }

  /**
   * Learns every series from the checkpoint and the segments before the saved position (or the
   * whole WAL for a new remote, which then starts at the end), and returns a tailer at the
   * position from which samples are sent.
   */
  private WalTailer catchUp() throws IOException, InterruptedException {
    Progress.Position saved = progress.load();
    int checkpoint = WalTailer.readCheckpoint(walDir, this::learn);
    int first = WalTailer.firstSegment(walDir);
    int from = first < 0 ? Math.max(0, checkpoint + 1) : Math.max(first, checkpoint + 1);
    startSegment = from;
    if (saved != null && saved.segment() < from) {
      LOG.warnf(
          "remote write %s: saved WAL position %d:%d is no longer in the WAL (first segment %d);"
              + " resuming there", displayName, saved.segment(), saved.offset(), from);
      saved = new Progress.Position(from, 0);
    }
    WalTailer tailer = new WalTailer(walDir, from, 0);
    Progress.Position start;
    if (saved == null) {
      WalTailer.Entry e;
      while ((e = tailer.next()) != null) {
        learn(e.record());
      }
      start = new Progress.Position(tailer.segment(), tailer.offset());
    } else {
      while (new Progress.Position(tailer.segment(), tailer.offset())
          .before(saved.segment(), saved.offset())) {
        WalTailer.Entry e = tailer.next();
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
    LOG.infof("remote write %s: sending from WAL segment %d byte %d (%d series known)",
        displayName, start.segment(), start.offset(), series.size());
    return tailer;
  }

  /** Applies a series or metadata record (samples are not sent while catching up). */
  private void learn(WalRecord rec) {
    if (rec instanceof WalRecord.Series s) {
      for (WalRecord.RefLabels rl : s.series()) {
        series.put(rl.ref(), toSend(rl.labels()));
      }
    } else if (rec instanceof WalRecord.MetadataEntries m) {
      for (WalRecord.RefMetadata e : m.entries()) {
        byte[][] s = series.get(e.ref());
        if (s != null && s != DROPPED) {
          familyMetadata.put(familyName(metricName(s), e.metadata().type()), e.metadata());
        }
      }
    }
  }

  private byte[][] toSend(Labels in) {
    Labels withExternal = in;
    if (!externalLabels.isEmpty()) {
      Labels.Builder b = in.toBuilder();
      externalLabels.forEach(b::setIfAbsent);
      withExternal = b.build();
    }
    Labels out = relabeler.process(withExternal);
    if (out == null || out.isEmpty()) {
      return DROPPED;
    }
    if (labelFieldCount > 1_000_000) {
      labelFields.clear(); // churning label values: start over rather than grow
      labelFieldCount = 0;
    }
    byte[][] parts = new byte[out.size()][];
    for (int i = 0; i < parts.length; i++) {
      String ln = out.name(i);
      String lv = out.value(i);
      Map<String, byte[]> byValue = labelFields.computeIfAbsent(ln, k -> new HashMap<>());
      byte[] part = byValue.get(lv);
      if (part == null) {
        part = WriteRequestEncoder.encodeLabel(ln, lv);
        byValue.put(lv, part);
        labelFieldCount++;
      }
      parts[i] = part;
    }
    return parts;
  }

  /** The metric name of a series as sent, or null; decodes its {@code __name__} field. */
  static String metricName(byte[][] parts) {
    for (byte[] p : parts) {
      String[] nv = WriteRequestEncoder.decodeLabel(p);
      if (Labels.METRIC_NAME.equals(nv[0])) {
        return nv[1];
      }
    }
    return null;
  }

  private void handle(WalTailer.Entry e) throws InterruptedException {
    WalRecord rec = e.record();
    if (rec instanceof WalRecord.Exemplars ex && config.sendExemplars() && !overflowing) {
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
        if (ser == null || ser == DROPPED) {
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
      enqueue(mark, kept, refs, sers, ts, vs, ls);
      return;
    }
    if (!(rec instanceof WalRecord.Samples s)) {
      learn(rec);
      progress.open(e.segment(), e.endOffset(), 0);
      return;
    }
    long minTime =
        q.sampleAgeLimit().isZero()
            ? Long.MIN_VALUE
            : System.currentTimeMillis() - q.sampleAgeLimit().toMillis();
    int n = s.size();
    byte[][][] sers = new byte[n][][];
    int kept = 0;
    long highest = Long.MIN_VALUE;
    boolean skip = overflowing;
    if (skip) {
      droppedBelow = Math.max(droppedBelow, e.segment());
    }
    long[] refs = s.refs();
    long[] ts = s.timestamps();
    for (int i = 0; i < n; i++) {
      byte[][] ser = series.get(refs[i]);
      long t = ts[i];
      highest = Math.max(highest, t);
      if (ser == null || ser == DROPPED || t < minTime || skip) {
        continue;
      }
      sers[i] = ser;
      kept++;
    }
    if (highest != Long.MIN_VALUE) {
      RemoteMetrics.maxUpdate(metrics.highestReadMillis, highest);
    }
    if (kept < n) {
      metrics.samplesDropped.increment(n - kept);
    }
    Progress.Mark mark = progress.open(e.segment(), e.endOffset(), kept);
    enqueue(mark, kept, refs, sers, ts, s.values(), null);
  }

  /**
   * Hands a record's {@code kept} samples (the non-null entries of {@code sers}) or exemplars,
   * all of {@code mark}, to their series' shards: one chunk per shard, in WAL order.
   */
  private void enqueue(Progress.Mark mark, int kept, long[] refs, byte[][][] sers, long[] ts,
      double[] vs, Labels[] exemplars) throws InterruptedException {
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
        c = chunks[idx] = new Chunk(counts[idx], mark, exemplars != null);
      }
      int j = at[idx]++;
      c.series[j] = sers[i];
      c.t[j] = ts[i];
      c.v[j] = vs[i];
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
        if (!running) {
          throw new InterruptedException();
        }
        checkBacklogEverySecond(System.currentTimeMillis());
        if (overflowing) {
          // Beyond the backlog limit: give up on the rest of this record.
          int rest = 0;
          for (int r = idx; r < k; r++) {
            rest += chunks[r] == null ? 0 : chunks[r].n;
          }
          metrics.samplesDropped.increment(rest);
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

  private void checkBacklogEverySecond(long now) {
    if (now - lastBacklogCheck < 1000) {
      return;
    }
    lastBacklogCheck = now;
    try {
      checkBacklog();
    } catch (IOException e) {
      LOG.debugf("remote write %s: cannot measure the backlog: %s", displayName, e);
    }
  }

  /** Skips ahead while the unsent part of the WAL is over the maximum backlog. */
  private void checkBacklog() throws IOException {
    long max = maxBacklogBytes.getAsLong();
    if (max <= 0) {
      overflowing = false;
      return;
    }
    long behind = bytesFrom(tailer.segment(), tailer.offset());
    Progress.Position acked = progress.acked();
    long unsent = acked == null ? behind : bytesFrom(acked.segment(), acked.offset());
    boolean over = unsent > max;
    if (over && !overflowing) {
      LOG.warnf(
          "remote write %s: %d bytes of WAL not yet sent exceed the maximum backlog of %d bytes;"
              + " dropping the oldest samples", displayName, unsent, max);
    }
    // Keep dropping until the reader is within half the limit of the WAL's end.
    overflowing = over || (overflowing && behind > max / 2);
    if (overflowing) {
      droppedBelow = Math.max(droppedBelow, tailer.segment());
    }
  }

  private long bytesFrom(int segment, long offset) throws IOException {
    long total = 0;
    try (var files = Files.newDirectoryStream(walDir)) {
      for (Path p : files) {
        String n = p.getFileName().toString();
        if (n.length() == 8 && n.chars().allMatch(Character::isDigit)) {
          int idx = Integer.parseInt(n);
          if (idx >= segment) {
            long size = Files.size(p);
            total += idx == segment ? Math.max(0, size - offset) : size;
          }
        }
      }
    } catch (java.nio.file.NoSuchFileException e) {
      // a segment deleted while listing
    }
    return total;
  }

  // ---- shards

  private void startShards(int n) {
    Shard[] sh = new Shard[n];
    for (int i = 0; i < n; i++) {
      sh[i] = new Shard(i);
      sh[i].start();
    }
    shards = sh;
    metrics.shards.set(n);
  }

  private void stopShards() {
    Shard[] sh = shards;
    if (sh == null) {
      return;
    }
    for (Shard s : sh) {
      s.queue.clear();
      s.interrupt();
    }
    for (Shard s : sh) {
      try {
        s.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    metrics.shards.set(0);
  }

  private void maybeReshard(long now) throws InterruptedException {
    double secs = (now - lastReshardCheck) / 1000.0;
    lastReshardCheck = now;
    inRate = ewma(inRate, samplesIn.getAndSet(0) / secs);
    outRate = ewma(outRate, samplesOut.getAndSet(0) / secs);
    outSeconds = ewma(outSeconds, sendNanos.getAndSet(0) / 1e9 / secs);
    int current = shards.length;
    int desired = desiredShards(current);
    metrics.desiredShards.set(desired);
    if (desired == current) {
      return;
    }
    if (now - lastFailureMillis < 2 * RESHARD_EVERY_MS) {
      return; // not while sends fail: flushing would wait for the receiver
    }
    LOG.infof("remote write %s: resharding from %d to %d shards", displayName, current, desired);
    for (Shard s : shards) {
      s.queue.force(FLUSH);
    }
    for (Shard s : shards) {
      s.join();
    }
    startShards(desired);
  }

  private int desiredShards(int current) {
    if (outRate <= 0 || outSeconds <= 0) {
      return current;
    }
    double timePerSample = outSeconds / outRate;
    double lagSeconds =
        Math.max(0, (metrics.highestReadMillis.get() - metrics.highestSentMillis.get()) / 1000.0);
    double pendingSamples = inRate * lagSeconds;
    double desired = timePerSample * (inRate + 0.01 * pendingSamples);
    // Stay put within 30 %, as small changes are not worth a flush.
    if (desired > current * 0.7 && desired < current * 1.3) {
      return current;
    }
    int d = (int) Math.ceil(desired);
    return Math.max(Math.max(1, q.minShards()), Math.min(q.maxShards(), d));
  }

  private static double ewma(double prev, double v) {
    return prev < 0 ? v : prev * 0.8 + v * 0.2;
  }

  /**
   * A shard's queue of chunks, bounded by the number of samples it holds ({@code capacity}); a
   * chunk larger than the capacity is taken when the queue is empty.
   */
  static final class ChunkQueue {
    private final java.util.concurrent.locks.ReentrantLock lock =
        new java.util.concurrent.locks.ReentrantLock();
    private final java.util.concurrent.locks.Condition notEmpty = lock.newCondition();
    private final java.util.concurrent.locks.Condition notFull = lock.newCondition();
    private final java.util.ArrayDeque<Chunk> chunks = new java.util.ArrayDeque<>();
    private final int capacity;
    private int samples;

    ChunkQueue(int capacity) {
      this.capacity = Math.max(1, capacity);
    }

    boolean offer(Chunk c, long timeout, TimeUnit unit) throws InterruptedException {
      long nanos = unit.toNanos(timeout);
      lock.lockInterruptibly();
      try {
        while (samples > 0 && samples + c.n > capacity) {
          if (nanos <= 0) {
            return false;
          }
          nanos = notFull.awaitNanos(nanos);
        }
        add(c);
        return true;
      } finally {
        lock.unlock();
      }
    }

    /** Adds {@code c} whatever the queue holds (the flush marker). */
    void force(Chunk c) {
      lock.lock();
      try {
        add(c);
      } finally {
        lock.unlock();
      }
    }

    private void add(Chunk c) {
      chunks.add(c);
      samples += c.n;
      notEmpty.signal();
    }

    /** The next chunk, waiting at most {@code nanos} (forever when negative); null on timeout. */
    Chunk poll(long nanos) throws InterruptedException {
      lock.lockInterruptibly();
      try {
        while (chunks.isEmpty()) {
          if (nanos < 0) {
            notEmpty.await();
          } else if (nanos == 0) {
            return null;
          } else {
            nanos = notEmpty.awaitNanos(nanos);
            if (nanos <= 0 && chunks.isEmpty()) {
              return null;
            }
          }
        }
        Chunk c = chunks.poll();
        samples -= c.n;
        notFull.signal();
        return c;
      } finally {
        lock.unlock();
      }
    }

    void clear() {
      lock.lock();
      try {
        chunks.clear();
        samples = 0;
        notFull.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** A sending shard: its queue, its batch, its encoder. */
  private final class Shard extends Thread {
    final ChunkQueue queue = new ChunkQueue(q.capacity());
    private final WriteRequestEncoder encoder = new WriteRequestEncoder();
    private final int max = Math.max(1, q.maxSamplesPerSend());
    // The batch being filled, as parallel arrays.
    private final byte[][][] bs = new byte[max][][];
    private final long[] bt = new long[max];
    private final double[] bv = new double[max];
    private final Labels[] be = new Labels[max];
    private final Progress.Mark[] bm = new Progress.Mark[max];
    private int bn;
    private final long[] ts = new long[max];
    private final double[] vs = new double[max];
    private final long[] ets = new long[max];
    private final double[] evs = new double[max];
    private final Labels[] els = new Labels[max];

    Shard(int index) {
      super("quarry-remote-write-" + displayName + "-shard-" + index);
      setDaemon(true);
    }

    @Override
    public void run() {
      long deadlineNanos = Math.max(1, q.batchSendDeadline().toNanos());
      long firstAt = 0;
      Chunk cur = null;
      int off = 0;
      try {
        while (true) {
          if (cur == null) {
            long wait = bn == 0 ? -1 : Math.max(0, deadlineNanos - (System.nanoTime() - firstAt));
            cur = bn > 0 && wait == 0 ? null : queue.poll(wait);
            off = 0;
            if (cur == FLUSH) {
              if (bn > 0) {
                send();
              }
              return;
            }
          }
          if (cur != null) {
            if (bn == 0) {
              firstAt = System.nanoTime();
            }
            int take = Math.min(max - bn, cur.n - off);
            System.arraycopy(cur.series, off, bs, bn, take);
            System.arraycopy(cur.t, off, bt, bn, take);
            System.arraycopy(cur.v, off, bv, bn, take);
            if (cur.exemplars != null) {
              System.arraycopy(cur.exemplars, off, be, bn, take);
            }
            java.util.Arrays.fill(bm, bn, bn + take, cur.mark);
            bn += take;
            off += take;
            if (off == cur.n) {
              cur = null;
            }
          }
          if (bn > 0 && (bn >= max || System.nanoTime() - firstAt >= deadlineNanos)) {
            send();
          }
        }
      } catch (InterruptedException e) {
        // stopping: what is not acknowledged stays in the WAL
      }
    }

    private void send() throws InterruptedException {
      int n = bn;
      // One TimeSeries per run of the same series (one label array per ref): samples of a
      // series that follow each other in the batch share its labels.
      encoder.reset();
      long highest = Long.MIN_VALUE;
      int at = 0;
      int eat = 0;
      int i = 0;
      while (i < n) {
        byte[][] s = bs[i];
        int from = at;
        int efrom = eat;
        for (; i < n && bs[i] == s; i++) {
          if (be[i] != null) {
            ets[eat] = bt[i];
            evs[eat] = bv[i];
            els[eat] = be[i];
            eat++;
          } else {
            ts[at] = bt[i];
            vs[at] = bv[i];
            highest = Math.max(highest, bt[i]);
            at++;
          }
        }
        int size = 0;
        for (byte[] part : s) {
          size += part.length;
        }
        encoder.addSeries(s, size, ts, vs, from, at - from, ets, evs, els, efrom, eat - efrom);
      }
      byte[] body = HttpSender.compress(encoder.array(), encoder.length());
      int samples = at;
      if (attempt(body, n, "samples")) {
        metrics.samplesSent.increment(samples);
        metrics.exemplarsSent.increment(eat);
        samplesOut.addAndGet(n);
        if (highest != Long.MIN_VALUE) {
          RemoteMetrics.maxUpdate(metrics.highestSentMillis, highest);
        }
      } else {
        metrics.samplesFailed.increment(samples);
        metrics.exemplarsFailed.increment(eat);
      }
      progress.done(bm, n);
      metrics.pending.addAndGet(-n);
      java.util.Arrays.fill(bs, 0, n, null);
      java.util.Arrays.fill(be, 0, n, null);
      java.util.Arrays.fill(bm, 0, n, null);
      java.util.Arrays.fill(els, 0, eat, null);
      bn = 0;
    }
  }

  /**
   * Sends one compressed request until it is acknowledged (true) or answered with a
   * non-recoverable error (false). Interrupted only when the queue stops.
   */
  private boolean attempt(byte[] body, int n, String what) throws InterruptedException {
    long backoff = Math.max(1, q.minBackoff().toMillis());
    long maxBackoff = Math.max(backoff, q.maxBackoff().toMillis());
    while (true) {
      if (abandon) {
        throw new InterruptedException();
      }
      long t0 = System.nanoTime();
      HttpSender.Result r = sender.send(body);
      long took = System.nanoTime() - t0;
      metrics.sendDuration.record(took, TimeUnit.NANOSECONDS);
      if (r.ok()) {
        sendNanos.addAndGet(took);
        metrics.bytesSent.increment(body.length);
        return true;
      }
      boolean recoverable =
          r.status() == 0 || r.status() / 100 == 5 || (r.status() == 429 && q.retryOnHttp429());
      if (!recoverable) {
        LOG.errorf(
            "remote write %s: the receiver answered %d to a batch of %d %s, which are dropped: %s",
            displayName, r.status(), n, what, r.message().trim());
        return false;
      }
      lastFailureMillis = System.currentTimeMillis();
      if (what.equals("samples")) {
        metrics.samplesRetried.increment(n);
      }
      long sleep = backoff;
      long retryAfter = retryAfterMillis(r.retryAfter());
      if (retryAfter >= 0) {
        sleep = retryAfter;
      }
      LOG.warnf("remote write %s: %s; retrying %d %s in %d ms", displayName,
          r.status() == 0 ? r.message() : "the receiver answered " + r.status() + ": " + r.message().trim(),
          n, what, sleep);
      Thread.sleep(sleep);
      backoff = Math.min(maxBackoff, backoff * 2);
    }
  }

  /** {@code Retry-After} in seconds or as an HTTP date, in milliseconds; -1 when absent or bad. */
  static long retryAfterMillis(String header) {
    if (header == null || header.isBlank()) {
      return -1;
    }
    String h = header.trim();
    try {
      return Math.max(0, Long.parseLong(h)) * 1000;
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME);
        return Math.max(0, at.toInstant().toEpochMilli() - System.currentTimeMillis());
      } catch (RuntimeException e2) {
        return -1;
      }
    }
  }

  // ---- metadata

  private void sendMetadata() {
    try {
      List<Map.Entry<String, Metadata>> all = new ArrayList<>(familyMetadata.entrySet());
      all.sort(Map.Entry.comparingByKey());
      int per = Math.max(1, config.metadataConfig().maxSamplesPerSend());
      WriteRequestEncoder enc = new WriteRequestEncoder();
      for (int i = 0; i < all.size() && running; i += per) {
        enc.reset();
        int end = Math.min(all.size(), i + per);
        for (int j = i; j < end; j++) {
          enc.addMetadata(all.get(j).getKey(), all.get(j).getValue());
        }
        byte[] body = HttpSender.compress(enc.array(), enc.length());
        if (attemptOnce(body)) {
          metrics.metadataSent.increment(end - i);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warnf("remote write %s: sending metadata failed: %s", displayName, e.toString());
    }
  }

  private boolean attemptOnce(byte[] body) throws InterruptedException {
    HttpSender.Result r = sender.send(body);
    if (r.ok()) {
      metrics.bytesSent.increment(body.length);
      return true;
    }
    LOG.debugf("remote write %s: metadata not accepted (%d): %s", displayName, r.status(), r.message());
    return false;
  }

  /**
   * The metric family of a series name given its type: the name without the suffixes the type's
   * samples carry ({@code _total} of counters; {@code _bucket}, {@code _sum}, {@code _count} of
   * histograms and summaries; {@code _info} of info metrics is part of the name).
   */
  static String familyName(String name, String type) {
    if (name == null) {
      return "";
    }
    String t = type == null ? "" : type;
    List<String> suffixes =
        switch (t) {
          case "counter" -> List.of("_total");
          case "histogram", "gaugehistogram" -> List.of("_bucket", "_sum", "_count", "_gsum", "_gcount");
          case "summary" -> List.of("_sum", "_count");
          default -> List.of();
        };
    for (String s : suffixes) {
      if (name.endsWith(s) && name.length() > s.length()) {
        return name.substring(0, name.length() - s.length());
      }
    }
    return name;
  }
}
