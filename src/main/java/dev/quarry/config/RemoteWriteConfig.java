package dev.quarry.config;

import dev.quarry.relabel.RelabelConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One {@code remote_write} entry with defaults resolved; {@code name} is null when unset, {@code
 * sigv4} is null unless the requests are signed with AWS Signature Version 4 (then {@code
 * httpClient} carries no other authentication). {@code sendNativeHistograms} gates native histogram
 * samples as Prometheus' {@code send_native_histograms}; {@code protobufMessage} is {@link
 * #WRITE_V1} or {@link #WRITE_V2}, the message sent (remote write 1.0 or 2.0).
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
    SigV4Config sigv4,
    boolean sendNativeHistograms,
    String protobufMessage) {
  /** Remote write 1.0's message, the default. */
  public static final String WRITE_V1 = "prometheus.WriteRequest";

  /** Remote write 2.0's message. */
  public static final String WRITE_V2 = "io.prometheus.write.v2.Request";

  /** An entry sending remote write 1.0 without native histograms. */
  public RemoteWriteConfig(
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
        sigv4,
        false,
        WRITE_V1);
  }

  /** Whether the entry sends remote write 2.0. */
  public boolean writeV2() {
    return WRITE_V2.equals(protobufMessage);
  }

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
