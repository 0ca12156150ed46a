package dev.quarry.textparse;

/**
 * The metric family types of both exposition formats. The text format's {@code untyped} maps to
 * {@link #UNKNOWN}, as Prometheus does.
 */
public enum MetricType {
  COUNTER("counter"),
  GAUGE("gauge"),
  HISTOGRAM("histogram"),
  GAUGEHISTOGRAM("gaugehistogram"),
  SUMMARY("summary"),
  INFO("info"),
  STATESET("stateset"),
  UNKNOWN("unknown");

  private final String wireName;

  MetricType(String wireName) {
    this.wireName = wireName;
  }

  /** The name as Prometheus' metadata API and OpenMetrics spell it. */
  public String wireName() {
    return wireName;
  }

  private static final MetricType[] ALL = values();
  private static final byte[][] WIRE = new byte[ALL.length][];

  static {
    for (int i = 0; i < ALL.length; i++) {
      WIRE[i] = ALL[i].wireName.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
  }

  /** The type whose wire name is {@code b[s, e)}, compared as bytes, or null. */
  public static MetricType ofWireName(byte[] b, int s, int e) {
    for (int i = 0; i < ALL.length; i++) {
      if (same(b, s, e, WIRE[i])) {
        return ALL[i];
      }
    }
    return null;
  }

  /** Whether {@code b[s, e)} is {@code w}: a loop, as wire names are too short to vectorize. */
  private static boolean same(byte[] b, int s, int e, byte[] w) {
    if (e - s != w.length) {
      return false;
    }
    for (int j = 0; j < w.length; j++) {
      if (b[s + j] != w[j]) {
        return false;
      }
    }
    return true;
  }
}
