package dev.quarry.promql.engine;

/**
 * The functions over a range vector, applied to one series' window at one step, as Prometheus
 * 2.42's functions.go computes them: rate/increase/delta extrapolate to the window's boundaries
 * (counter resets added back, never extrapolating below zero), irate/idelta use the last two
 * points, deriv/predict_linear fit least squares (predict_linear's intercept at the evaluation
 * time), the {@code _over_time} aggregations with compensated sums. A function returns {@link
 * #NONE} where Prometheus emits no point.
 */
final class RangeFunctions {
  private RangeFunctions() {}

  /** "No output at this step": a NaN with a payload no computation produces. */
  static final double NONE = Double.longBitsToDouble(0x7ff8_0000_dead_beefL);

  static boolean isNone(double v) {
    return Double.doubleToRawLongBits(v) == 0x7ff8_0000_dead_beefL;
  }

  /**
   * The points {@code [lo, hi)} of {@code s} in the window {@code [mint, ref]} of a selector of
   * {@code rangeMs}, at evaluation time {@code ts}.
   */
  record Window(Series s, int lo, int hi, long mint, long ref, long rangeMs, long ts) {
    int n() {
      return hi - lo;
    }

    long t(int i) {
      return s.t(lo + i);
    }

    double v(int i) {
      return s.v(lo + i);
    }
  }

  @FunctionalInterface
  interface Fn {
    double apply(Window w, double[] params);
  }

  static Fn of(String name) {
    return switch (name) {
      case "rate" -> (w, p) -> extrapolatedRate(w, true, true);
      case "increase" -> (w, p) -> extrapolatedRate(w, true, false);
      case "delta" -> (w, p) -> extrapolatedRate(w, false, false);
      case "irate" -> (w, p) -> instantValue(w, true);
      case "idelta" -> (w, p) -> instantValue(w, false);
      case "deriv" -> (w, p) -> w.n() < 2 ? NONE : regression(w, w.t(0))[0];
      case "predict_linear" ->
          (w, p) -> {
            if (w.n() < 2) {
              return NONE;
            }
            double[] si = regression(w, w.ts());
            return si[0] * p[1] + si[1];
          };
      case "holt_winters" -> (w, p) -> holtWinters(w, p[1], p[2]);
      case "changes" ->
          (w, p) -> {
            int changes = 0;
            double prev = w.v(0);
            for (int i = 1; i < w.n(); i++) {
              double cur = w.v(i);
              if (cur != prev && !(Double.isNaN(cur) && Double.isNaN(prev))) {
                changes++;
              }
              prev = cur;
            }
            return changes;
          };
      case "resets" ->
          (w, p) -> {
            int resets = 0;
            double prev = w.v(0);
            for (int i = 1; i < w.n(); i++) {
              double cur = w.v(i);
              if (cur < prev) {
                resets++;
              }
              prev = cur;
            }
            return resets;
          };
      default -> OverTime.of(name);
    };
  }

  private static double extrapolatedRate(Window w, boolean counter, boolean rate) {
    int n = w.n();
    if (n < 2) {
      return NONE;
    }
    double first = w.v(0);
    double result = w.v(n - 1) - first;
    if (counter) {
      double last = 0;
      for (int i = 0; i < n; i++) {
        double v = w.v(i);
        if (v < last) {
          result += last;
        }
        last = v;
      }
    }
    double toStart = (w.t(0) - w.mint()) / 1000.0;
    double toEnd = (w.ref() - w.t(n - 1)) / 1000.0;
    double sampled = (w.t(n - 1) - w.t(0)) / 1000.0;
    double avgBetween = sampled / (n - 1);
    if (counter && result > 0 && first >= 0) {
      double toZero = sampled * (first / result);
      if (toZero < toStart) {
        toStart = toZero;
      }
    }
    double threshold = avgBetween * 1.1;
    double interval = sampled;
    interval += toStart < threshold ? toStart : avgBetween / 2;
    interval += toEnd < threshold ? toEnd : avgBetween / 2;
    double factor = interval / sampled;
    if (rate) {
      factor /= w.rangeMs() / 1000.0;
    }
    return result * factor;
  }

  private static double instantValue(Window w, boolean rate) {
    int n = w.n();
    if (n < 2) {
      return NONE;
    }
    double last = w.v(n - 1);
    double prev = w.v(n - 2);
    double result = rate && last < prev ? last : last - prev;
    long interval = w.t(n - 1) - w.t(n - 2);
    if (interval == 0) {
      return NONE;
    }
    if (rate) {
      result /= interval / 1000.0;
    }
    return result;
  }

  /** Least squares over the window with x in seconds from {@code interceptTime}. */
  static double[] regression(Window w, long interceptTime) {
    double n = 0;
    double sumX = 0;
    double sumY = 0;
    double sumXY = 0;
    double sumX2 = 0;
    double[] cX = {0};
    double[] cY = {0};
    double[] cXY = {0};
    double[] cX2 = {0};
    double initY = w.v(0);
    boolean constY = true;
    for (int i = 0; i < w.n(); i++) {
      double v = w.v(i);
      if (constY && i > 0 && v != initY) {
        constY = false;
      }
      n += 1;
      double x = (w.t(i) - interceptTime) / 1e3;
      sumX = GoMath.kahanInc(x, sumX, cX);
      sumY = GoMath.kahanInc(v, sumY, cY);
      sumXY = GoMath.kahanInc(x * v, sumXY, cXY);
      sumX2 = GoMath.kahanInc(x * x, sumX2, cX2);
    }
    if (constY) {
      if (Double.isInfinite(initY)) {
        return new double[] {Double.NaN, Double.NaN};
      }
      return new double[] {0, initY};
    }
    sumX += cX[0];
    sumY += cY[0];
    sumXY += cXY[0];
    sumX2 += cX2[0];
    double covXY = sumXY - sumX * sumY / n;
    double varX = sumX2 - sumX * sumX / n;
    double slope = covXY / varX;
    return new double[] {slope, sumY / n - slope * sumX / n};
  }

  private static double holtWinters(Window w, double sf, double tf) {
    if (sf <= 0 || sf >= 1) {
      throw EvalException.exec(
          "invalid smoothing factor. Expected: 0 < sf < 1, got: " + String.format("%f", sf));
    }
    if (tf <= 0 || tf >= 1) {
      throw EvalException.exec(
          "invalid trend factor. Expected: 0 < tf < 1, got: " + String.format("%f", tf));
    }
    int l = w.n();
    if (l < 2) {
      return NONE;
    }
    double s0 = 0;
    double s1 = w.v(0);
    double b = w.v(1) - w.v(0);
    for (int i = 1; i < l; i++) {
      double x = sf * w.v(i);
      if (i - 1 != 0) {
        b = tf * (s1 - s0) + (1 - tf) * b;
      }
      double y = (1 - sf) * (s1 + b);
      s0 = s1;
      s1 = x + y;
    }
    return s1;
  }
}
