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
      if (java.util.Arrays.equals(b, s, e, WIRE[i], 0, WIRE[i].length)) {
        return ALL[i];
      }
    }
    return null;
  }
}
