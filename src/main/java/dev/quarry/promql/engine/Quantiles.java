package dev.quarry.promql.engine;

import dev.quarry.model.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prometheus' quantile.go: φ-quantiles of values (quantile, quantile_over_time) with linear
 * interpolation between ranks, and histogram_quantile over classic {@code le} buckets with their
 * edge cases: φ outside [0, 1] gives ±Inf, NaN φ gives NaN, no {@code +Inf} bucket or fewer than
 * two buckets or no observations give NaN, a rank in the +Inf bucket gives the second-highest
 * bound, a first bucket with a bound ≤ 0 gives that bound; buckets of equal bound are summed and
 * counts forced monotonic. Native histograms in the vector are evaluated by {@link
 * NativeHistograms#quantile}, before the classic ones.
 */
final class Quantiles {
  private Quantiles() {}

  /** Ascending with NaN first, as Prometheus' vectorByValueHeap orders values. */
  static final Comparator<Double> NAN_FIRST =
      (a, b) -> {
        boolean an = Double.isNaN(a);
        boolean bn = Double.isNaN(b);
        if (an || bn) {
          return an && bn ? 0 : an ? -1 : 1;
        }
        return Double.compare(a, b) == 0 ? 0 : a < b ? -1 : 1;
      };

  static double quantile(double q, double[] values, int n) {
    if (n == 0) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    Double[] sorted = new Double[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = values[i];
    }
    Arrays.sort(sorted, NAN_FIRST);
    double rank = q * (n - 1);
    double lower = Math.max(0, Math.floor(rank));
    double upper = Math.min(n - 1, lower + 1);
    double weight = rank - Math.floor(rank);
    return sorted[(int) lower] * (1 - weight) + sorted[(int) upper] * weight;
  }

  /** histogram_quantile(φ, buckets) at one step. */
  static List<Sample> histogramQuantile(double q, List<Sample> in, long ts) {
    Map<Labels, List<double[]>> groups = new LinkedHashMap<>();
    Map<Labels, Labels> outLabels = new LinkedHashMap<>();
    List<Sample> natives = new ArrayList<>();
    for (Sample s : in) {
      if (s.h() != null) {
        natives.add(s);
        continue;
      }
      double le;
      try {
        le = parseGoFloat(s.metric().get("le"));
      } catch (NumberFormatException e) {
        continue; // no or a malformed le label: skipped, as in Prometheus
      }
      Labels sig = s.metric().toBuilder().del("le").build();
      groups
          .computeIfAbsent(
              sig,
              k -> {
                outLabels.put(k, LabelOps.dropName(k));
                return new ArrayList<>();
              })
          .add(new double[] {le, s.v()});
    }
    List<Sample> out = new ArrayList<>(groups.size() + natives.size());
    for (Sample s : natives) {
      // A native histogram and classic buckets of the same series: 2.42 evaluates neither.
      if (groups.remove(s.metric()) != null) {
        continue;
      }
      out.add(new Sample(LabelOps.dropName(s.metric()), ts, NativeHistograms.quantile(q, s.h())));
    }
    for (Map.Entry<Labels, List<double[]>> e : groups.entrySet()) {
      out.add(new Sample(outLabels.get(e.getKey()), ts, bucketQuantile(q, e.getValue())));
    }
    return out;
  }

  static double bucketQuantile(double q, List<double[]> buckets) {
    if (Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    List<double[]> b = new ArrayList<>(buckets);
    b.sort((x, y) -> Double.compare(x[0], y[0]));
    if (b.get(b.size() - 1)[0] != Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    List<double[]> c = new ArrayList<>(b.size());
    for (double[] x : b) {
      if (!c.isEmpty() && c.get(c.size() - 1)[0] == x[0]) {
        c.get(c.size() - 1)[1] += x[1];
      } else {
        c.add(new double[] {x[0], x[1]});
      }
    }
    double max = Double.NEGATIVE_INFINITY;
    for (double[] x : c) {
      if (x[1] > max) {
        max = x[1];
      } else if (x[1] < max) {
        x[1] = max;
      }
    }
    if (c.size() < 2) {
      return Double.NaN;
    }
    double observations = c.get(c.size() - 1)[1];
    if (observations == 0) {
      return Double.NaN;
    }
    double rank = q * observations;
    int i = 0;
    while (i < c.size() - 1 && !(c.get(i)[1] >= rank)) {
      i++;
    }
    if (i == c.size() - 1) {
      return c.get(c.size() - 2)[0];
    }
    if (i == 0 && c.get(0)[0] <= 0) {
      return c.get(0)[0];
    }
    double bucketStart = 0;
    double bucketEnd = c.get(i)[0];
    double count = c.get(i)[1];
    if (i > 0) {
      bucketStart = c.get(i - 1)[0];
      count -= c.get(i - 1)[1];
      rank -= c.get(i - 1)[1];
    }
    return bucketStart + (bucketEnd - bucketStart) * (rank / count);
  }

  /** Go's {@code strconv.ParseFloat} for the forms le values take ({@code +Inf}, {@code 1e3}). */
  static double parseGoFloat(String s) {
    String l = s.toLowerCase(Locale.ROOT);
    switch (l) {
      case "inf", "+inf", "infinity", "+infinity":
        return Double.POSITIVE_INFINITY;
      case "-inf", "-infinity":
        return Double.NEGATIVE_INFINITY;
      case "nan":
        return Double.NaN;
      default:
        if (l.isEmpty()
            || l.endsWith("d")
            || l.endsWith("f")
            || l.contains("infinity")
            || l.contains("nan")) {
          throw new NumberFormatException(s);
        }
        return Double.parseDouble(s);
    }
  }
}
