package dev.quarry.config;

import dev.quarry.relabel.RelabelConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One {@code remote_write} entry with defaults resolved; {@code name} is null when unset. */
public record RemoteWriteConfig(
    String url,
    String name,
    Duration remoteTimeout,
    Map<String, String> headers,
    HttpClientConfig httpClient,
    List<RelabelConfig> writeRelabelConfigs,
    QueueConfig queueConfig,
    MetadataConfig metadataConfig,
    boolean sendExemplars) {}
