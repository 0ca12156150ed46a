package dev.quarry.promql.engine;

import dev.quarry.model.CounterResetHint;
import dev.quarry.model.FloatHistogram;
import dev.quarry.model.FloatHistograms;
import dev.quarry.model.HistogramBuckets.Bucket;
import dev.quarry.model.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * PromQL on native histograms as Prometheus 2.42 evaluates it: histogram_count, histogram_sum,
 * histogram_fraction and histogram_quantile (linear interpolation within a bucket, the zero bucket
 * taken as starting or ending at 0 when the histogram has buckets on one side only), rate, increase
 * and delta of a window of histograms (counter resets added back, on the lowest schema, no point
 * when the window mixes floats and histograms), and sum (a group mixing floats and histograms has
 * no value). Stateless.
 */
final class NativeHistograms {
  private NativeHistograms() {}

  /** histogram_count or histogram_sum at one step: one float per histogram, name dropped. */
  static List<Sample> countOrSum(List<Sample> in, long ts, boolean count) {
    List<Sample> out = new ArrayList<>(in.size());
    for (Sample s : in) {
      if (s.h() != null) {
        double v = count ? s.h().count() : s.h().sum();
        out.add(new Sample(LabelOps.dropName(s.metric()), ts, v));
      }
    }
    return out;
  }

  /** histogram_fraction(lower, upper, v) at one step. */
  static List<Sample> fraction(double lower, double upper, List<Sample> in, long ts) {
    List<Sample> out = new ArrayList<>(in.size());
    for (Sample s : in) {
      if (s.h() != null) {
        out.add(new Sample(LabelOps.dropName(s.metric()), ts, fraction(lower, upper, s.h())));
      }
    }
    return out;
  }

  /** The bucket with the zero bucket's open side moved to 0 when only one side has buckets. */
  private static Bucket zeroAdjusted(Bucket b, FloatHistogram h) {
    if (b.lower() < 0 && b.upper() > 0) {
      if (h.negativeBucketCount() == 0 && h.positiveBucketCount() > 0) {
        return new Bucket(0, b.upper(), true, true, b.count(), b.index());
      } else if (h.positiveBucketCount() == 0 && h.negativeBucketCount() > 0) {
        return new Bucket(b.lower(), 0, true, true, b.count(), b.index());
      }
    }
    return b;
  }

  static double fraction(double lower, double upper, FloatHistogram h) {
    if (h.count() == 0 || Double.isNaN(lower) || Double.isNaN(upper)) {
      return Double.NaN;
    }
    if (lower >= upper) {
      return 0;
    }
    double rank = 0;
    double lowerRank = 0;
    double upperRank = 0;
    boolean lowerSet = false;
    boolean upperSet = false;
    for (Bucket raw : h.allBuckets()) {
      Bucket b = zeroAdjusted(raw, h);
      if (!lowerSet && b.lower() >= lower) {
        lowerRank = rank;
        lowerSet = true;
      }
      if (!upperSet && b.lower() >= upper) {
        upperRank = rank;
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      if (!lowerSet && b.lower() < lower && b.upper() > lower) {
        lowerRank = rank + b.count() * (lower - b.lower()) / (b.upper() - b.lower());
        lowerSet = true;
      }
      if (!upperSet && b.lower() < upper && b.upper() > upper) {
        upperRank = rank + b.count() * (upper - b.lower()) / (b.upper() - b.lower());
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      rank += b.count();
    }
    if (!lowerSet || lowerRank > h.count()) {
      lowerRank = h.count();
    }
    if (!upperSet || upperRank > h.count()) {
      upperRank = h.count();
    }
    return (upperRank - lowerRank) / h.count();
  }

  static double quantile(double q, FloatHistogram h) {
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    if (h.count() == 0 || Double.isNaN(q)) {
      return Double.NaN;
    }
    double rank = q * h.count();
    double count = 0;
    Bucket bucket = null;
    for (Bucket b : h.allBuckets()) {
      bucket = b;
      count += b.count();
      if (count >= rank) {
        break;
      }
    }
    if (bucket == null) {
      return Double.NaN;
    }
    bucket = zeroAdjusted(bucket, h);
    if (count > h.count()) {
      count = h.count();
    }
    if (count < rank) {
      return bucket.upper();
    }
    rank -= count - bucket.count();
    return bucket.lower() + (bucket.upper() - bucket.lower()) * (rank / bucket.count());
  }

  /** Whether the window has a histogram point. */
  static boolean hasHistogram(RangeFunctions.Window w) {
    for (int i = 0; i < w.n(); i++) {
      if (w.s().h(w.lo() + i) != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * rate, increase ({@code counter}) or delta of a window holding a histogram point, or null for no
   * point: fewer than two points or floats among them.
   */
  static FloatHistogram rate(RangeFunctions.Window w, boolean counter, boolean rate) {
    int n = w.n();
    if (n < 2) {
      return null;
    }
    int schema = Integer.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      FloatHistogram h = w.s().h(w.lo() + i);
      if (h == null) {
        return null;
      }
      schema = Math.min(schema, h.schema());
    }
    FloatHistogram first = w.s().h(w.lo());
    FloatHistogram result =
        FloatHistograms.sub(
            FloatHistograms.toSchema(w.s().h(w.lo() + n - 1), schema),
            FloatHistograms.toSchema(first, schema));
    if (counter) {
      FloatHistogram prev = first;
      for (int i = 1; i < n; i++) {
        FloatHistogram curr = w.s().h(w.lo() + i);
        if (FloatHistograms.detectReset(curr, prev)) {
          result = FloatHistograms.add(result, FloatHistograms.toSchema(prev, schema));
        }
        prev = curr;
      }
    }
    double toStart = (w.t(0) - w.mint()) / 1000.0;
    double toEnd = (w.ref() - w.t(n - 1)) / 1000.0;
    double sampled = (w.t(n - 1) - w.t(0)) / 1000.0;
    double avgBetween = sampled / (n - 1);
    double threshold = avgBetween * 1.1;
    double interval = sampled;
    interval += toStart < threshold ? toStart : avgBetween / 2;
    interval += toEnd < threshold ? toEnd : avgBetween / 2;
    double factor = interval / sampled;
    if (rate) {
      factor /= w.rangeMs() / 1000.0;
    }
    return FloatHistograms.scale(result, factor).hint(CounterResetHint.GAUGE);
  }

  /**
   * sum of the matrix {@code in} (some of whose points are histograms) grouped by {@code key}, step
   * by step; groups in order of first appearance, each step's values in input order.
   */
  static List<Series> sum(Evaluator ev, List<Series> in, UnaryOperator<Labels> key) {
    Map<Labels, Series> out = new LinkedHashMap<>();
    Map<Labels, Object> acc = new LinkedHashMap<>();
    int[] cursor = new int[in.size()];
    for (long ts = ev.start; ts <= ev.end; ts += ev.interval) {
      ev.budget.check();
      acc.clear();
      Map<Labels, boolean[]> kinds = new LinkedHashMap<>();
      for (int i = 0; i < in.size(); i++) {
        Series s = in.get(i);
        int c = cursor[i];
        if (c >= s.size() || s.t(c) != ts) {
          continue;
        }
        cursor[i] = c + 1;
        Labels k = key.apply(s.metric());
        boolean[] kind = kinds.computeIfAbsent(k, x -> new boolean[2]);
        FloatHistogram h = s.h(c);
        Object prev = acc.get(k);
        if (h != null) {
          kind[1] = true;
          if (prev == null) {
            acc.put(k, h);
          } else if (prev instanceof FloatHistogram ph) {
            acc.put(k, FloatHistograms.add(ph, h));
          }
        } else {
          kind[0] = true;
          if (prev == null) {
            acc.put(k, s.v(c));
          } else if (prev instanceof Double d) {
            acc.put(k, d + s.v(c));
          }
        }
      }
      for (Map.Entry<Labels, Object> e : acc.entrySet()) {
        boolean[] kind = kinds.get(e.getKey());
        if (kind[0] && kind[1]) {
          continue; // 2.42 cannot aggregate floats with histograms
        }
        Series s = out.computeIfAbsent(e.getKey(), l -> new Series(l, ev.steps()));
        if (e.getValue() instanceof FloatHistogram h) {
          s.add(ts, 0, FloatHistograms.toSchema(h, h.schema()));
        } else {
          s.add(ts, (Double) e.getValue());
        }
        ev.budget.add(1);
      }
    }
    return new ArrayList<>(out.values());
  }
}
