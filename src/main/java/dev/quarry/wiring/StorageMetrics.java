package dev.quarry.wiring;

import dev.quarry.storage.file.FileStorage;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.ToDoubleFunction;

/**
 * The file store's figures in the names Prometheus users know from {@code prometheus_tsdb_*}, with
 * a {@code quarry_} prefix: head series, samples appended, WAL write failures, current WAL segment,
 * blocks loaded, bytes of blocks and WAL, the head's newest sample time. Read from the store when
 * {@code /metrics} is scraped. Nothing is registered in memory mode. Registered by {@link
 * Lifecycle} once the store is open.
 */
@ApplicationScoped
public class StorageMetrics {
  private final StorageWiring storage;
  private final MeterRegistry registry;
  private volatile CachedStats cached;

  StorageMetrics(StorageWiring storage, MeterRegistry registry) {
    this.storage = storage;
    this.registry = registry;
  }

  /** One {@link FileStorage#stats()} per scrape of /metrics, not one per meter. */
  private record CachedStats(long at, FileStorage.Stats stats) {}

  void register() {
    FileStorage fs = storage.fileStorage();
    if (fs == null) {
      return;
    }
    gauge(fs, "quarry.tsdb.head.series", "Series in the head.", s -> s.headSeries());
    FunctionCounter.builder(
            "quarry.tsdb.head.samples.appended", fs, f -> stats(f).samplesAppended())
        .description("Samples committed to the WAL and head.")
        .register(registry);
    FunctionCounter.builder("quarry.tsdb.wal.writes.failed", fs, f -> stats(f).walWriteFailures())
        .description("Commits whose WAL write failed (disk full, unwritable directory).")
        .register(registry);
    gauge(
        fs,
        "quarry.tsdb.wal.segment.current",
        "Index of the WAL segment being written.",
        s -> s.walSegment());
    gauge(fs, "quarry.tsdb.blocks.loaded", "Blocks on disk.", s -> s.blocks());
    gauge(
        fs,
        "quarry.tsdb.storage.blocks.bytes",
        "Bytes of the blocks on disk.",
        s -> s.blockBytes());
    gauge(
        fs,
        "quarry.tsdb.wal.storage.size.bytes",
        "Bytes of the WAL (segments and checkpoint).",
        s -> s.walBytes());
    gauge(
        fs,
        "quarry.tsdb.head.max.time.seconds",
        "Newest sample time in the head.",
        s -> s.headMaxTime() == Long.MIN_VALUE ? Double.NaN : s.headMaxTime() / 1000.0);
  }

  private void gauge(
      FileStorage fs, String name, String help, ToDoubleFunction<FileStorage.Stats> f) {
    Gauge.builder(name, fs, x -> f.applyAsDouble(stats(x)))
        .description(help)
        .strongReference(true)
        .register(registry);
  }

  private FileStorage.Stats stats(FileStorage fs) {
    CachedStats c = cached;
    long now = System.currentTimeMillis();
    if (c == null || now - c.at() > 1000) {
      c = new CachedStats(now, fs.stats());
      cached = c;
    }
    return c.stats();
  }
}
