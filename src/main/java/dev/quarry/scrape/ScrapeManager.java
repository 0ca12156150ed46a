package dev.quarry.scrape;

import dev.quarry.config.PrometheusConfig;
import dev.quarry.config.ScrapeConfig;
import dev.quarry.discovery.TargetGroup;
import dev.quarry.util.Clock;
import dev.quarry.util.SerialScheduler;
import dev.quarry.util.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Owns one {@link ScrapePool} per job and keeps them in step with the config and with discovery.
 *
 * <p>Discovery updates are stored and a reload is signalled; signals coalesce (at most one pending)
 * and reloads run at most once per {@code reloadInterval}, so a flapping discovery source cannot
 * thrash the pools. An update that brings the first target set of a job (at start-up, or a job new
 * in the config) is applied at once, so no job waits for another job's discovery. A job missing
 * from an update keeps its targets (its discovery has not reported yet). {@link #applyConfig} stops
 * pools of removed jobs, reloads pools whose config changed and leaves the others alone.
 *
 * <p>Threading: every change to the pools runs on the manager's single reload thread (a {@link
 * SerialScheduler}), so pools need no locks against each other; pools sync in parallel on the
 * executor it is given, the reload thread waiting for all. Readers get a sorted, concurrent view of
 * the pools. Time is read from the engine's {@link Clock}.
 */
public final class ScrapeManager {
  private static final Logger LOG = Logger.getLogger(ScrapeManager.class);

  private final Duration reloadInterval;
  private final ScrapeEnv env;
  private final SerialScheduler reloader;
  private final Executor syncs;
  private final ExecutorService ownSyncs;
  private final ConcurrentSkipListMap<String, ScrapePool> pools = new ConcurrentSkipListMap<>();
  private volatile Map<String, List<TargetGroup>> targetSets = Map.of();
  private volatile PrometheusConfig config;
  // Reloader thread only.
  private final Set<String> appliedJobs = new HashSet<>();
  private Timer.Pending scheduled;
  private long scheduledAtNanos;
  private long lastReloadNanos;
  private boolean reloadedOnce;

  /** A manager with its own reload thread, syncing pools on threads of its own. */
  public ScrapeManager(Duration reloadInterval, ScrapeEnv env) {
    this(reloadInterval, env, SerialScheduler.newThread("quarry-scrape-manager"), null);
  }

  /**
   * A manager reloading on {@code reloader} and syncing pools on {@code syncs} (null: a daemon
   * thread per pool syncing, made on demand and shut down with the manager).
   */
  ScrapeManager(Duration reloadInterval, ScrapeEnv env, SerialScheduler reloader, Executor syncs) {
    this.reloadInterval = reloadInterval;
    this.env = env;
    this.reloader = reloader;
    this.ownSyncs =
        syncs != null
            ? null
            : Executors.newCachedThreadPool(
                r -> {
                  Thread t = new Thread(r, "quarry-pool-sync");
                  t.setDaemon(true);
                  return t;
                });
    this.syncs = syncs != null ? syncs : ownSyncs;
  }

  /** Applies a new config: stops removed jobs, reloads changed ones, keeps the rest running. */
  public CompletableFuture<Void> applyConfig(PrometheusConfig cfg) {
    return CompletableFuture.runAsync(() -> doApplyConfig(cfg), reloader);
  }

  private void doApplyConfig(PrometheusConfig cfg) {
    this.config = cfg;
    for (ScrapePool pool : List.copyOf(pools.values())) {
      ScrapeConfig next = cfg.scrapeConfig(pool.jobName());
      if (next == null) {
        // As Prometheus 2.42: a removed job's loops are cancelled, without end-of-run markers.
        pool.stop(false);
        pools.remove(pool.jobName());
        appliedJobs.remove(pool.jobName());
        LOG.infof("job %s: removed from the config, pool stopped", pool.jobName());
      } else if (!next.equals(pool.config())) {
        pool.reload(next, targetSets.get(pool.jobName())); // null: the job's last groups
        LOG.infof("job %s: config changed, pool reloaded", pool.jobName());
      }
    }
  }

  /**
   * Stores the latest target groups of every job whose discovery has reported (a job left out keeps
   * its targets) and signals a reload.
   */
  public void updateTargetSets(Map<String, List<TargetGroup>> sets) {
    targetSets = Map.copyOf(sets);
    reloader.execute(this::signalReload);
  }

  /** Reloader thread: schedules one reload, at once when a job has its first target set. */
  private void signalReload() {
    boolean firstOfAJob = !appliedJobs.containsAll(targetSets.keySet());
    long now = env.clock().nanos();
    if (scheduled != null) {
      if (!firstOfAJob || scheduledAtNanos - now <= 0) {
        return; // the pending reload will read the latest sets
      }
      scheduled.cancel();
    }
    long delay =
        reloadDelayNanos(reloadedOnce, firstOfAJob, lastReloadNanos, reloadInterval.toNanos(), now);
    scheduledAtNanos = now + delay;
    scheduled = reloader.schedule((delay + 999_999) / 1_000_000, this::reload);
  }

  /**
   * How long a signalled reload waits: not at all for the first reload or for a job's first target
   * set, else until {@code intervalNanos} have passed since the last reload began.
   */
  static long reloadDelayNanos(
      boolean reloadedOnce,
      boolean firstOfAJob,
      long lastReloadNanos,
      long intervalNanos,
      long nowNanos) {
    if (!reloadedOnce || firstOfAJob) {
      return 0;
    }
    return Math.max(0, lastReloadNanos + intervalNanos - nowNanos);
  }

  private void reload() {
    scheduled = null;
    reloadedOnce = true;
    lastReloadNanos = env.clock().nanos();
    PrometheusConfig cfg = config;
    if (cfg == null) {
      return;
    }
    Map<String, List<TargetGroup>> sets = targetSets;
    appliedJobs.addAll(sets.keySet());
    List<ScrapePool> toSync = new ArrayList<>();
    for (Map.Entry<String, List<TargetGroup>> e : sets.entrySet()) {
      ScrapePool pool = pools.get(e.getKey());
      if (pool == null) {
        ScrapeConfig sc = cfg.scrapeConfig(e.getKey());
        if (sc == null) {
          LOG.errorf("job %s: target set update for a job with no scrape config", e.getKey());
          continue;
        }
        pool = new ScrapePool(sc, env);
        pools.put(e.getKey(), pool);
      }
      toSync.add(pool);
    }
    long start = env.clock().nanos();
    // Pools sync in parallel: each may wait for its vanished targets' loops to stop.
    CompletableFuture.allOf(
            toSync.stream()
                .map(p -> CompletableFuture.runAsync(() -> p.sync(sets.get(p.jobName())), syncs))
                .toArray(CompletableFuture[]::new))
        .join();
    LOG.debugf(
        "synced %d pools in %d ms", toSync.size(), (env.clock().nanos() - start) / 1_000_000);
  }

  /** The pools, sorted by job name. */
  public Map<String, ScrapePool> pools() {
    return pools;
  }

  /**
   * Stops every pool (no staleness markers: the targets did not go away) and the reload thread;
   * completes when in-flight scrapes have been committed, so storage can close after it.
   */
  public CompletableFuture<Void> stop() {
    env.closing().set(true);
    CompletableFuture<Void> done =
        CompletableFuture.runAsync(
            () -> {
              pools.values().forEach(p -> p.stop(false));
              pools.clear();
            },
            reloader);
    return done.whenComplete(
        (v, e) -> {
          reloader.shutdown();
          if (ownSyncs != null) {
            ownSyncs.shutdown();
          }
        });
  }
}
