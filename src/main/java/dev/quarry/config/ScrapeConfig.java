package dev.quarry.config;

import dev.quarry.relabel.RelabelConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One {@code scrape_configs} entry with every default resolved (global, then Prometheus' defaults).
 * Value equality: the scrape manager reloads a pool only when this changed. Limits: 0 = none.
 * {@code fallbackScrapeProtocol} is null when unset. {@code scrapeFailureLogFile} (the job's, else
 * the global one) is resolved against the config file's directory, null when unset; {@code
 * extraScrapeMetrics} is the job's {@code extra_scrape_metrics}, else the global one; so are {@code
 * scrapeNativeHistograms} ({@code scrape_native_histograms}) and {@code
 * alwaysScrapeClassicHistograms} ({@code always_scrape_classic_histograms}, or 2.42's {@code
 * scrape_classic_histograms}). {@code nativeHistogramBucketLimit} (0: none) and {@code
 * nativeHistogramMinBucketFactor} (0: none) are the job's own keys.
 */
public record ScrapeConfig(
    String jobName,
    Duration scrapeInterval,
    Duration scrapeTimeout,
    List<String> scrapeProtocols,
    String fallbackScrapeProtocol,
    String metricsPath,
    String scheme,
    Map<String, List<String>> params,
    boolean honorLabels,
    boolean honorTimestamps,
    boolean trackTimestampsStaleness,
    boolean enableCompression,
    long bodySizeLimit,
    long sampleLimit,
    long labelLimit,
    long labelNameLengthLimit,
    long labelValueLengthLimit,
    long targetLimit,
    long keepDroppedTargets,
    HttpClientConfig httpClient,
    List<RelabelConfig> relabelConfigs,
    List<RelabelConfig> metricRelabelConfigs,
    List<ServiceDiscoveryConfig> serviceDiscoveryConfigs,
    String scrapeFailureLogFile,
    boolean extraScrapeMetrics,
    boolean scrapeNativeHistograms,
    boolean alwaysScrapeClassicHistograms,
    long nativeHistogramBucketLimit,
    double nativeHistogramMinBucketFactor) {}
