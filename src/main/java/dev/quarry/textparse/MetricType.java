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
}
