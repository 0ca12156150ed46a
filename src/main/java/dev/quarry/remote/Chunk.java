package dev.quarry.remote;

import dev.quarry.model.Labels;

/**
 * The samples (or, with {@code exemplars}, the exemplars, or the native histograms) of one WAL
 * record bound for one shard, in WAL order, all counted against the record's {@code mark}. The WAL
 * follower's thread fills a chunk before it queues it; after that only the shard that takes it
 * reads it, never writing.
 */
final class Chunk {
  /** Queued behind a shard's last chunk when resharding: the shard sends its batch and ends. */
  static final Chunk FLUSH = new Chunk(0, null, false);

  final byte[][][] series;
  final long[] t;
  final double[] v;
  final Labels[] exemplars;

  /** Native histograms ({@code Histogram} or {@code FloatHistogram}), or null: floats here. */
  final Object[] histograms;

  final Progress.Mark mark;
  final int n;

  Chunk(int n, Progress.Mark mark, boolean exemplars) {
    this(n, mark, exemplars, false);
  }

  Chunk(int n, Progress.Mark mark, boolean exemplars, boolean histograms) {
    this.series = new byte[n][][];
    this.t = new long[n];
    this.v = new double[n];
    this.exemplars = exemplars ? new Labels[n] : null;
    this.histograms = histograms ? new Object[n] : null;
    this.mark = mark;
    this.n = n;
  }
}
