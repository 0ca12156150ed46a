package dev.quarry.remote;

import dev.quarry.config.QueueConfig;
import dev.quarry.model.Labels;
import dev.quarry.util.Clock;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A sending shard: a thread of its own that takes chunks from its {@link #queue}, fills a batch and
 * sends it when it holds {@code max_samples_per_send} samples or its oldest sample has waited
 * {@code batch_send_deadline}. The batch arrays, the encoder and the compressor belong to the
 * shard's thread alone; the queue is the only state other threads touch. {@link #done} completes
 * when the thread ends: after a {@link Chunk#FLUSH} (its batch sent) or, interrupted, at once.
 */
final class Shard extends Thread {
  final ChunkQueue queue;
  final CompletableFuture<Void> done = new CompletableFuture<>();
  private final QueueConfig q;
  private final BatchSender sender;
  private final Progress progress;
  private final RemoteMetrics metrics;
  private final AtomicLong samplesOut;
  private final WriteRequestEncoder encoder = new WriteRequestEncoder();
  private final SnappyBlock snappy = new SnappyBlock();
  private final int max;
  // The batch being filled, as parallel arrays.
  private final byte[][][] bs;
  private final long[] bt;
  private final double[] bv;
  private final Labels[] be;
  private final Progress.Mark[] bm;
  private int bn;
  // The batch split into samples and exemplars while encoding.
  private final long[] ts;
  private final double[] vs;
  private final Clock clock;
  private final long[] ets;
  private final double[] evs;
  private final Labels[] els;

  Shard(
      String name,
      QueueConfig q,
      BatchSender sender,
      Progress progress,
      RemoteMetrics metrics,
      AtomicLong samplesOut,
      Clock clock) {
    super(name);
    this.clock = clock;
    setDaemon(true);
    this.queue = new ChunkQueue(q.capacity(), clock);
    this.q = q;
    this.sender = sender;
    this.progress = progress;
    this.metrics = metrics;
    this.samplesOut = samplesOut;
    this.max = Math.max(1, q.maxSamplesPerSend());
    this.bs = new byte[max][][];
    this.bt = new long[max];
    this.bv = new double[max];
    this.be = new Labels[max];
    this.bm = new Progress.Mark[max];
    this.ts = new long[max];
    this.vs = new double[max];
    this.ets = new long[max];
    this.evs = new double[max];
    this.els = new Labels[max];
  }

  @Override
  public void run() {
    try {
      batchLoop();
    } catch (InterruptedException e) {
      // stopping: what is not acknowledged stays in the WAL
    } finally {
      done.complete(null);
    }
  }

  private void batchLoop() throws InterruptedException {
    long deadlineNanos = Math.max(1, q.batchSendDeadline().toNanos());
    long firstAt = 0;
    Chunk cur = null;
    int off = 0;
    while (true) {
      if (cur == null) {
        long wait = bn == 0 ? -1 : Math.max(0, deadlineNanos - (clock.nanos() - firstAt));
        cur = bn > 0 && wait == 0 ? null : queue.poll(wait);
        off = 0;
        if (cur == Chunk.FLUSH) {
          if (bn > 0) {
            send();
          }
          return;
        }
      }
      if (cur != null) {
        if (bn == 0) {
          firstAt = clock.nanos();
        }
        int take = Math.min(max - bn, cur.n - off);
        System.arraycopy(cur.series, off, bs, bn, take);
        System.arraycopy(cur.t, off, bt, bn, take);
        System.arraycopy(cur.v, off, bv, bn, take);
        if (cur.exemplars != null) {
          System.arraycopy(cur.exemplars, off, be, bn, take);
        }
        Arrays.fill(bm, bn, bn + take, cur.mark);
        bn += take;
        off += take;
        if (off == cur.n) {
          cur = null;
        }
      }
      if (bn > 0 && (bn >= max || clock.nanos() - firstAt >= deadlineNanos)) {
        send();
      }
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
    byte[] body = snappy.compress(encoder.array(), encoder.length());
    int samples = at;
    if (sender.attempt(body, n, "samples")) {
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
    Arrays.fill(bs, 0, n, null);
    Arrays.fill(be, 0, n, null);
    Arrays.fill(bm, 0, n, null);
    Arrays.fill(els, 0, eat, null);
    bn = 0;
  }
}
