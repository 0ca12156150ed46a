package dev.quarry.config;

/**
 * Byte sizes as Prometheus writes them ({@code 10MB}, {@code 512KiB}, {@code 1GB}): the units B,
 * KB, MB, GB, TB, PB, EB and their KiB forms, all powers of 1024 as in Prometheus' {@code
 * Base2Bytes}; {@code 0} means no limit.
 */
public final class Sizes {
  private static final String[] UNITS = {"EB", "PB", "TB", "GB", "MB", "KB", "B"};

  private Sizes() {}

  public static long parse(String s) {
    String t = s.trim();
    if (t.equals("0")) {
      return 0;
    }
    String upper = t.toUpperCase(java.util.Locale.ROOT).replace("IB", "B");
    for (int u = 0; u < UNITS.length; u++) {
      if (upper.endsWith(UNITS[u])) {
        String num = upper.substring(0, upper.length() - UNITS[u].length());
        if (num.isEmpty() || !num.chars().allMatch(Character::isDigit)) {
          break;
        }
        int shift = 10 * (UNITS.length - 1 - u);
        long n = Long.parseLong(num);
        if (shift > 0 && n > (Long.MAX_VALUE >> shift)) {
          throw new IllegalArgumentException("size out of range: \"" + s + "\"");
        }
        return n << shift;
      }
    }
    throw new IllegalArgumentException(
        "not a valid size: \"" + s + "\" (use a whole number and B, KB, MB, GB, TB, PB or EB)");
  }

  /** The largest unit that divides the size evenly: {@code 10MB}, {@code 1536KB}, {@code 0}. */
  public static String format(long bytes) {
    if (bytes == 0) {
      return "0";
    }
    for (int u = 0; u < UNITS.length - 1; u++) {
      int shift = 10 * (UNITS.length - 1 - u);
      if ((bytes & ((1L << shift) - 1)) == 0) {
        return (bytes >> shift) + UNITS[u];
      }
    }
    return bytes + "B";
  }
}
