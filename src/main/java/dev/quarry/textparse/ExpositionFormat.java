package dev.quarry.textparse;

/** The exposition formats Quarry can parse, each with a factory for a fresh parser. */
public enum ExpositionFormat {
  /** Prometheus text format ({@code text/plain}, version 0.0.4). */
  PROMETHEUS_TEXT("text/plain"),
  /** OpenMetrics 1.0 text ({@code application/openmetrics-text}). */
  OPENMETRICS("application/openmetrics-text");

  private final String mediaType;

  ExpositionFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  /** The media type without parameters. */
  public String mediaType() {
    return mediaType;
  }

  /** A new, empty parser for this format; give it a body with {@link Parser#reset}. */
  public Parser newParser() {
    return this == OPENMETRICS ? new OpenMetricsParser() : new PromTextParser();
  }
}
