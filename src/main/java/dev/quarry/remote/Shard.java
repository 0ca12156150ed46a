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
  private final WriteFormat format;
  private WriteRequestV2Encoder encoderV2; // made on the first 2.0 batch
  private final SnappyBlock snappy = new SnappyBlock();
  private final int max;
  // The batch being filled, as parallel arrays.
  private final byte[][][] bs;
  private final long[] bt;
  private final double[] bv;
  private final Labels[] be;
  private final Object[] bh;
  private final Progress.Mark[] bm;
  private int bn;
  // The batch split into samples and exemplars while encoding.
  private final long[] ts;
  private final double[] vs;
  private final Clock clock;
  private final long[] ets;
  private final double[] evs;
  private final Labels[] els;
  private final long[] hts;
  private final Object[] hhs;
  // One run of a series per entry: its labels, and where its samples, exemplars, histograms end.
  private final byte[][][] runSeries;
  private final int[] runAt;
  private final int[] runEat;
  private final int[] runHat;

  Shard(
      String name,
      QueueConfig q,
      BatchSender sender,
      Progress progress,
      RemoteMetrics metrics,
      AtomicLong samplesOut,
      Clock clock,
      WriteFormat format) {
    super(name);
    this.format = format;
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
    this.bh = new Object[max];
    this.hts = new long[max];
    this.hhs = new Object[max];
    this.runSeries = new byte[max][][];
    this.runAt = new int[max + 1];
    this.runEat = new int[max + 1];
    this.runHat = new int[max + 1];
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
        if (cur.histograms != null) {
          System.arraycopy(cur.histograms, off, bh, bn, take);
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
    long highest = Long.MIN_VALUE;
    int at = 0;
    int eat = 0;
    int hat = 0;
    int runs = 0;
    int i = 0;
    while (i < n) {
      byte[][] s = bs[i];
      for (; i < n && bs[i] == s; i++) {
        if (be[i] != null) {
          ets[eat] = bt[i];
          evs[eat] = bv[i];
          els[eat] = be[i];
          eat++;
        } else if (bh[i] != null) {
          hts[hat] = bt[i];
          hhs[hat] = bh[i];
          highest = Math.max(highest, bt[i]);
          hat++;
        } else {
          ts[at] = bt[i];
          vs[at] = bv[i];
          highest = Math.max(highest, bt[i]);
          at++;
        }
      }
      runSeries[runs] = s;
      runs++;
      runAt[runs] = at;
      runEat[runs] = eat;
      runHat[runs] = hat;
    }
    boolean v2 = format.isV2();
    HttpSender.Result r = sender.attempt(encode(runs, v2), n, "samples", v2);
    if (v2 && r.status() == 415) {
      format.fallBack(sender.displayName(), sender.shownUrl());
      v2 = false;
      r = sender.attempt(encode(runs, false), n, "samples", false);
    }
    if (r.ok()) {
      // The written counts answer 2.0 requests only.
      metrics.samplesSent.increment(v2 ? written(r.samplesWritten(), at) : at);
      metrics.exemplarsSent.increment(v2 ? written(r.exemplarsWritten(), eat) : eat);
      metrics.histogramsSent.increment(v2 ? written(r.histogramsWritten(), hat) : hat);
      samplesOut.addAndGet(n);
      if (highest != Long.MIN_VALUE) {
        RemoteMetrics.maxUpdate(metrics.highestSentMillis, highest);
      }
    } else {
      metrics.samplesFailed.increment(at);
      metrics.exemplarsFailed.increment(eat);
      metrics.histogramsFailed.increment(hat);
    }
    progress.done(bm, n);
    metrics.pending.addAndGet(-n);
    Arrays.fill(bs, 0, n, null);
    Arrays.fill(be, 0, n, null);
    Arrays.fill(bh, 0, n, null);
    Arrays.fill(bm, 0, n, null);
    Arrays.fill(els, 0, eat, null);
    Arrays.fill(hhs, 0, hat, null);
    Arrays.fill(runSeries, 0, runs, null);
    bn = 0;
  }

  /**
   * What a receiver says it wrote (2.0's written-count headers), or what was sent when it says
   * nothing; a partial write is logged.
   */
  private long written(long confirmed, int sent) {
    if (confirmed < 0 || confirmed == sent) {
      return sent;
    }
    sender.partialWrite(confirmed, sent);
    return Math.min(confirmed, sent);
  }

  /** The batch's runs as one compressed request, 2.0 or 1.0. */
  private byte[] encode(int runs, boolean v2) {
    if (v2) {
      if (encoderV2 == null) {
        encoderV2 = new WriteRequestV2Encoder();
      }
      encoderV2.reset();
      for (int r = 0; r < runs; r++) {
        byte[][] s = runSeries[r];
        int from = runAt[r];
        int efrom = runEat[r];
        int hfrom = runHat[r];
        encoderV2.addSeries(
            s,
            format.metadataOf(s),
            ts,
            vs,
            from,
            runAt[r + 1] - from,
            ets,
            evs,
            els,
            efrom,
            runEat[r + 1] - efrom,
            hts,
            hhs,
            hfrom,
            runHat[r + 1] - hfrom);
      }
      byte[] raw = encoderV2.toByteArray();
      return snappy.compress(raw, raw.length);
    }
    encoder.reset();
    for (int r = 0; r < runs; r++) {
      byte[][] s = runSeries[r];
      int size = 0;
      for (byte[] part : s) {
        size += part.length;
      }
      int from = runAt[r];
      int efrom = runEat[r];
      int hfrom = runHat[r];
      int sn = runAt[r + 1] - from;
      int en = runEat[r + 1] - efrom;
      int hn = runHat[r + 1] - hfrom;
      if (sn > 0 || en > 0) {
        encoder.addSeries(s, size, ts, vs, from, sn, ets, evs, els, efrom, en);
      }
      if (hn > 0) {
        HistogramMessages.addSeriesV1(encoder, s, size, hts, hhs, hfrom, hn);
      }
    }
    return snappy.compress(encoder.array(), encoder.length());
  }
}
