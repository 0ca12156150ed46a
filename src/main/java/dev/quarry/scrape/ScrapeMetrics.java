package dev.quarry.scrape;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The scrape engine's own figures, named after Prometheus' {@code prometheus_target_*} metrics with
 * a {@code quarry_} prefix. Thread-safe (Micrometer meters).
 */
public final class ScrapeMetrics {
  final Counter scrapes;
  final Counter failed;
  final Counter skippedTicks;
  final Counter sampleLimit;
  final Counter bodySizeLimit;
  final Counter bucketLimit;
  final Counter warnings;
  final Counter nativeHistogramsRefused;
  final DistributionSummary duration;

  public ScrapeMetrics(MeterRegistry r) {
    scrapes = Counter.builder("quarry.target.scrapes").description("Scrapes run.").register(r);
    failed =
        Counter.builder("quarry.target.scrapes.failed")
            .description("Scrapes whose target was down or whose append failed.")
            .register(r);
    skippedTicks =
        Counter.builder("quarry.target.scrapes.skipped.ticks")
            .description("Scrape ticks skipped because the previous scrape was still running.")
            .register(r);
    sampleLimit =
        Counter.builder("quarry.target.scrapes.exceeded.sample.limit")
            .description("Scrapes that hit sample_limit and were rejected.")
            .register(r);
    bodySizeLimit =
        Counter.builder("quarry.target.scrapes.exceeded.body.size.limit")
            .description("Scrapes whose body exceeded body_size_limit.")
            .register(r);
    bucketLimit =
        Counter.builder("quarry.target.scrapes.exceeded.bucket.limit")
            .description(
                "Scrapes with a native histogram over native_histogram_bucket_limit even at the"
                    + " lowest resolution, rejected.")
            .register(r);
    warnings =
        Counter.builder("quarry.target.scrape.warnings")
            .description(
                "Specification rules broken by scraped pages that Prometheus accepts (the scrapes"
                    + " succeed); the last scrape's are in /api/v1/targets.")
            .register(r);
    nativeHistogramsRefused =
        Counter.builder("quarry.target.scrape.native.histograms.refused")
            .description(
                "Native histogram samples scraped and refused by a storage that cannot keep them"
                    + " (the scrapes succeed with their other samples).")
            .register(r);
    duration =
        DistributionSummary.builder("quarry.target.scrape.duration.seconds")
            .description("Time from a scrape's start to its commit.")
            .publishPercentiles(0.5, 0.9, 0.99)
            .register(r);
  }

  /** Metrics kept nowhere, for tests and tools that don't export them. */
  public static ScrapeMetrics discarding() {
    return new ScrapeMetrics(new SimpleMeterRegistry());
  }
}
