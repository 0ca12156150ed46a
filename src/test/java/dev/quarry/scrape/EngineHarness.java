package dev.quarry.scrape;

import dev.quarry.config.ConfigLoader;
import dev.quarry.config.PrometheusConfig;
import dev.quarry.config.ScrapeConfig;
import dev.quarry.config.ServiceDiscoveryConfig;
import dev.quarry.config.StaticConfig;
import dev.quarry.discovery.TargetGroup;
import dev.quarry.http.HttpClientFactory;
import dev.quarry.model.Labels;
import dev.quarry.storage.Appendable;
import dev.quarry.storage.MemoryStorage;
import dev.quarry.testing.Await;
import dev.quarry.util.Clock;
import dev.quarry.util.Timer;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * A real scrape engine for tests: Vert.x, the HTTP scrapers, the parsers, a {@link ScrapeManager}
 * with a short reload interval, and an in-memory storage to read back what was appended.
 */
public final class EngineHarness implements AutoCloseable {
  public final Vertx vertx;
  public final BufferPool buffers;
  public final MemoryStorage storage = new MemoryStorage();
  public final ScrapeManager manager;
  private final Path dir;

  public EngineHarness(boolean extraMetrics) throws Exception {
    this(extraMetrics, ShardFilter.NONE);
  }

  public EngineHarness(boolean extraMetrics, ShardFilter shard) throws Exception {
    this(extraMetrics, shard, Duration.ofMillis(100));
  }

  public EngineHarness(boolean extraMetrics, ShardFilter shard, Duration reloadInterval)
      throws Exception {
    this(extraMetrics, shard, reloadInterval, Vertx.vertx(), new BufferPool(8), a -> a);
  }

  /** An engine whose loops append through {@code view}, a decorator of {@link #storage}. */
  public EngineHarness(UnaryOperator<Appendable> view) throws Exception {
    this(true, ShardFilter.NONE, Duration.ofMillis(100), Vertx.vertx(), new BufferPool(8), view);
  }

  /**
   * An engine on {@code vertx} (closed with the harness) taking its bodies from {@code buffers}.
   */
  public EngineHarness(Vertx vertx, BufferPool buffers) throws Exception {
    this(true, ShardFilter.NONE, Duration.ofMillis(100), vertx, buffers, a -> a);
  }

  private EngineHarness(
      boolean extraMetrics,
      ShardFilter shard,
      Duration reloadInterval,
      Vertx vertx,
      BufferPool buffers,
      UnaryOperator<Appendable> view)
      throws Exception {
    this.vertx = vertx;
    this.buffers = buffers;
    dir = Files.createTempDirectory("quarry-engine");
    HttpClientFactory clients = new HttpClientFactory(vertx, 1000);
    ScrapeTables tables = ScrapeTables.defaults();
    ScrapeEnv env =
        new ScrapeEnv(
            view.apply(storage),
            Worker.of(vertx.createSharedWorkerExecutor("test-append", 2)),
            ScrapeEnv.eventLoops(vertx),
            Clock.system(),
            Timer.of(vertx),
            buffers,
            tables,
            0,
            extraMetrics,
            cfg -> new HttpScraperFactory(vertx, clients, cfg, buffers, "Quarry/test"),
            cfg -> ContentTypeParsers.forJob(cfg, tables),
            new AtomicBoolean(),
            ScrapeMetrics.discarding(),
            shard,
            job -> ScrapeFailureLog.NONE);
    manager = new ScrapeManager(reloadInterval, env);
  }

  /** Loads {@code yaml} as prometheus.yml and applies it with its static targets. */
  public PrometheusConfig apply(String yaml) throws Exception {
    Path file = dir.resolve("prometheus.yml");
    Files.writeString(file, yaml);
    PrometheusConfig cfg = ConfigLoader.load(file);
    manager.applyConfig(cfg).get(10, TimeUnit.SECONDS);
    manager.updateTargetSets(staticGroups(cfg));
    return cfg;
  }

  static Map<String, List<TargetGroup>> staticGroups(PrometheusConfig cfg) {
    Map<String, List<TargetGroup>> out = new LinkedHashMap<>();
    for (ScrapeConfig sc : cfg.scrapeConfigs()) {
      List<TargetGroup> groups = new ArrayList<>();
      int i = 0;
      for (ServiceDiscoveryConfig sd : sc.serviceDiscoveryConfigs()) {
        if (sd instanceof StaticConfig st) {
          List<Labels> targets =
              st.targets().stream().map(a -> Labels.of("__address__", a)).toList();
          groups.add(new TargetGroup(String.valueOf(i++), targets, st.labels()));
        }
      }
      out.put(sc.jobName(), groups);
    }
    return out;
  }

  Target onlyTarget(String job) {
    ScrapePool pool = manager.pools().get(job);
    List<Target> ts = pool == null ? List.of() : pool.activeTargets();
    if (ts.size() != 1) {
      throw new AssertionError("expected one target in " + job + ", got " + ts);
    }
    return ts.get(0);
  }

  public static void await(String what, Duration max, BooleanSupplier condition)
      throws InterruptedException {
    Await.until(what, max, condition);
  }

  @Override
  public void close() throws Exception {
    manager.stop().get(30, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
