package dev.quarry.storage.file;

import dev.quarry.util.IdlePool;

/**
 * The reusable memory of one file store's appenders: the batch arrays of a commit, so a scrape's
 * batch does not regrow each time, and the buffers its WAL write is encoded into. Owned by the
 * store ({@link FileStorage}) and sized by it, so two stores (or two tests) share nothing.
 * Thread-safe: an appender takes its batch on one thread and may give it back on another.
 */
final class AppendScratch {
  /** A batch's arrays beyond this many entries are not kept. */
  private static final int MAX_KEPT_BATCH = 1 << 16;

  /** A WAL buffer beyond this many bytes is not kept. */
  private static final int MAX_KEPT_BUFFER = 8 << 20;

  /** The parallel arrays of one batch; held by one appender at a time. */
  static final class Batch {
    HeadSeries[] series = new HeadSeries[64];
    long[] refs = new long[64];
    long[] ts = new long[64];
    double[] vs = new double[64];
  }

  private final IdlePool<Batch> batches;
  private final IdlePool<ByteSink> buffers;

  /**
   * @param idleBatches batches kept for reuse; more than commits run at once are not needed
   * @param idleBuffers WAL encode buffers kept for reuse
   */
  AppendScratch(int idleBatches, int idleBuffers) {
    this.batches = new IdlePool<>(idleBatches);
    this.buffers = new IdlePool<>(idleBuffers);
  }

  /** An idle batch, or a new one. */
  Batch takeBatch() {
    Batch b = batches.take();
    return b != null ? b : new Batch();
  }

  /**
   * Keeps {@code b} for the next appender unless it grew huge; its series array must be cleared.
   */
  void giveBatch(Batch b) {
    if (b.series.length <= MAX_KEPT_BATCH) {
      batches.give(b);
    }
  }

  /** An idle WAL buffer (reset), or a new one. */
  ByteSink takeBuffer() {
    ByteSink b = buffers.take();
    if (b == null) {
      return new ByteSink(1 << 16);
    }
    b.reset();
    return b;
  }

  /** Keeps {@code b} for the next commit unless it grew huge. */
  void giveBuffer(ByteSink b) {
    if (b.array().length <= MAX_KEPT_BUFFER) {
      buffers.give(b);
    }
  }
}
