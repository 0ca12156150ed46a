package dev.quarry.config;

import java.nio.file.Path;
import java.util.List;

/** A loaded, validated {@code prometheus.yml}: what Quarry scrapes and where it writes. */
public record PrometheusConfig(
    GlobalConfig global,
    List<ScrapeConfig> scrapeConfigs,
    List<RemoteWriteConfig> remoteWriteConfigs,
    Path file) {

  /** The scrape config of {@code job}, or null. */
  public ScrapeConfig scrapeConfig(String job) {
    for (ScrapeConfig c : scrapeConfigs) {
      if (c.jobName().equals(job)) {
        return c;
      }
    }
    return null;
  }
}
