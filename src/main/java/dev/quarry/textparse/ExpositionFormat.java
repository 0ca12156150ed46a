package dev.quarry.textparse;

/** The exposition formats Quarry can parse, each with a factory for a fresh parser. */
public enum ExpositionFormat {
  /** Prometheus text format ({@code text/plain}, version 0.0.4). */
  PROMETHEUS_TEXT("text/plain"),
  /** OpenMetrics 1.0 text ({@code application/openmetrics-text}). */
  OPENMETRICS("application/openmetrics-text"),
  /** The protobuf format of {@code io.prometheus.client.MetricFamily}, varint-delimited. */
  PROTOBUF("application/vnd.google.protobuf");

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
    return switch (this) {
      case OPENMETRICS -> new OpenMetricsParser();
      case PROTOBUF -> new ProtobufParser();
      default -> new PromTextParser();
    };
  }
}
