package dev.quarry.model;

/**
 * Lowers the resolution of a native histogram to a smaller schema in place, as Prometheus' {@code
 * ReduceResolution}: each bucket index {@code i} of schema {@code s} goes to {@code ((i - 1) >> (s
 * - t)) + 1} of schema {@code t}, buckets that land on one index add up, and the spans are rebuilt
 * (a gap of empty buckets stays a gap, empty buckets inside a span stay). Count, sum, zero bucket
 * and hint are kept. Stateless; the histogram belongs to the caller's thread.
 */
public final class SchemaReduction {
  private SchemaReduction() {}

  /** The index of schema {@code to} that bucket {@code idx} of schema {@code from} falls into. */
  static int targetIndex(int idx, int from, int to) {
    return ((idx - 1) >> (from - to)) + 1;
  }

  /**
   * Reduces {@code h} to schema {@code to}; nothing happens when {@code to} is not below its
   * schema.
   */
  public static Histogram reduce(Histogram h, int to) {
    int from = h.schema();
    if (to >= from) {
      return h;
    }
    Side pos = new Side(h.positiveSpans(), h.positiveBucketCount());
    for (int i = 0; i < pos.in; i++) {
      pos.counts[i] = (i == 0 ? 0 : pos.counts[i - 1]) + h.positiveDelta(i);
    }
    Side neg = new Side(h.negativeSpans(), h.negativeBucketCount());
    for (int i = 0; i < neg.in; i++) {
      neg.counts[i] = (i == 0 ? 0 : neg.counts[i - 1]) + h.negativeDelta(i);
    }
    pos.merge(from, to);
    neg.merge(from, to);
    CounterResetHint hint = h.hint();
    long zc = h.zeroCount();
    long count = h.count();
    double zt = h.zeroThreshold();
    double sum = h.sum();
    h.reset().set(to, zt, zc, count, sum).hint(hint);
    pos.spans.copyFrom(pos.outSpans);
    neg.spans.copyFrom(neg.outSpans);
    for (int i = 0; i < pos.out; i++) {
      h.addPositiveDelta(pos.merged[i] - (i == 0 ? 0 : pos.merged[i - 1]));
    }
    for (int i = 0; i < neg.out; i++) {
      h.addNegativeDelta(neg.merged[i] - (i == 0 ? 0 : neg.merged[i - 1]));
    }
    return h;
  }

  /**
   * Reduces {@code h} to schema {@code to}; nothing happens when {@code to} is not below its
   * schema.
   */
  public static FloatHistogram reduce(FloatHistogram h, int to) {
    int from = h.schema();
    if (to >= from) {
      return h;
    }
    Side pos = new Side(h.positiveSpans(), h.positiveBucketCount());
    for (int i = 0; i < pos.in; i++) {
      pos.fcounts[i] = h.positiveCount(i);
    }
    Side neg = new Side(h.negativeSpans(), h.negativeBucketCount());
    for (int i = 0; i < neg.in; i++) {
      neg.fcounts[i] = h.negativeCount(i);
    }
    pos.merge(from, to);
    neg.merge(from, to);
    CounterResetHint hint = h.hint();
    double zc = h.zeroCount();
    double count = h.count();
    double zt = h.zeroThreshold();
    double sum = h.sum();
    h.reset().set(to, zt, zc, count, sum).hint(hint);
    pos.spans.copyFrom(pos.outSpans);
    neg.spans.copyFrom(neg.outSpans);
    for (int i = 0; i < pos.out; i++) {
      h.addPositiveCount(pos.fmerged[i]);
    }
    for (int i = 0; i < neg.out; i++) {
      h.addNegativeCount(neg.fmerged[i]);
    }
    return h;
  }

  /** One side's buckets as absolute counts (integer or float), before and after the merge. */
  private static final class Side {
    final Spans spans;
    final int in;
    final long[] counts;
    final double[] fcounts;
    final long[] merged;
    final double[] fmerged;
    final Spans outSpans = new Spans();
    int out;

    Side(Spans spans, int buckets) {
      this.spans = spans;
      this.in = buckets;
      this.counts = new long[buckets];
      this.fcounts = new double[buckets];
      this.merged = new long[buckets];
      this.fmerged = new double[buckets];
    }

    void merge(int from, int to) {
      int b = 0;
      int idx = 0;
      int last = 0;
      for (int s = 0; s < spans.size(); s++) {
        idx += spans.offset(s);
        long len = spans.length(s);
        for (long j = 0; j < len && b < in; j++, idx++, b++) {
          int t = targetIndex(idx, from, to);
          if (out > 0 && t == last) {
            merged[out - 1] += counts[b];
            fmerged[out - 1] += fcounts[b];
            continue;
          }
          if (out == 0) {
            outSpans.add(t, 1);
          } else if (t == last + 1) {
            outSpans.extendLast();
          } else {
            outSpans.add(t - last - 1, 1);
          }
          merged[out] = counts[b];
          fmerged[out] = fcounts[b];
          out++;
          last = t;
        }
      }
    }
  }
}
