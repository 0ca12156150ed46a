package dev.quarry.scrape;

import dev.quarry.config.ScrapeConfig;
import dev.quarry.discovery.TargetGroup;
import dev.quarry.model.Labels;
import dev.quarry.relabel.LargeStack;
import dev.quarry.relabel.Relabeler;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The targets of one job and their scrape loops. {@link #sync} rebuilds the targets from the job's
 * latest target groups, deduplicated by target hash; loops of vanished targets are stopped (with
 * end-of-run staleness) and awaited before loops of new targets start, so a flapping target never
 * has two loops appending at once. Dropped targets keep their discovered labels (at most {@code
 * keep_dropped_targets} of them, all counted).
 *
 * <p>Threading: {@code sync}, {@code reload} and {@code stop} are called by the scrape manager's
 * single reload thread and may block on loops stopping; readers (the HTTP API) see immutable
 * snapshots published through volatile fields.
 */
public final class ScrapePool {
  private static final Logger LOG = Logger.getLogger(ScrapePool.class);
  private static final long STOP_WAIT_SECONDS = 120;

  private final ScrapeEnv env;
  private volatile ScrapeConfig config;
  private TargetBuilder builder;
  private Relabeler metricRelabeler;
  private ScraperFactory scrapers;
  private final Map<Long, ScrapeLoop> loops = new HashMap<>();
  private volatile Map<Long, Target> active = Map.of();
  private volatile Map<Long, ScrapeLoop> loopView = Map.of();
  private volatile List<Labels> dropped = List.of();
  private volatile int droppedCount;
  private List<TargetGroup> lastGroups = List.of();

  public ScrapePool(ScrapeConfig config, ScrapeEnv env) {
    this.env = env;
    configure(config);
  }

  private void configure(ScrapeConfig c) {
    this.config = c;
    LargeStack stack = env.tables().regexStack;
    this.builder = new TargetBuilder(c, stack);
    this.metricRelabeler =
        c.metricRelabelConfigs().isEmpty()
            ? null
            : Relabeler.compile(c.metricRelabelConfigs(), stack);
    this.scrapers = env.scrapers().apply(c);
  }

  public String jobName() {
    return config.jobName();
  }

  public ScrapeConfig config() {
    return config;
  }

  /** Replaces the pool's targets with those built from {@code groups}. */
  public void sync(List<TargetGroup> groups) {
    lastGroups = groups;
    TargetBuilder.Result result = builder.fromGroups(groups);
    for (String error : result.errors()) {
      LOG.errorf("job %s: creating target failed: %s", config.jobName(), error);
    }
    Map<Long, Target> previous = active;
    Map<Long, Target> next = new LinkedHashMap<>();
    List<Labels> droppedNow = new ArrayList<>(result.dropped());
    for (Target t : result.active()) {
      if (!env.shard().keep(t)) {
        droppedNow.add(t.discoveredLabels()); // another replica's share
        continue;
      }
      Target old = previous.get(t.hash());
      next.putIfAbsent(t.hash(), old != null ? old.withDiscoveredLabels(t.discoveredLabels()) : t);
    }
    List<Future<Void>> stopping = new ArrayList<>();
    for (Map.Entry<Long, ScrapeLoop> e : List.copyOf(loops.entrySet())) {
      if (!next.containsKey(e.getKey())) {
        stopping.add(e.getValue().stop(true));
        loops.remove(e.getKey());
      }
    }
    await(stopping, "stopping loops of vanished targets");
    List<Future<Void>> starting = new ArrayList<>();
    for (Map.Entry<Long, Target> e : next.entrySet()) {
      if (!loops.containsKey(e.getKey())) {
        ScrapeLoop loop = newLoop(e.getValue(), new ScrapeCache(env.tables().seriesTexts));
        loops.put(e.getKey(), loop);
        starting.add(loop.start());
      }
    }
    long keep = config.keepDroppedTargets();
    List<Labels> kept = droppedNow;
    if (keep > 0 && kept.size() > keep) {
      kept = kept.subList(0, (int) keep);
    }
    active = Collections.unmodifiableMap(next);
    loopView = Map.copyOf(loops);
    dropped = List.copyOf(kept);
    droppedCount = droppedNow.size();
    applyTargetLimit();
    await(starting, "starting loops");
  }

  /**
   * Applies a changed config of the same job: every target gets a new loop built from it that
   * reuses the old loop's cache and continues from its last scrape; old loops stop without
   * staleness markers, so there is no gap. A target that vanishes then (in this call, or in a sync
   * before its new loop scraped) still gets its end-of-run markers. Then the targets are rebuilt
   * from {@code groups} (null: the last synced ones) under the new relabelling rules.
   */
  public void reload(ScrapeConfig newConfig, List<TargetGroup> groups) {
    if (groups == null) {
      groups = lastGroups;
    }
    ScraperFactory oldScrapers = scrapers;
    configure(newConfig);
    List<Future<Void>> stopping = new ArrayList<>();
    for (ScrapeLoop loop : loops.values()) {
      stopping.add(loop.stop(false));
    }
    await(stopping, "stopping loops for reload");
    oldScrapers.close();
    List<Future<Void>> starting = new ArrayList<>();
    for (Map.Entry<Long, ScrapeLoop> e : List.copyOf(loops.entrySet())) {
      ScrapeLoop fresh = newLoop(e.getValue().target(), e.getValue().cache());
      fresh.continueAfter(e.getValue());
      loops.put(e.getKey(), fresh);
      starting.add(fresh.start());
    }
    loopView = Map.copyOf(loops);
    await(starting, "starting reloaded loops");
    sync(groups);
  }

  private ScrapeLoop newLoop(Target t, ScrapeCache cache) {
    ScrapeConfig c = config;
    SampleLabels sampleLabels =
        new SampleLabels(
            env.tables(),
            t.publicLabels(),
            c.honorLabels(),
            metricRelabeler,
            c.labelLimit(),
            c.labelNameLengthLimit(),
            c.labelValueLengthLimit());
    return new ScrapeLoop(
        new LoopOptions(
            t,
            scrapers.scraperFor(t),
            env.parsers().apply(c),
            cache,
            sampleLabels,
            c.honorTimestamps(),
            c.trackTimestampsStaleness(),
            c.sampleLimit(),
            LimitAppenders.HistogramLimits.of(
                c.nativeHistogramBucketLimit(), c.nativeHistogramMinBucketFactor()),
            env.extraMetrics() || c.extraScrapeMetrics(),
            env,
            env.failureLogs().apply(c.jobName())));
  }

  /** With more targets than {@code target_limit}, every loop fails with a forced error. */
  private void applyTargetLimit() {
    long limit = config.targetLimit();
    String error =
        limit > 0 && loops.size() > limit
            ? "target_limit exceeded (number of targets: "
                + loops.size()
                + ", limit: "
                + limit
                + ")"
            : null;
    for (ScrapeLoop loop : loops.values()) {
      loop.setForcedError(error);
    }
  }

  public List<Target> activeTargets() {
    return new ArrayList<>(active.values());
  }

  /** The loop of a target, or null; for the metadata API. */
  public ScrapeLoop loop(Target t) {
    return loopView.get(t.hash());
  }

  public List<Labels> droppedTargets() {
    return dropped;
  }

  /** Every dropped target of the last sync, including those not kept. */
  public int droppedTargetCount() {
    return droppedCount;
  }

  /**
   * Stops every loop and waits for in-flight scrapes. Without {@code staleness} (shutdown, and a
   * job removed from the config, as Prometheus 2.42 cancels such a pool's loops) no markers are
   * written; with it, each loop writes its end-of-run markers.
   */
  public void stop(boolean staleness) {
    List<Future<Void>> stopping = new ArrayList<>();
    for (ScrapeLoop loop : loops.values()) {
      stopping.add(loop.stop(staleness));
    }
    await(stopping, "stopping pool");
    if (!staleness) {
      List<Future<Void>> cancel = new ArrayList<>();
      for (ScrapeLoop loop : loops.values()) {
        cancel.add(loop.cancelEndOfRun());
      }
      await(cancel, "cancelling end-of-run staleness");
    }
    loops.clear();
    loopView = Map.of();
    active = Map.of();
    scrapers.close();
  }

  private void await(List<Future<Void>> futures, String what) {
    if (futures.isEmpty()) {
      return;
    }
    try {
      Future.join(new ArrayList<>(futures))
          .toCompletionStage()
          .toCompletableFuture()
          .get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.errorf("job %s: %s did not finish: %s", config.jobName(), what, e);
    }
  }
}
