package dev.quarry.promql.engine;

/**
 * The functions of Go's math package whose Java counterparts differ or are missing, computed as Go
 * computes them so results match Prometheus to the last bit: Log2, Asinh, Acosh, Atanh, Pow.
 */
final class GoMath {
  private static final double LN2 = 6.93147180559945286227e-01;
  private static final double LN10 = 2.30258509299404568401799145468436420760110148862877;
  private static final double NEAR_ZERO = 1.0 / (1 << 28);
  private static final double LARGE = 1 << 28;

  private GoMath() {}

  static double log2(double x) {
    if (Double.isNaN(x) || x < 0) {
      return Double.NaN;
    }
    if (x == 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (Double.isInfinite(x)) {
      return x;
    }
    int exp = Math.getExponent(x) + 1;
    double frac = x / Math.scalb(1.0, exp);
    if (exp < Double.MIN_EXPONENT) { // subnormal
      exp = Math.getExponent(x * 0x1p54) + 1 - 54;
      frac = x * 0x1p54 / Math.scalb(1.0, exp + 54);
    }
    if (frac == 0.5) {
      return exp - 1;
    }
    return Math.log(frac) * (1 / LN2) + exp;
  }

  /** Go's Log10, which is Log2 scaled. */
  static double log10(double x) {
    return log2(x) * (LN2 / LN10);
  }

  static double asinh(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return x;
    }
    boolean sign = x < 0;
    if (sign) {
      x = -x;
    }
    double t;
    if (x > LARGE) {
      t = Math.log(x) + LN2;
    } else if (x > 2) {
      t = Math.log(2 * x + 1 / (Math.sqrt(x * x + 1) + x));
    } else if (x < NEAR_ZERO) {
      t = x;
    } else {
      t = Math.log1p(x + x * x / (1 + Math.sqrt(1 + x * x)));
    }
    return sign ? -t : t;
  }

  static double acosh(double x) {
    if (x < 1 || Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x == 1) {
      return 0;
    }
    if (x >= LARGE) {
      return Math.log(x) + LN2;
    }
    if (x > 2) {
      return Math.log(2 * x - 1 / (x + Math.sqrt(x * x - 1)));
    }
    double t = x - 1;
    return Math.log1p(t + Math.sqrt(2 * t + t * t));
  }

  static double atanh(double x) {
    if (x < -1 || x > 1 || Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x == 1 || x == -1) {
      return x * Double.POSITIVE_INFINITY;
    }
    boolean sign = x < 0;
    if (sign) {
      x = -x;
    }
    double t;
    if (x < NEAR_ZERO) {
      t = x;
    } else if (x < 0.5) {
      t = x + x;
      t = 0.5 * Math.log1p(t + t * x / (1 - x));
    } else {
      t = 0.5 * Math.log1p((x + x) / (1 - x));
    }
    return sign ? -t : t;
  }

  /** Go's Pow where it differs from Java's: 1^y = 1 and (-1)^±Inf = 1. */
  static double pow(double x, double y) {
    if (x == 1 || (x == -1 && Double.isInfinite(y))) {
      return 1;
    }
    return Math.pow(x, y);
  }

  /** Kahan-Neumaier compensated sum step: returns the new sum, {@code c[0]} the compensation. */
  static double kahanInc(double inc, double sum, double[] c) {
    double t = sum + inc;
    if (Math.abs(sum) >= Math.abs(inc)) {
      c[0] += (sum - t) + inc;
    } else {
      c[0] += (inc - t) + sum;
    }
    return t;
  }
}
