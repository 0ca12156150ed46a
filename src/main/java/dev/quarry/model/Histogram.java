package dev.quarry.model;

import java.util.Arrays;

/**
 * An integer native histogram, as Prometheus' {@code histogram.Histogram}: schema, zero bucket,
 * observation count and sum, and per side the spans and the bucket counts as deltas (each bucket's
 * count minus the previous bucket's, the first one absolute). Mutable so that a parser can fill one
 * instance per sample without allocating ({@link #reset()}); owned by one thread at a time. Use
 * {@link #copy()} to keep one.
 */
public final class Histogram {
  private CounterResetHint hint = CounterResetHint.UNKNOWN;
  private int schema;
  private double zeroThreshold;
  private long zeroCount;
  private long count;
  private double sum;
  private final Spans positiveSpans = new Spans();
  private final Spans negativeSpans = new Spans();
  private long[] positiveDeltas = new long[8];
  private int positiveSize;
  private long[] negativeDeltas = new long[8];
  private int negativeSize;

  /** Empties the histogram: schema 0, no buckets, hint {@link CounterResetHint#UNKNOWN}. */
  public Histogram reset() {
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

  public Histogram set(int schema, double zeroThreshold, long zeroCount, long count, double sum) {
    this.schema = schema;
    this.zeroThreshold = zeroThreshold;
    this.zeroCount = zeroCount;
    this.count = count;
    this.sum = sum;
    return this;
  }

  public Histogram hint(CounterResetHint hint) {
    this.hint = hint;
    return this;
  }

  public Histogram addPositiveDelta(long delta) {
    if (positiveSize == positiveDeltas.length) {
      positiveDeltas = Arrays.copyOf(positiveDeltas, positiveSize * 2);
    }
    positiveDeltas[positiveSize++] = delta;
    return this;
  }

  public Histogram addNegativeDelta(long delta) {
    if (negativeSize == negativeDeltas.length) {
      negativeDeltas = Arrays.copyOf(negativeDeltas, negativeSize * 2);
    }
    negativeDeltas[negativeSize++] = delta;
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

  /** The zero bucket's count (unsigned on the wire; kept as read). */
  public long zeroCount() {
    return zeroCount;
  }

  /** The observation count (unsigned on the wire; kept as read). */
  public long count() {
    return count;
  }

  public double sum() {
    return sum;
  }

  /** The positive side's spans, to read or to fill. */
  public Spans positiveSpans() {
    return positiveSpans;
  }

  /** The negative side's spans, to read or to fill. */
  public Spans negativeSpans() {
    return negativeSpans;
  }

  public int positiveBucketCount() {
    return positiveSize;
  }

  public long positiveDelta(int i) {
    return positiveDeltas[i];
  }

  public int negativeBucketCount() {
    return negativeSize;
  }

  public long negativeDelta(int i) {
    return negativeDeltas[i];
  }

  /**
   * Checks the histogram as Prometheus' {@code Histogram.Validate} does, and that the schema is an
   * exponential one (-4 to 8): the spans of each side describe as many buckets as it has, no span
   * but the first has a negative offset, no bucket count is negative, and the buckets and the zero
   * bucket add up to the count (at most the count when the sum is NaN: NaN observations are in no
   * bucket).
   */
  public void validate() throws InvalidHistogramException {
    checkSchema(schema);
    negativeSpans.check("negative side", negativeSize);
    positiveSpans.check("positive side", positiveSize);
    long n = bucketTotal("negative side", negativeDeltas, negativeSize);
    long p = bucketTotal("positive side", positiveDeltas, positiveSize);
    long inBuckets = n + p + zeroCount;
    if (Double.isNaN(sum)) {
      if (Long.compareUnsigned(inBuckets, count) > 0) {
        throw new InvalidHistogramException(
            Long.toUnsignedString(inBuckets)
                + " observations found in buckets, but the Count field is "
                + Long.toUnsignedString(count)
                + ": histogram's observation count should be at least the number of observations"
                + " found in the buckets");
      }
    } else if (inBuckets != count) {
      throw new InvalidHistogramException(
          Long.toUnsignedString(inBuckets)
              + " observations found in buckets, but the Count field is "
              + Long.toUnsignedString(count)
              + ": histogram's observation count should equal the number of observations found"
              + " in the buckets (in absence of NaN)");
    }
  }

  static void checkSchema(int schema) throws InvalidHistogramException {
    if (schema < HistogramBuckets.SCHEMA_MIN || schema > HistogramBuckets.SCHEMA_MAX) {
      throw new InvalidHistogramException(
          "histogram has an invalid schema, which must be between "
              + HistogramBuckets.SCHEMA_MIN
              + " and "
              + HistogramBuckets.SCHEMA_MAX
              + " for exponential buckets, got schema "
              + schema);
    }
  }

  private static long bucketTotal(String side, long[] deltas, int size)
      throws InvalidHistogramException {
    long last = 0;
    long total = 0;
    for (int i = 0; i < size; i++) {
      long c = last + deltas[i];
      if (c < 0) {
        throw new InvalidHistogramException(
            side
                + ": bucket number "
                + (i + 1)
                + " has observation count of "
                + c
                + ": histogram has a bucket whose observation count is negative");
      }
      last = c;
      total += c;
    }
    return total;
  }

  /**
   * Drops the empty buckets and joins adjacent spans, as Prometheus' {@code Compact(0)}, which its
   * protobuf parser applies to every native histogram: the result has only non-empty buckets, in
   * spans as long as possible. Call it on a valid histogram only.
   */
  public Histogram compact() {
    positiveSize = compactSide(positiveSpans, positiveDeltas);
    negativeSize = compactSide(negativeSpans, negativeDeltas);
    return this;
  }

  private static int compactSide(Spans spans, long[] deltas) {
    Spans old = new Spans();
    old.copyFrom(spans);
    spans.clear();
    int out = 0;
    long abs = 0;
    long lastKept = 0;
    int idx = 0;
    int b = 0;
    int nextIdx = Integer.MIN_VALUE; // index just after the last kept bucket
    for (int s = 0; s < old.size(); s++) {
      idx += old.offset(s);
      for (long j = 0; j < old.length(s); j++, idx++, b++) {
        abs += deltas[b];
        if (abs == 0) {
          continue;
        }
        if (idx == nextIdx) {
          spans.extendLast();
        } else {
          spans.add(spans.size() == 0 ? idx : idx - nextIdx, 1);
        }
        deltas[out++] = abs - lastKept;
        lastKept = abs;
        nextIdx = idx + 1;
      }
    }
    return out;
  }

  /**
   * Fills {@code into} with this histogram as float counts (absolute per bucket), as Prometheus'
   * {@code Histogram.ToFloat}, and returns it.
   */
  public FloatHistogram toFloat(FloatHistogram into) {
    into.reset().hint(hint).set(schema, zeroThreshold, unsigned(zeroCount), unsigned(count), sum);
    into.positiveSpans().copyFrom(positiveSpans);
    into.negativeSpans().copyFrom(negativeSpans);
    long c = 0;
    for (int i = 0; i < positiveSize; i++) {
      c += positiveDeltas[i];
      into.addPositiveCount(c);
    }
    c = 0;
    for (int i = 0; i < negativeSize; i++) {
      c += negativeDeltas[i];
      into.addNegativeCount(c);
    }
    return into;
  }

  private static double unsigned(long v) {
    return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
  }

  /** An independent copy. */
  public Histogram copy() {
    Histogram h = new Histogram().set(schema, zeroThreshold, zeroCount, count, sum).hint(hint);
    h.positiveSpans.copyFrom(positiveSpans);
    h.negativeSpans.copyFrom(negativeSpans);
    h.positiveDeltas = Arrays.copyOf(positiveDeltas, Math.max(positiveSize, 1));
    h.positiveSize = positiveSize;
    h.negativeDeltas = Arrays.copyOf(negativeDeltas, Math.max(negativeSize, 1));
    h.negativeSize = negativeSize;
    return h;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Histogram h
        && h.hint == hint
        && h.schema == schema
        && Double.compare(h.zeroThreshold, zeroThreshold) == 0
        && h.zeroCount == zeroCount
        && h.count == count
        && Double.compare(h.sum, sum) == 0
        && h.positiveSpans.equals(positiveSpans)
        && h.negativeSpans.equals(negativeSpans)
        && Arrays.equals(positiveDeltas, 0, positiveSize, h.positiveDeltas, 0, h.positiveSize)
        && Arrays.equals(negativeDeltas, 0, negativeSize, h.negativeDeltas, 0, h.negativeSize);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(count) * 31 + schema * 7 + positiveSpans.hashCode();
  }

  @Override
  public String toString() {
    return "Histogram{schema="
        + schema
        + ", count="
        + Long.toUnsignedString(count)
        + ", sum="
        + sum
        + ", zero="
        + zeroThreshold
        + ":"
        + Long.toUnsignedString(zeroCount)
        + ", positive="
        + positiveSpans
        + Arrays.toString(Arrays.copyOf(positiveDeltas, positiveSize))
        + ", negative="
        + negativeSpans
        + Arrays.toString(Arrays.copyOf(negativeDeltas, negativeSize))
        + ", hint="
        + hint
        + "}";
  }
}
