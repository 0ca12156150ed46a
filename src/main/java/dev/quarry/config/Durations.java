package dev.quarry.config;

import java.time.Duration;

/**
 * Durations in Prometheus' syntax: units {@code y w d h m s ms}, largest first, each at most once,
 * whole numbers only ({@code 1m30s}, {@code 500ms}, {@code 1d}, {@code 0}). A year is 365 days and
 * a week 7 days, as in Prometheus.
 */
public final class Durations {
  private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
  private static final long[] MILLIS = {
    365L * 24 * 3600 * 1000,
    7L * 24 * 3600 * 1000,
    24L * 3600 * 1000,
    3600 * 1000,
    60 * 1000,
    1000,
    1
  };

  private Durations() {}

  /**
   * @throws IllegalArgumentException worded as Prometheus: {@code not a valid duration string:
   *     "1.5m"}
   */
  public static Duration parse(String s) {
    if (s == null) {
      throw new IllegalArgumentException("not a valid duration string: \"\"");
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty duration string");
    }
    long total = 0;
    int i = 0;
    int lastUnit = -1;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && Character.isDigit(s.charAt(i))) {
        i++;
      }
      if (i == start || i - start > 18) {
        throw invalid(s);
      }
      long n = Long.parseLong(s.substring(start, i));
      int unit = -1;
      for (int u = 0; u < UNITS.length; u++) {
        String name = UNITS[u];
        if (s.startsWith(name, i)) {
          // "m" must not swallow the "m" of "ms"
          if (name.equals("m") && s.startsWith("ms", i)) {
            continue;
          }
          unit = u;
          i += name.length();
          break;
        }
      }
      if (unit < 0 || unit <= lastUnit) {
        throw invalid(s);
      }
      lastUnit = unit;
      try {
        total = Math.addExact(total, Math.multiplyExact(n, MILLIS[unit]));
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("duration out of range: \"" + s + "\"");
      }
    }
    return Duration.ofMillis(total);
  }

  private static IllegalArgumentException invalid(String s) {
    return new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
  }

  /** Prometheus' rendering: {@code 1m30s}, {@code 5m}, {@code 1d}, {@code 0s}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    if (ms < 0) {
      sb.append('-');
      ms = -ms;
    }
    for (int u = 0; u < UNITS.length; u++) {
      long n = ms / MILLIS[u];
      // Prometheus prints weeks and years only when they divide the whole duration evenly.
      if ((u == 0 || u == 1) && ms % MILLIS[u] != 0) {
        continue;
      }
      if (n > 0) {
        sb.append(n).append(UNITS[u]);
        ms -= n * MILLIS[u];
      }
    }
    return sb.toString();
  }
}
