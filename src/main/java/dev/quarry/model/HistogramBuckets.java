package dev.quarry.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Bucket bounds and bucket iteration of native histograms with exponential schemas, as Prometheus'
 * {@code model/histogram}: bucket {@code i} of schema {@code s} on the positive side is {@code
 * (2^((i-1)/2^s), 2^(i/2^s)]}, the negative side mirrors it. Stateless and thread-safe.
 */
public final class HistogramBuckets {
  /** The lowest exponential schema. */
  public static final int SCHEMA_MIN = -4;

  /** The highest exponential schema. */
  public static final int SCHEMA_MAX = 8;

  /** Fractions in [0.5, 1) of schema 8, the table Prometheus computes bounds with. */
  private static final double[] FRACTIONS = loadFractions();

  private HistogramBuckets() {}

  /**
   * A bucket with its bounds and absolute count, as Prometheus' {@code histogram.Bucket}: {@code
   * index} is its index within the schema (irrelevant for the zero bucket).
   */
  public record Bucket(
      double lower,
      double upper,
      boolean lowerInclusive,
      boolean upperInclusive,
      double count,
      int index) {
    @Override
    public String toString() {
      return (lowerInclusive ? "[" : "(")
          + lower
          + ","
          + upper
          + (upperInclusive ? "]" : ")")
          + ":"
          + count;
    }
  }

  /**
   * The upper bound of bucket {@code idx} of {@code schema} (-4 to 8), as Prometheus' {@code
   * getBound}: the last finite bucket ends at {@link Double#MAX_VALUE}, the one above it at +Inf.
   */
  public static double bound(int idx, int schema) {
    if (schema < 0) {
      long exp = (long) idx << -schema;
      if (exp == 1024) {
        return Double.MAX_VALUE;
      }
      return Math.scalb(1.0, (int) Math.max(Math.min(exp, 2000), -2000));
    }
    int fracIdx = idx & ((1 << schema) - 1);
    double frac = FRACTIONS[fracIdx << (8 - schema)];
    int exp = (idx >> schema) + 1;
    if (frac == 0.5 && exp == 1025) {
      return Double.MAX_VALUE;
    }
    return Math.scalb(frac, exp);
  }

  /**
   * The buckets of one side, lowest absolute value first: {@code counts} are absolute counts, one
   * per bucket the spans describe (checked by the caller's validation).
   */
  public static List<Bucket> side(int schema, Spans spans, double[] counts, boolean positive) {
    List<Bucket> out = new ArrayList<>();
    int idx = 0;
    int b = 0;
    for (int s = 0; s < spans.size(); s++) {
      idx += spans.offset(s);
      for (long j = 0; j < spans.length(s); j++, idx++, b++) {
        double upper = bound(idx, schema);
        double lower = bound(idx - 1, schema);
        if (positive) {
          out.add(new Bucket(lower, upper, false, true, counts[b], idx));
        } else {
          out.add(new Bucket(-upper, -lower, true, false, counts[b], idx));
        }
      }
    }
    return out;
  }

  /**
   * Every bucket from the lowest to the highest value, as Prometheus' {@code AllBucketIterator}:
   * negative buckets, the zero bucket {@code [-threshold, threshold]} when its count is positive,
   * then positive buckets; a bucket overlapping the zero bucket is cut at the threshold.
   */
  public static List<Bucket> all(FloatHistogram h) {
    List<Bucket> out = new ArrayList<>();
    List<Bucket> neg = side(h.schema(), h.negativeSpans(), h.negativeCountsCopy(), false);
    double zt = h.zeroThreshold();
    for (int i = neg.size() - 1; i >= 0; i--) {
      Bucket b = neg.get(i);
      if (b.upper() < 0 && b.upper() > -zt) {
        b =
            new Bucket(
                b.lower(), -zt, b.lowerInclusive(), b.upperInclusive(), b.count(), b.index());
      }
      out.add(b);
    }
    if (h.zeroCount() > 0) {
      out.add(new Bucket(-zt, zt, true, true, h.zeroCount(), 0));
    }
    for (Bucket b : side(h.schema(), h.positiveSpans(), h.positiveCountsCopy(), true)) {
      if (b.lower() > 0 && b.lower() < zt) {
        b = new Bucket(zt, b.upper(), b.lowerInclusive(), b.upperInclusive(), b.count(), b.index());
      }
      out.add(b);
    }
    return out;
  }

  private static double[] loadFractions() {
    InputStream in = HistogramBuckets.class.getResourceAsStream("exponential-bounds.txt");
    if (in == null) {
      throw new IllegalStateException("exponential-bounds.txt missing from the class path");
    }
    double[] f = new double[256];
    int n = 0;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        for (String v : line.trim().split("\\s+")) {
          f[n++] = Double.parseDouble(v);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (n != 256) {
      throw new IllegalStateException("exponential-bounds.txt has " + n + " values, not 256");
    }
    return f;
  }
}
