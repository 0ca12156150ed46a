package dev.quarry.config;

import java.time.Duration;

/** A remote write's {@code queue_config}, with Prometheus 3's defaults. */
public record QueueConfig(
    int capacity,
    int maxShards,
    int minShards,
    int maxSamplesPerSend,
    Duration batchSendDeadline,
    Duration minBackoff,
    Duration maxBackoff,
    boolean retryOnHttp429,
    Duration sampleAgeLimit) {

  public static final QueueConfig DEFAULT =
      new QueueConfig(
          10000,
          50,
          1,
          2000,
          Duration.ofSeconds(5),
          Duration.ofMillis(30),
          Duration.ofSeconds(5),
          false,
          Duration.ZERO);
}
