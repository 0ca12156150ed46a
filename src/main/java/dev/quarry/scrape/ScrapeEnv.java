package dev.quarry.scrape;

import dev.quarry.config.ScrapeConfig;
import dev.quarry.storage.Appendable;
import dev.quarry.util.Clock;
import dev.quarry.util.Timer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What every pool and loop of one scrape engine share: the storage, the bounded append worker, the
 * loops' contexts, the clock and timers, the body buffers, the shared intern tables and parser
 * pools, the per-instance offset seed, and how to build each job's scrapers and parsers. {@code
 * closing} is set at shutdown, before storage closes: pending end-of-run staleness markers are then
 * dropped, as Prometheus does. {@code shard} keeps this replica's share of the targets; the others
 * are listed as dropped. {@code failureLogs} gives each job's {@code scrape_failure_log_file}.
 *
 * @param contexts gives each new loop the executor of the context it is confined to (production: a
 *     Vert.x event-loop context; tests: the test's thread)
 * @param timer the loops' timers, set on and firing on the loop's context
 */
public record ScrapeEnv(
    Appendable appendable,
    Worker worker,
    Supplier<Executor> contexts,
    Clock clock,
    Timer timer,
    BufferPool buffers,
    ScrapeTables tables,
    long offsetSeed,
    boolean extraMetrics,
    Function<ScrapeConfig, ScraperFactory> scrapers,
    Function<ScrapeConfig, ParserSelector> parsers,
    AtomicBoolean closing,
    ScrapeMetrics metrics,
    ShardFilter shard,
    Function<String, ScrapeFailureLog> failureLogs) {

  /** A new event-loop context of {@code vertx} per loop, as an executor. */
  static Supplier<Executor> eventLoops(Vertx vertx) {
    return () -> {
      Context c = vertx.getOrCreateContext();
      return task -> c.runOnContext(v -> task.run());
    };
  }
}
