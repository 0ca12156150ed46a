package dev.quarry.textparse;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Float formatting as Go's {@code strconv.FormatFloat(f, 'g', -1, 64)} and Prometheus' {@code
 * formatOpenMetricsFloat} on top of it, which the protobuf parser uses for {@code le} and {@code
 * quantile} values: the shortest digits that read back to the same float, exponent form ({@code
 * 1e+06}, {@code 1e-05}) when the decimal exponent is below -4 or at least 6, and {@code .0}
 * appended when the result has neither a dot nor an exponent. Stateless.
 */
public final class FloatFormat {
  private FloatFormat() {}

  /** Prometheus' {@code formatOpenMetricsFloat}: {@code 1.0}, {@code 0.25}, {@code +Inf}. */
  public static String openMetrics(double f) {
    if (Double.isNaN(f)) {
      return "NaN";
    }
    if (Double.isInfinite(f)) {
      return f > 0 ? "+Inf" : "-Inf";
    }
    String g = goG(f);
    return g.indexOf('.') >= 0 || g.indexOf('e') >= 0 ? g : g + ".0";
  }

  /** Go's {@code strconv.FormatFloat(f, 'g', -1, 64)} for a finite {@code f}. */
  public static String goG(double f) {
    if (f == 0) {
      return (Double.doubleToRawLongBits(f) < 0) ? "-0" : "0";
    }
    BigDecimal d = shortest(Math.abs(f));
    String digits = d.unscaledValue().toString();
    int exp = digits.length() - 1 - d.scale(); // decimal exponent of the first digit
    StringBuilder sb = new StringBuilder(24);
    if (f < 0) {
      sb.append('-');
    }
    // Go: %e when exp < -4 || exp >= eprec, and eprec is 6 for the shortest form.
    if (exp < -4 || exp >= 6) {
      sb.append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits, 1, digits.length());
      }
      sb.append('e').append(exp < 0 ? '-' : '+');
      int a = Math.abs(exp);
      if (a < 10) {
        sb.append('0');
      }
      return sb.append(a).toString();
    }
    if (exp < 0) {
      sb.append("0.");
      for (int i = -1; i > exp; i--) {
        sb.append('0');
      }
      return sb.append(digits).toString();
    }
    if (digits.length() <= exp + 1) {
      sb.append(digits);
      for (int i = digits.length(); i <= exp; i++) {
        sb.append('0');
      }
      return sb.toString();
    }
    return sb.append(digits, 0, exp + 1)
        .append('.')
        .append(digits, exp + 1, digits.length())
        .toString();
  }

  /**
   * The decimal with the fewest digits that reads back as {@code f}, the closest one of them, as
   * Go's shortest formatting picks it (JDK 17's {@code Double.toString} is not always shortest:
   * {@code 4.9E-324}). Allocates; the cache below keeps it off the hot path.
   */
  private static BigDecimal shortest(double f) {
    BigDecimal exact = new BigDecimal(f);
    for (int p = 1; p < 17; p++) {
      BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (r.doubleValue() == f) {
        return r.stripTrailingZeros();
      }
    }
    return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
  }

  /**
   * A small direct-mapped cache of {@link #openMetrics} results, for the bucket bounds and
   * quantiles that repeat on every series of a family: formatting allocates, a hit does not. Owned
   * by one parser's thread.
   */
  static final class Cache {
    private static final int SIZE = 256;
    private final long[] keys = new long[SIZE];
    private final String[] values = new String[SIZE];

    String openMetrics(double f) {
      long bits = Double.doubleToRawLongBits(f);
      int i = (int) ((bits * 0x9E3779B97F4A7C15L) >>> 56);
      String v = values[i];
      if (v != null && keys[i] == bits) {
        return v;
      }
      v = FloatFormat.openMetrics(f);
      keys[i] = bits;
      values[i] = v;
      return v;
    }
  }
}
