package dev.quarry.scrape;

/**
 * Everything a {@link ScrapeLoop} is built from, in one value so the loop's constructor stays short
 * and tests can change one collaborator at a time: the target's own fields, resolved from its job's
 * config once, and the engine's environment.
 *
 * @param cache the cache to use; a reload passes the old loop's cache so nothing is re-learnt
 * @param extraMetrics whether the loop writes the extra report series (the engine's setting or the
 *     job's {@code extra_scrape_metrics})
 * @param env the engine: storage, worker, clock, timers, buffers, shared tables, metrics
 * @param histogramLimits the job's native_histogram_bucket_limit and min bucket factor
 * @param failureLog where a failed fetch is reported (the job's {@code scrape_failure_log_file})
 */
public record LoopOptions(
    Target target,
    Scraper scraper,
    ParserSelector parsers,
    ScrapeCache cache,
    SampleLabels sampleLabels,
    boolean honorTimestamps,
    boolean trackTimestampsStaleness,
    long sampleLimit,
    LimitAppenders.HistogramLimits histogramLimits,
    boolean extraMetrics,
    ScrapeEnv env,
    ScrapeFailureLog failureLog) {}
