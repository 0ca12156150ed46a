package dev.quarry.scrape;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-pool figures in the names Prometheus users know, with a {@code quarry_} prefix: {@code
 * quarry_target_scrape_pools}, {@code quarry_target_scrape_pool_targets{scrape_job}} and {@code
 * quarry_target_scrape_pool_dropped_targets{scrape_job}}. Refreshed every few seconds from the
 * manager's pools (jobs come and go with reloads).
 */
@ApplicationScoped
public class PoolMetrics {
  private final ScrapeManager manager;
  private final MultiGauge targets;
  private final MultiGauge dropped;

  PoolMetrics(ScrapeManager manager, MeterRegistry registry) {
    this.manager = manager;
    Gauge.builder("quarry.target.scrape.pools", manager, m -> m.pools().size())
        .description("Number of scrape pools (jobs).")
        .register(registry);
    targets =
        MultiGauge.builder("quarry.target.scrape.pool.targets")
            .description("Active targets per scrape pool.")
            .register(registry);
    dropped =
        MultiGauge.builder("quarry.target.scrape.pool.dropped.targets")
            .description("Targets dropped by relabelling or sharding per scrape pool.")
            .register(registry);
  }

  @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void refresh() {
    List<MultiGauge.Row<?>> t = new ArrayList<>();
    List<MultiGauge.Row<?>> d = new ArrayList<>();
    for (ScrapePool pool : manager.pools().values()) {
      Tags tags = Tags.of("scrape_job", pool.jobName());
      t.add(MultiGauge.Row.of(tags, pool.activeTargets().size()));
      d.add(MultiGauge.Row.of(tags, pool.droppedTargetCount()));
    }
    targets.register(t, true);
    dropped.register(d, true);
  }
}
