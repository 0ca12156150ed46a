package dev.quarry.config;

import java.time.Duration;

/** A remote write's {@code metadata_config}, with Prometheus' defaults. */
public record MetadataConfig(boolean send, Duration sendInterval, int maxSamplesPerSend) {
  public static final MetadataConfig DEFAULT = new MetadataConfig(true, Duration.ofMinutes(1), 500);
}
