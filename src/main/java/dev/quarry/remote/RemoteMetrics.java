package dev.quarry.remote;

import dev.quarry.http.UrlRedactor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One remote's figures, named as Prometheus names its {@code prometheus_remote_storage_*} series
 * with a {@code quarry_} prefix and the labels {@code remote_name} and {@code url} (its password
 * shown as {@code xxxxx}): samples sent, failed (not retried), retried, dropped, pending; metadata
 * sent; bytes sent; shards (current, desired, min, max); the highest timestamp read from the WAL
 * and the highest sent; batch send durations.
 */
final class RemoteMetrics {
  final Counter samplesSent;
  final Counter samplesFailed;
  final Counter samplesRetried;
  final Counter samplesDropped;
  final Counter metadataSent;
  final Counter exemplarsSent;
  final Counter exemplarsFailed;
  final Counter histogramsSent;
  final Counter histogramsFailed;
  final Counter histogramsDropped;
  final Counter bytesSent;
  final Counter walSkipped;
  final Timer sendDuration;
  final AtomicLong pending = new AtomicLong();
  final AtomicLong shards = new AtomicLong();
  final AtomicLong desiredShards = new AtomicLong();
  final AtomicLong highestReadMillis = new AtomicLong();
  final AtomicLong highestSentMillis = new AtomicLong();
  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();

  RemoteMetrics(
      MeterRegistry registry, String remoteName, String url, int minShards, int maxShards) {
    this.registry = registry;
    Tags tags = Tags.of("remote_name", remoteName, "url", UrlRedactor.redact(url));
    samplesSent = counter("quarry.remote.storage.samples", "Samples sent to the remote.", tags);
    samplesFailed =
        counter(
            "quarry.remote.storage.samples.failed",
            "Samples the remote rejected with a non-recoverable error (not retried).",
            tags);
    samplesRetried =
        counter(
            "quarry.remote.storage.samples.retried",
            "Samples sent again after a recoverable error.",
            tags);
    samplesDropped =
        counter(
            "quarry.remote.storage.samples.dropped",
            "Samples not sent: dropped by write relabelling, older than sample_age_limit, or "
                + "beyond "
                + "the maximum backlog.",
            tags);
    metadataSent = counter("quarry.remote.storage.metadata", "Metadata entries sent.", tags);
    exemplarsSent =
        counter("quarry.remote.storage.exemplars", "Exemplars sent (with send_exemplars).", tags);
    exemplarsFailed =
        counter(
            "quarry.remote.storage.exemplars.failed",
            "Exemplars the remote rejected with a non-recoverable error.",
            tags);
    histogramsSent =
        counter("quarry.remote.storage.histograms", "Native histogram samples sent.", tags);
    histogramsFailed =
        counter(
            "quarry.remote.storage.histograms.failed",
            "Native histogram samples the remote rejected with a non-recoverable error.",
            tags);
    histogramsDropped =
        counter(
            "quarry.remote.storage.histograms.dropped",
            "Native histogram samples not sent: send_native_histograms is off, the series was"
                + " dropped by write relabelling, older than sample_age_limit, or beyond the"
                + " maximum backlog.",
            tags);
    bytesSent =
        counter(
            "quarry.remote.storage.bytes",
            "Compressed request bytes sent (samples and metadata).",
            tags);
    walSkipped =
        counter(
            "quarry.remote.storage.wal.skipped.frames",
            "WAL frames skipped by the reader because they were corrupt.",
            tags);
    sendDuration =
        Timer.builder("quarry.remote.storage.sent.batch.duration")
            .description("Duration of send attempts, successful or not.")
            .tags(tags)
            .register(registry);
    meters.add(sendDuration);
    gauge(
        "quarry.remote.storage.samples.pending",
        "Samples read from the WAL, not yet sent.",
        tags,
        pending);
    gauge("quarry.remote.storage.shards", "Sending shards in use.", tags, shards);
    gauge(
        "quarry.remote.storage.shards.desired",
        "Shards the backlog calls for.",
        tags,
        desiredShards);
    gauge(
        "quarry.remote.storage.shards.min",
        "queue_config.min_shards.",
        tags,
        new AtomicLong(minShards));
    gauge(
        "quarry.remote.storage.shards.max",
        "queue_config.max_shards.",
        tags,
        new AtomicLong(maxShards));
    meters.add(
        Gauge.builder(
                "quarry.remote.storage.queue.highest.read.timestamp.seconds",
                highestReadMillis,
                a -> a.get() / 1000.0)
            .description("Newest sample timestamp read from the WAL for this remote.")
            .tags(tags)
            .strongReference(true)
            .register(registry));
    meters.add(
        Gauge.builder(
                "quarry.remote.storage.queue.highest.sent.timestamp.seconds",
                highestSentMillis,
                a -> a.get() / 1000.0)
            .description("Newest sample timestamp the remote acknowledged.")
            .tags(tags)
            .strongReference(true)
            .register(registry));
  }

  private Counter counter(String name, String help, Tags tags) {
    Counter c = Counter.builder(name).description(help).tags(tags).register(registry);
    meters.add(c);
    return c;
  }

  private void gauge(String name, String help, Tags tags, AtomicLong value) {
    meters.add(
        Gauge.builder(name, value, AtomicLong::get)
            .description(help)
            .tags(tags)
            .strongReference(true)
            .register(registry));
  }

  /** Removes this remote's meters (the remote was removed from the configuration). */
  void remove() {
    for (Meter m : meters) {
      registry.remove(m);
    }
  }

  static void maxUpdate(AtomicLong a, long v) {
    long cur;
    while (v > (cur = a.get()) && !a.compareAndSet(cur, v)) {
      // retry
    }
  }
}
