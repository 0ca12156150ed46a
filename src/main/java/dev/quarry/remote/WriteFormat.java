package dev.quarry.remote;

import dev.quarry.http.UrlRedactor;
import dev.quarry.storage.Metadata;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The message a remote's shards send: remote write 2.0's {@code io.prometheus.write.v2.Request}
 * (with {@code protobuf_message: io.prometheus.write.v2.Request}) until a receiver answers 415
 * Unsupported Media Type, then 1.0's {@code prometheus.WriteRequest} for the rest of the queue's
 * life, as the 2.0 spec asks of a sender; the switch is logged once, naming the URL. For 2.0 it
 * also holds each series' metadata (type, help, unit from the WAL's metadata records), keyed by the
 * series as sent (its label array, by identity). Thread-safe: the WAL follower writes the metadata,
 * every shard reads it and may fall back.
 */
final class WriteFormat {
  private static final Logger LOG = Logger.getLogger(RemoteQueue.class);

  private volatile boolean v2;
  private final Map<byte[][], Metadata> metadata;

  private WriteFormat(boolean v2) {
    this.v2 = v2;
    this.metadata = v2 ? new ConcurrentHashMap<>() : null;
  }

  /** Remote write 1.0 only. */
  static WriteFormat v1() {
    return new WriteFormat(false);
  }

  /** Remote write 2.0, falling back to 1.0 on a 415. */
  static WriteFormat v2() {
    return new WriteFormat(true);
  }

  boolean isV2() {
    return v2;
  }

  /** Sends 1.0 from now on; logs it the first time, naming the remote and its URL. */
  void fallBack(String displayName, String url) {
    synchronized (this) {
      if (!v2) {
        return;
      }
      v2 = false;
    }
    LOG.warnf(
        "remote write %s: %s answered 415 Unsupported Media Type to remote write 2.0;"
            + " sending remote write 1.0 (prometheus.WriteRequest) from now on",
        displayName, UrlRedactor.redact(url));
  }

  /** Records the metadata of a series as sent (2.0 only). */
  void metadata(byte[][] series, Metadata md) {
    if (metadata != null) {
      if (metadata.size() > 1_000_000) {
        metadata.clear(); // churning series: start over rather than grow
      }
      metadata.put(series, md);
    }
  }

  /** The metadata of a series as sent, or null. */
  Metadata metadataOf(byte[][] series) {
    return metadata == null ? null : metadata.get(series);
  }
}
