package dev.quarry.scrape;

import dev.quarry.storage.Appendable;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Everything a {@link ScrapeLoop} is built from, in one value so the loop's constructor stays short
 * and tests can change one collaborator at a time.
 *
 * @param cache the cache to use; a reload passes the old loop's cache so nothing is re-learnt
 * @param worker the bounded pool where parsing, appending and committing run (never the event loop:
 *     commits write to disk)
 * @param offsetSeed mixed with the target hash to spread start times (per instance)
 */
public record LoopOptions(
    Vertx vertx,
    Target target,
    Scraper scraper,
    Appendable appendable,
    ParserSelector parsers,
    ScrapeCache cache,
    SampleLabels sampleLabels,
    boolean honorTimestamps,
    boolean trackTimestampsStaleness,
    long sampleLimit,
    boolean extraMetrics,
    long offsetSeed,
    InstantSource clock,
    WorkerExecutor worker,
    BufferPool buffers,
    AtomicBoolean closing,
    ScrapeMetrics metrics,
    ScrapeFailureLog failureLog) {}
