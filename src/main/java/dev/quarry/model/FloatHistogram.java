package dev.quarry.model;

import java.util.Arrays;
import java.util.List;

/**
 * A float native histogram, as Prometheus' {@code histogram.FloatHistogram}: like {@link Histogram}
 * but with absolute float counts per bucket (a target that exposes {@code sample_count_float} or
 * {@code zero_count_float}). Mutable so that a parser can fill one instance per sample without
 * allocating ({@link #reset()}); owned by one thread at a time. Use {@link #copy()} to keep one.
 */
public final class FloatHistogram {
  private CounterResetHint hint = CounterResetHint.UNKNOWN;
  private int schema;
  private double zeroThreshold;
  private double zeroCount;
  private double count;
  private double sum;
  private final Spans positiveSpans = new Spans();
  private final Spans negativeSpans = new Spans();
  private double[] positiveCounts = new double[8];
  private int positiveSize;
  private double[] negativeCounts = new double[8];
  private int negativeSize;

  /** Empties the histogram: schema 0, no buckets, hint {@link CounterResetHint#UNKNOWN}. */
  public FloatHistogram reset() {
    hint = CounterResetHint.UNKNOWN;
    schema = 0;
    zeroThreshold = 0;
    zeroCount = 0;
    count = 0;
    sum = 0;
    positiveSpans.clear();
    negativeSpans.clear();
    positiveSize = 0;
    negativeSize = 0;
    return this;
  }

  public FloatHistogram set(
      int schema, double zeroThreshold, double zeroCount, double count, double sum) {
    this.schema = schema;
    this.zeroThreshold = zeroThreshold;
    this.zeroCount = zeroCount;
    this.count = count;
    this.sum = sum;
    return this;
  }

  public FloatHistogram hint(CounterResetHint hint) {
    this.hint = hint;
    return this;
  }

  public FloatHistogram addPositiveCount(double c) {
    if (positiveSize == positiveCounts.length) {
      positiveCounts = Arrays.copyOf(positiveCounts, positiveSize * 2);
    }
    positiveCounts[positiveSize++] = c;
    return this;
  }

  public FloatHistogram addNegativeCount(double c) {
    if (negativeSize == negativeCounts.length) {
      negativeCounts = Arrays.copyOf(negativeCounts, negativeSize * 2);
    }
    negativeCounts[negativeSize++] = c;
    return this;
  }

  public CounterResetHint hint() {
    return hint;
  }

  public int schema() {
    return schema;
  }

  public double zeroThreshold() {
    return zeroThreshold;
  }

  public double zeroCount() {
    return zeroCount;
  }

  public double count() {
    return count;
  }

  public double sum() {
    return sum;
  }

  public Spans positiveSpans() {
    return positiveSpans;
  }

  public Spans negativeSpans() {
    return negativeSpans;
  }

  public int positiveBucketCount() {
    return positiveSize;
  }

  public double positiveCount(int i) {
    return positiveCounts[i];
  }

  public int negativeBucketCount() {
    return negativeSize;
  }

  public double negativeCount(int i) {
    return negativeCounts[i];
  }

  double[] positiveCountsCopy() {
    return Arrays.copyOf(positiveCounts, positiveSize);
  }

  double[] negativeCountsCopy() {
    return Arrays.copyOf(negativeCounts, negativeSize);
  }

  /**
   * Checks the histogram as Prometheus' {@code FloatHistogram.Validate} does, and that the schema
   * is an exponential one (-4 to 8): the spans of each side describe as many buckets as it has, no
   * span but the first has a negative offset, and no bucket count is negative. The count is not
   * compared with the buckets' total (float rounding would give false alarms), as in Prometheus.
   */
  public void validate() throws InvalidHistogramException {
    Histogram.checkSchema(schema);
    positiveSpans.check("positive side", positiveSize);
    negativeSpans.check("negative side", negativeSize);
    checkCounts("negative side", negativeCounts, negativeSize);
    checkCounts("positive side", positiveCounts, positiveSize);
  }

  private static void checkCounts(String side, double[] counts, int size)
      throws InvalidHistogramException {
    for (int i = 0; i < size; i++) {
      if (counts[i] < 0) {
        throw new InvalidHistogramException(
            side
                + ": bucket number "
                + (i + 1)
                + " has observation count of "
                + counts[i]
                + ": histogram has a bucket whose observation count is negative");
      }
    }
  }

  /**
   * Drops the empty buckets and joins adjacent spans, as Prometheus' {@code Compact(0)}, which its
   * protobuf parser applies to every native histogram. Call it on a valid histogram only.
   */
  public FloatHistogram compact() {
    positiveSize = compactSide(positiveSpans, positiveCounts);
    negativeSize = compactSide(negativeSpans, negativeCounts);
    return this;
  }

  private static int compactSide(Spans spans, double[] counts) {
    Spans old = new Spans();
    old.copyFrom(spans);
    spans.clear();
    int out = 0;
    int idx = 0;
    int b = 0;
    int nextIdx = Integer.MIN_VALUE;
    for (int s = 0; s < old.size(); s++) {
      idx += old.offset(s);
      for (long j = 0; j < old.length(s); j++, idx++, b++) {
        if (counts[b] == 0) {
          continue;
        }
        if (idx == nextIdx) {
          spans.extendLast();
        } else {
          spans.add(spans.size() == 0 ? idx : idx - nextIdx, 1);
        }
        counts[out++] = counts[b];
        nextIdx = idx + 1;
      }
    }
    return out;
  }

  /** The positive buckets, lowest first, as Prometheus' {@code PositiveBucketIterator}. */
  public List<HistogramBuckets.Bucket> positiveBuckets() {
    return HistogramBuckets.side(schema, positiveSpans, positiveCountsCopy(), true);
  }

  /** The negative buckets, lowest absolute value first, as {@code NegativeBucketIterator}. */
  public List<HistogramBuckets.Bucket> negativeBuckets() {
    return HistogramBuckets.side(schema, negativeSpans, negativeCountsCopy(), false);
  }

  /** Every bucket from the lowest value up, as Prometheus' {@code AllBucketIterator}. */
  public List<HistogramBuckets.Bucket> allBuckets() {
    return HistogramBuckets.all(this);
  }

  /** An independent copy. */
  public FloatHistogram copy() {
    FloatHistogram h =
        new FloatHistogram().set(schema, zeroThreshold, zeroCount, count, sum).hint(hint);
    h.positiveSpans.copyFrom(positiveSpans);
    h.negativeSpans.copyFrom(negativeSpans);
    h.positiveCounts = Arrays.copyOf(positiveCounts, Math.max(positiveSize, 1));
    h.positiveSize = positiveSize;
    h.negativeCounts = Arrays.copyOf(negativeCounts, Math.max(negativeSize, 1));
    h.negativeSize = negativeSize;
    return h;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FloatHistogram h
        && h.hint == hint
        && h.schema == schema
        && Double.compare(h.zeroThreshold, zeroThreshold) == 0
        && Double.compare(h.zeroCount, zeroCount) == 0
        && Double.compare(h.count, count) == 0
        && Double.compare(h.sum, sum) == 0
        && h.positiveSpans.equals(positiveSpans)
        && h.negativeSpans.equals(negativeSpans)
        && Arrays.equals(positiveCounts, 0, positiveSize, h.positiveCounts, 0, h.positiveSize)
        && Arrays.equals(negativeCounts, 0, negativeSize, h.negativeCounts, 0, h.negativeSize);
  }

  @Override
  public int hashCode() {
    return Double.hashCode(count) * 31 + schema * 7 + positiveSpans.hashCode();
  }

  @Override
  public String toString() {
    return "FloatHistogram{schema="
        + schema
        + ", count="
        + count
        + ", sum="
        + sum
        + ", zero="
        + zeroThreshold
        + ":"
        + zeroCount
        + ", positive="
        + positiveSpans
        + Arrays.toString(Arrays.copyOf(positiveCounts, positiveSize))
        + ", negative="
        + negativeSpans
        + Arrays.toString(Arrays.copyOf(negativeCounts, negativeSize))
        + ", hint="
        + hint
        + "}";
  }
}
