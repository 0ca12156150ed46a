package dev.quarry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * The agent's own settings, from {@code application.yaml} and {@code QUARRY_*} environment
 * variables. The scrape configuration itself lives in Prometheus' format, in {@link #configFile()}.
 */
@ConfigMapping(prefix = "quarry")
public interface QuarrySettings {

  /** Path of the Prometheus-format scrape configuration ({@code QUARRY_CONFIG_FILE}). */
  @WithName("config-file")
  @WithDefault("prometheus.yml")
  String configFile();

  /** Directory for the WAL and blocks ({@code QUARRY_DATA_DIR}). */
  @WithName("data-dir")
  @WithDefault("data")
  String dataDir();

  /** Scrape engine settings. */
  Scrape scrape();

  interface Scrape {
    /** Adds scrape_timeout_seconds, scrape_sample_limit, scrape_body_size_bytes. */
    @WithName("extra-metrics")
    @WithDefault("false")
    boolean extraMetrics();
  }
}
