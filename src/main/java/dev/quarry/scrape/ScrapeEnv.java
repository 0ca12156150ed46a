package dev.quarry.scrape;

import dev.quarry.config.ScrapeConfig;
import dev.quarry.storage.Appendable;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * What every pool and loop of the scrape manager share: Vert.x, the storage, the bounded append
 * worker pool, the body buffers, the per-instance offset seed, and how to build each job's scrapers
 * and parsers. {@code closing} is set at shutdown, before storage closes: pending end-of-run
 * staleness markers are then dropped, as Prometheus does. {@code shard} keeps this replica's share
 * of the targets; the others are listed as dropped. {@code failureLogs} gives each job's {@code
 * scrape_failure_log_file}.
 */
public record ScrapeEnv(
    Vertx vertx,
    Appendable appendable,
    WorkerExecutor worker,
    BufferPool buffers,
    long offsetSeed,
    boolean extraMetrics,
    InstantSource clock,
    Function<ScrapeConfig, ScraperFactory> scrapers,
    Function<ScrapeConfig, ParserSelector> parsers,
    AtomicBoolean closing,
    ScrapeMetrics metrics,
    ShardFilter shard,
    Function<String, ScrapeFailureLog> failureLogs) {

  /** Without scrape failure logs. */
  public ScrapeEnv(
      Vertx vertx,
      Appendable appendable,
      WorkerExecutor worker,
      BufferPool buffers,
      long offsetSeed,
      boolean extraMetrics,
      InstantSource clock,
      Function<ScrapeConfig, ScraperFactory> scrapers,
      Function<ScrapeConfig, ParserSelector> parsers,
      AtomicBoolean closing,
      ScrapeMetrics metrics,
      ShardFilter shard) {
    this(
        vertx,
        appendable,
        worker,
        buffers,
        offsetSeed,
        extraMetrics,
        clock,
        scrapers,
        parsers,
        closing,
        metrics,
        shard,
        job -> ScrapeFailureLog.NONE);
  }
}
