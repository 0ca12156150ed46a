package dev.quarry.textparse;

/**
 * Float parsing that agrees with what Prometheus accepts.
 *
 * <p>Parsing accepts what Go's {@code strconv.ParseFloat} accepts in decimal form, minus what
 * Prometheus rejects on top ({@code p}, {@code P}, {@code _}, so no hexadecimal floats): an
 * optional sign, digits with an optional fraction, an optional exponent, and the specials {@code
 * NaN} (no sign) and {@code Inf}/{@code Infinity} (optional sign), all case-insensitive. A finite
 * number too large for a double is an error, as in Go. Results are correctly rounded: short
 * integers and decimals take an exact fast path, everything else goes to {@link Double#parseDouble}
 * after the syntax was checked here (Java's own syntax is wider: it trims whitespace and takes
 * {@code d}/{@code f} suffixes, which Go rejects).
 *
 * <p>Holds the last result and a scratch buffer: one instance per parser, not thread-safe.
 */
final class GoFloat {
  /** Prometheus' canonical NaN (value.NormalNaN), distinct from the staleness marker. */
  static final double NORMAL_NAN = Double.longBitsToDouble(0x7ff8000000000001L);

  private static final double[] POW10 = new double[23];
  private static final long MAX_EXACT = 1L << 53;

  static {
    double p = 1;
    for (int i = 0; i < POW10.length; i++) {
      POW10[i] = p;
      p *= 10;
    }
  }

  /** The value of the last successful {@link #parse}. */
  double result;

  /** Why the last {@link #parse} failed: Go's wording, "invalid syntax" or "value out of range". */
  String error;

  private char[] scratch = new char[32];

  /** Parses {@code b[s, e)}; false (with {@link #error} set) when Go or Prometheus would reject. */
  boolean parse(byte[] b, int s, int e) {
    int i = s;
    boolean neg = false;
    if (i < e && (b[i] == '-' || b[i] == '+')) {
      neg = b[i] == '-';
      i++;
    }
    // Fast path: up to 18 digits, one optional dot, no exponent.
    long m = 0;
    int count = 0;
    int fracDigits = 0;
    boolean dot = false;
    int j = i;
    for (; j < e; j++) {
      int c = b[j];
      if (c >= '0' && c <= '9') {
        if (++count > 18) {
          break; // m could overflow: leave it to the exact slow path
        }
        m = m * 10 + (c - '0');
        if (dot) {
          fracDigits++;
        }
      } else if (c == '.' && !dot) {
        dot = true;
      } else {
        break;
      }
    }
    if (j < e && (b[j] == 'e' || b[j] == 'E') && count > 0 && count <= 18 && m < MAX_EXACT) {
      // Exponent form (Go prints most non-integers so): when the mantissa and the power of ten
      // are both exact doubles, one multiplication or division is correctly rounded.
      int k = j + 1;
      boolean expNeg = false;
      if (k < e && (b[k] == '+' || b[k] == '-')) {
        expNeg = b[k] == '-';
        k++;
      }
      int exp = 0;
      int expDigits = 0;
      for (; k < e && b[k] >= '0' && b[k] <= '9' && expDigits < 4; k++, expDigits++) {
        exp = exp * 10 + (b[k] - '0');
      }
      int p10 = (expNeg ? -exp : exp) - fracDigits;
      if (k == e && expDigits > 0 && p10 > -POW10.length && p10 < POW10.length) {
        double v = p10 >= 0 ? m * POW10[p10] : m / POW10[-p10];
        result = neg ? -v : v;
        return true;
      }
      return slow(b, s, e);
    }
    if (j == e && j > i && !(dot && j == i + 1)) {
      double v;
      if (fracDigits == 0) {
        v = (double) m; // a long to double conversion is correctly rounded
      } else if (m < MAX_EXACT && fracDigits < POW10.length) {
        v = m / POW10[fracDigits]; // both operands exact, so the quotient is correctly rounded
      } else {
        return slow(b, s, e);
      }
      result = neg ? -v : v;
      return true;
    }
    return slow(b, s, e);
  }

  private boolean slow(byte[] b, int s, int e) {
    int i = s;
    boolean signed = false;
    if (i < e && (b[i] == '-' || b[i] == '+')) {
      signed = true;
      i++;
    }
    int n = e - i;
    if (n == 3 && !signed && eqIgnoreCase(b, i, "nan")) {
      result = NORMAL_NAN;
      return true;
    }
    if ((n == 3 && eqIgnoreCase(b, i, "inf")) || (n == 8 && eqIgnoreCase(b, i, "infinity"))) {
      result = b[s] == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      return true;
    }
    // Go's decimal syntax: digits [. digits] | . digits, then [eE [+-] digits].
    int mantDigits = 0;
    while (i < e && isDigit(b[i])) {
      i++;
      mantDigits++;
    }
    if (i < e && b[i] == '.') {
      i++;
      while (i < e && isDigit(b[i])) {
        i++;
        mantDigits++;
      }
    }
    if (mantDigits == 0) {
      return invalid();
    }
    if (i < e && (b[i] == 'e' || b[i] == 'E')) {
      i++;
      if (i < e && (b[i] == '+' || b[i] == '-')) {
        i++;
      }
      int expDigits = 0;
      while (i < e && isDigit(b[i])) {
        i++;
        expDigits++;
      }
      if (expDigits == 0) {
        return invalid();
      }
    }
    if (i != e) {
      return invalid();
    }
    int len = e - s;
    if (scratch.length < len) {
      scratch = new char[Math.max(len, scratch.length * 2)];
    }
    for (int k = 0; k < len; k++) {
      scratch[k] = (char) b[s + k];
    }
    double v = Double.parseDouble(new String(scratch, 0, len));
    if (Double.isInfinite(v)) {
      error = "value out of range";
      return false;
    }
    result = v;
    return true;
  }

  private boolean invalid() {
    error = "invalid syntax";
    return false;
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  private static boolean eqIgnoreCase(byte[] b, int i, String lower) {
    for (int k = 0; k < lower.length(); k++) {
      if ((b[i + k] | 0x20) != lower.charAt(k)) {
        return false;
      }
    }
    return true;
  }
}
