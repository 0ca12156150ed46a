package dev.quarry.textparse;

import java.util.Arrays;
import java.util.List;

/**
 * The scrape protocols of Prometheus' {@code scrape_protocols} and {@code fallback_scrape_protocol}
 * settings, by their configuration names, with the media type each one asks for and the format that
 * parses it.
 */
public enum ScrapeProtocol {
  PROMETHEUS_PROTO(
      "PrometheusProto",
      "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited",
      ExpositionFormat.PROTOBUF),
  PROMETHEUS_TEXT_0_0_4(
      "PrometheusText0.0.4", "text/plain;version=0.0.4", ExpositionFormat.PROMETHEUS_TEXT),
  PROMETHEUS_TEXT_1_0_0(
      "PrometheusText1.0.0", "text/plain;version=1.0.0", ExpositionFormat.PROMETHEUS_TEXT),
  OPENMETRICS_TEXT_0_0_1(
      "OpenMetricsText0.0.1",
      "application/openmetrics-text;version=0.0.1",
      ExpositionFormat.OPENMETRICS),
  OPENMETRICS_TEXT_1_0_0(
      "OpenMetricsText1.0.0",
      "application/openmetrics-text;version=1.0.0",
      ExpositionFormat.OPENMETRICS);

  /** Prometheus' default {@code scrape_protocols}, most preferred first. */
  public static final List<ScrapeProtocol> DEFAULTS =
      List.of(
          OPENMETRICS_TEXT_1_0_0,
          OPENMETRICS_TEXT_0_0_1,
          PROMETHEUS_TEXT_1_0_0,
          PROMETHEUS_TEXT_0_0_4);

  private final String configName;
  private final String header;
  private final ExpositionFormat format;

  ScrapeProtocol(String configName, String header, ExpositionFormat format) {
    this.configName = configName;
    this.header = header;
    this.format = format;
  }

  /** The name used in {@code prometheus.yml}, e.g. {@code OpenMetricsText1.0.0}. */
  public String configName() {
    return configName;
  }

  /** The media type with parameters as sent in an Accept header (before escaping and q). */
  public String header() {
    return header;
  }

  /** The media type without parameters. */
  public String mediaType() {
    return header.substring(0, header.indexOf(';'));
  }

  /** The format Quarry parses this protocol with. */
  public ExpositionFormat format() {
    return format;
  }

  /**
   * The protocol named {@code name} in configuration.
   *
   * @throws IllegalArgumentException with Prometheus' wording, listing the supported names
   */
  public static ScrapeProtocol fromConfigName(String name) {
    for (ScrapeProtocol p : values()) {
      if (p.configName.equals(name)) {
        return p;
      }
    }
    String[] names =
        Arrays.stream(values()).map(ScrapeProtocol::configName).sorted().toArray(String[]::new);
    throw new IllegalArgumentException(
        "unknown scrape protocol " + name + ", supported: [" + String.join(" ", names) + "]");
  }
}
