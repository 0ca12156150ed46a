package dev.quarry.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * Arithmetic on {@link FloatHistogram}s as Prometheus 2.42's query engine does it: sums and
 * differences on the lower of the two schemas (buckets of a finer schema merged into the coarser
 * one's, as {@code CopyToSchema}), scaling, counter reset detection ({@code DetectReset}). Results
 * are new compacted histograms (empty buckets dropped, as {@code Compact(0)}); zero buckets of
 * different widths are reconciled first ({@code reconcileZeroBuckets}). Inputs are never changed.
 * Stateless.
 */
public final class FloatHistograms {
  private FloatHistograms() {}

  /** {@code a + b}, on the lower schema and the wider zero bucket. */
  public static FloatHistogram add(FloatHistogram a, FloatHistogram b) {
    return combine(a, b, 1);
  }

  /** {@code a - b}, on the lower schema and the wider zero bucket. */
  public static FloatHistogram sub(FloatHistogram a, FloatHistogram b) {
    return combine(a, b, -1);
  }

  /** Every count and the sum multiplied by {@code f}. */
  public static FloatHistogram scale(FloatHistogram h, double f) {
    FloatHistogram out =
        new FloatHistogram()
            .set(h.schema(), h.zeroThreshold(), h.zeroCount() * f, h.count() * f, h.sum() * f)
            .hint(h.hint());
    out.positiveSpans().copyFrom(h.positiveSpans());
    out.negativeSpans().copyFrom(h.negativeSpans());
    for (int i = 0; i < h.positiveBucketCount(); i++) {
      out.addPositiveCount(h.positiveCount(i) * f);
    }
    for (int i = 0; i < h.negativeBucketCount(); i++) {
      out.addNegativeCount(h.negativeCount(i) * f);
    }
    return out;
  }

  /**
   * Whether {@code curr} follows a counter reset after {@code prev}, as {@code DetectReset}: its
   * hint says so, or (hint unknown or gauge) its count or zero count dropped, its schema got finer,
   * its zero bucket got narrower, or one of {@code prev}'s buckets (on the lower schema) lost
   * observations.
   */
  public static boolean detectReset(FloatHistogram curr, FloatHistogram prev) {
    switch (curr.hint()) {
      case COUNTER_RESET:
        return true;
      case NOT_COUNTER_RESET:
        return false;
      default:
        break;
    }
    if (curr.count() < prev.count()
        || curr.schema() > prev.schema()
        || curr.zeroThreshold() < prev.zeroThreshold()
        || curr.zeroCount() < prev.zeroCount()) {
      return true;
    }
    int schema = curr.schema();
    return lost(side(prev, true, schema), side(curr, true, schema))
        || lost(side(prev, false, schema), side(curr, false, schema));
  }

  private static boolean lost(Map<Integer, Double> prev, Map<Integer, Double> curr) {
    for (Map.Entry<Integer, Double> e : prev.entrySet()) {
      if (curr.getOrDefault(e.getKey(), 0.0) < e.getValue()) {
        return true;
      }
    }
    return false;
  }

  /** {@code h} on {@code schema} (not above its own), compacted. */
  public static FloatHistogram toSchema(FloatHistogram h, int schema) {
    return build(
        schema,
        h.zeroThreshold(),
        h.zeroCount(),
        h.count(),
        h.sum(),
        side(h, true, schema),
        side(h, false, schema),
        h.hint());
  }

  private static FloatHistogram combine(FloatHistogram a, FloatHistogram b, double sign) {
    int schema = Math.min(a.schema(), b.schema());
    Map<Integer, Double> pos = side(a, true, schema);
    Map<Integer, Double> neg = side(a, false, schema);
    Map<Integer, Double> posB = side(b, true, schema);
    Map<Integer, Double> negB = side(b, false, schema);
    double zt = a.zeroThreshold();
    double zero = a.zeroCount() + sign * b.zeroCount();
    if (a.zeroThreshold() != b.zeroThreshold()) {
      zt =
          widenedThreshold(
              Math.max(a.zeroThreshold(), b.zeroThreshold()), schema, pos, neg, posB, negB);
      // as 2.42 adds: each side's zero count with its buckets taken in, then the two
      double za = absorb(absorb(a.zeroCount(), pos, schema, zt), neg, schema, zt);
      double zb = absorb(absorb(b.zeroCount(), posB, schema, zt), negB, schema, zt);
      zero = za + sign * zb;
    }
    posB.forEach((k, v) -> pos.merge(k, sign * v, Double::sum));
    negB.forEach((k, v) -> neg.merge(k, sign * v, Double::sum));
    return build(
        schema,
        zt,
        zero,
        a.count() + sign * b.count(),
        a.sum() + sign * b.sum(),
        pos,
        neg,
        CounterResetHint.UNKNOWN);
  }

  /**
   * The zero threshold that takes in both zero buckets, as {@code reconcileZeroBuckets}: the larger
   * one, raised to the upper bound of a populated bucket it would fall within, until none.
   */
  @SafeVarargs
  private static double widenedThreshold(double zt, int schema, Map<Integer, Double>... sides) {
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Map<Integer, Double> side : sides) {
        for (Map.Entry<Integer, Double> e : side.entrySet()) {
          double lower = HistogramBuckets.bound(e.getKey() - 1, schema);
          double upper = HistogramBuckets.bound(e.getKey(), schema);
          if (e.getValue() != 0 && lower < zt && upper > zt) {
            zt = upper;
            changed = true;
          }
        }
      }
    }
    return zt;
  }

  /** {@code zero} plus the buckets below the zero threshold, which leave {@code side}. */
  private static double absorb(double zero, Map<Integer, Double> side, int schema, double zt) {
    var it = side.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Integer, Double> e = it.next();
      if (HistogramBuckets.bound(e.getKey() - 1, schema) < zt) {
        zero += e.getValue();
        it.remove();
      }
    }
    return zero;
  }

  /** One side's counts by bucket index on {@code schema} (not above the histogram's). */
  static Map<Integer, Double> side(FloatHistogram h, boolean positive, int schema) {
    Spans spans = positive ? h.positiveSpans() : h.negativeSpans();
    int shift = h.schema() - schema;
    Map<Integer, Double> out = new TreeMap<>();
    int idx = 0;
    int b = 0;
    for (int s = 0; s < spans.size(); s++) {
      idx += spans.offset(s);
      for (long j = 0; j < spans.length(s); j++, idx++, b++) {
        double c = positive ? h.positiveCount(b) : h.negativeCount(b);
        int target = shift == 0 ? idx : ((idx - 1) >> shift) + 1;
        out.merge(target, c, Double::sum);
      }
    }
    return out;
  }

  private static FloatHistogram build(
      int schema,
      double zt,
      double zeroCount,
      double count,
      double sum,
      Map<Integer, Double> pos,
      Map<Integer, Double> neg,
      CounterResetHint hint) {
    FloatHistogram h = new FloatHistogram().set(schema, zt, zeroCount, count, sum).hint(hint);
    fill(h.positiveSpans(), pos, h, true);
    fill(h.negativeSpans(), neg, h, false);
    return h;
  }

  private static void fill(
      Spans spans, Map<Integer, Double> counts, FloatHistogram h, boolean pos) {
    int next = 0;
    boolean first = true;
    for (Map.Entry<Integer, Double> e : counts.entrySet()) {
      if (e.getValue() == 0) {
        continue;
      }
      int idx = e.getKey();
      if (!first && idx == next) {
        spans.extendLast();
      } else {
        spans.add(first ? idx : idx - next, 1);
      }
      first = false;
      next = idx + 1;
      if (pos) {
        h.addPositiveCount(e.getValue());
      } else {
        h.addNegativeCount(e.getValue());
      }
    }
  }
}
