package dev.quarry.config;

import static dev.quarry.config.Fields.boolOr;
import static dev.quarry.config.Fields.durationOr;
import static dev.quarry.config.Fields.intOr;

import dev.quarry.http.UrlRedactor;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads one {@code remote_write} entry, one method per sub-section, with Prometheus' defaults. Used
 * by one load, on its thread.
 */
final class RemoteWriteParser {
  static final Set<String> KEYS;

  static {
    Set<String> rw =
        new HashSet<>(
            Set.of(
                "url",
                "name",
                "remote_timeout",
                "headers",
                "write_relabel_configs",
                "queue_config",
                "metadata_config",
                "send_exemplars",
                "send_native_histograms",
                "protobuf_message",
                "failed_request_logging",
                "sigv4",
                "azuread",
                "google_iam",
                "oauth2",
                "round_robin_dns"));
    rw.addAll(HttpClientParser.KEYS);
    KEYS = Set.copyOf(rw);
  }

  private static final Set<String> RESERVED_HEADERS =
      Set.of(
          "authorization",
          "content-type",
          "content-encoding",
          "user-agent",
          "x-prometheus-remote-write-version");

  private static final String WRITE_V1 = RemoteWriteConfig.WRITE_V1;
  private static final String WRITE_V2 = RemoteWriteConfig.WRITE_V2;

  private final LoadContext ctx;

  RemoteWriteParser(LoadContext ctx) {
    this.ctx = ctx;
  }

  RemoteWriteConfig parse(YamlCursor c) {
    Map<String, YamlCursor> m = c.mapping("config.RemoteWriteConfig", KEYS);
    SigV4Config sigv4 = AuthParser.remoteWrite(m);
    String url = m.containsKey("url") ? m.get("url").string() : null;
    if (url == null || url.isEmpty()) {
      throw c.error("url for remote_write is empty");
    }
    Fields.checkUrl(m.get("url"), url);
    String message = protobufMessage(m.get("protobuf_message"));
    ctx.warnIfTrue(
        m,
        "round_robin_dns",
        "round_robin_dns is not supported by Quarry; the receiver's host is resolved as usual");
    ctx.warnIfTrue(
        m,
        "failed_request_logging",
        "failed_request_logging is not supported by Quarry; failed requests are logged as usual");
    Map<String, String> headers = headers(m.get("headers"));
    QueueConfig q =
        m.containsKey("queue_config") ? queue(m.get("queue_config")) : QueueConfig.DEFAULT;
    MetadataConfig md =
        m.containsKey("metadata_config")
            ? metadata(m.get("metadata_config"))
            : MetadataConfig.DEFAULT;
    return new RemoteWriteConfig(
        url,
        m.containsKey("name") ? m.get("name").string() : null,
        durationOr(m, "remote_timeout", Duration.ofSeconds(30)),
        headers,
        ctx.http().parse(m, "remote_write " + UrlRedactor.redact(url)),
        RelabelParser.parse(m.get("write_relabel_configs")),
        q,
        md,
        boolOr(m, "send_exemplars", false),
        sigv4,
        boolOr(m, "send_native_histograms", false),
        message);
  }

  /** The remote write message sent: 1.0's {@code prometheus.WriteRequest} (default) or 2.0's. */
  private static String protobufMessage(YamlCursor c) {
    String v = c == null || c.isNull() ? "" : c.string();
    if (v.isEmpty() || v.equals(WRITE_V1)) {
      return WRITE_V1;
    }
    if (v.equals(WRITE_V2)) {
      return WRITE_V2;
    }
    throw c.error(
        "invalid protobuf_message value: unknown remote write protobuf message \""
            + v
            + "\", supported: "
            + WRITE_V1
            + ", "
            + WRITE_V2);
  }

  private static Map<String, String> headers(YamlCursor c) {
    Map<String, String> headers = c != null ? c.stringMap() : Map.of();
    for (Map.Entry<String, String> h : headers.entrySet()) {
      if (RESERVED_HEADERS.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
        throw c.error(h.getKey() + " is a reserved header. It must not be changed");
      }
    }
    return Map.copyOf(headers);
  }

  private static QueueConfig queue(YamlCursor c) {
    QueueConfig q = QueueConfig.DEFAULT;
    Map<String, YamlCursor> qm =
        c.mapping(
            "config.QueueConfig",
            Set.of(
                "capacity",
                "max_shards",
                "min_shards",
                "max_samples_per_send",
                "batch_send_deadline",
                "min_backoff",
                "max_backoff",
                "retry_on_http_429",
                "sample_age_limit"));
    return new QueueConfig(
        (int) intOr(qm, "capacity", q.capacity()),
        (int) intOr(qm, "max_shards", q.maxShards()),
        (int) intOr(qm, "min_shards", q.minShards()),
        (int) intOr(qm, "max_samples_per_send", q.maxSamplesPerSend()),
        durationOr(qm, "batch_send_deadline", q.batchSendDeadline()),
        durationOr(qm, "min_backoff", q.minBackoff()),
        durationOr(qm, "max_backoff", q.maxBackoff()),
        boolOr(qm, "retry_on_http_429", q.retryOnHttp429()),
        durationOr(qm, "sample_age_limit", q.sampleAgeLimit()));
  }

  private static MetadataConfig metadata(YamlCursor c) {
    MetadataConfig md = MetadataConfig.DEFAULT;
    Map<String, YamlCursor> mm =
        c.mapping("config.MetadataConfig", Set.of("send", "send_interval", "max_samples_per_send"));
    return new MetadataConfig(
        boolOr(mm, "send", md.send()),
        durationOr(mm, "send_interval", md.sendInterval()),
        (int) intOr(mm, "max_samples_per_send", md.maxSamplesPerSend()));
  }
}
