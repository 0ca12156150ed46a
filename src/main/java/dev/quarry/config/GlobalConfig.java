package dev.quarry.config;

import dev.quarry.model.Labels;
import java.time.Duration;
import java.util.List;

/**
 * The {@code global} section with Prometheus' defaults resolved. Limits: 0 = none. {@code
 * scrapeFailureLogFile} is resolved against the config file's directory, null when unset; the name
 * schemes are as written, empty when unset (Quarry reads legacy names and asks targets to escape to
 * underscores whatever they say; they are kept to resolve the jobs' schemes as Prometheus does).
 * Without {@code scrape_protocols}, the protocols are {@link #defaultProtocols} of {@code
 * scrapeNativeHistograms}.
 */
public record GlobalConfig(
    Duration scrapeInterval,
    Duration scrapeTimeout,
    Duration evaluationInterval,
    Labels externalLabels,
    List<String> scrapeProtocols,
    long bodySizeLimit,
    long sampleLimit,
    long labelLimit,
    long labelNameLengthLimit,
    long labelValueLengthLimit,
    long targetLimit,
    long keepDroppedTargets,
    String scrapeFailureLogFile,
    boolean extraScrapeMetrics,
    String metricNameValidationScheme,
    String metricNameEscapingScheme,
    boolean scrapeNativeHistograms,
    boolean alwaysScrapeClassicHistograms) {

  /** Prometheus' default scrape protocols, most preferred first. */
  public static final List<String> DEFAULT_SCRAPE_PROTOCOLS =
      List.of(
          "OpenMetricsText1.0.0",
          "OpenMetricsText0.0.1",
          "PrometheusText1.0.0",
          "PrometheusText0.0.4");

  /**
   * The default scrape protocols with {@code scrape_native_histograms}, as Prometheus 3: protobuf,
   * the only format that carries native histograms, first.
   */
  public static final List<String> PROTO_FIRST_SCRAPE_PROTOCOLS =
      List.of(
          "PrometheusProto",
          "OpenMetricsText1.0.0",
          "OpenMetricsText0.0.1",
          "PrometheusText1.0.0",
          "PrometheusText0.0.4");

  /** The default protocols for a scrape with or without native histograms. */
  public static List<String> defaultProtocols(boolean nativeHistograms) {
    return nativeHistograms ? PROTO_FIRST_SCRAPE_PROTOCOLS : DEFAULT_SCRAPE_PROTOCOLS;
  }

  public static final GlobalConfig DEFAULT =
      new GlobalConfig(
          Duration.ofMinutes(1),
          Duration.ofSeconds(10),
          Duration.ofMinutes(1),
          Labels.EMPTY,
          DEFAULT_SCRAPE_PROTOCOLS,
          0,
          0,
          0,
          0,
          0,
          0,
          0,
          null,
          false,
          "",
          "",
          false,
          false);
}
