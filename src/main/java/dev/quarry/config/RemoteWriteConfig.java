package dev.quarry.config;

import dev.quarry.relabel.RelabelConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One {@code remote_write} entry with defaults resolved; {@code name} is null when unset, {@code
 * sigv4} is null unless the requests are signed with AWS Signature Version 4 (then {@code
 * httpClient} carries no other authentication).
 */
public record RemoteWriteConfig(
    String url,
    String name,
    Duration remoteTimeout,
    Map<String, String> headers,
    HttpClientConfig httpClient,
    List<RelabelConfig> writeRelabelConfigs,
    QueueConfig queueConfig,
    MetadataConfig metadataConfig,
    boolean sendExemplars,
    SigV4Config sigv4) {

  /** An entry without {@code sigv4}. */
  public RemoteWriteConfig(
      String url,
      String name,
      Duration remoteTimeout,
      Map<String, String> headers,
      HttpClientConfig httpClient,
      List<RelabelConfig> writeRelabelConfigs,
      QueueConfig queueConfig,
      MetadataConfig metadataConfig,
      boolean sendExemplars) {
    this(
        url,
        name,
        remoteTimeout,
        headers,
        httpClient,
        writeRelabelConfigs,
        queueConfig,
        metadataConfig,
        sendExemplars,
        null);
  }
}
