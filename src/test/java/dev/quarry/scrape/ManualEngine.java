package dev.quarry.scrape;

import dev.quarry.config.ConfigLoader;
import dev.quarry.config.PrometheusConfig;
import dev.quarry.config.ScrapeConfig;
import dev.quarry.discovery.TargetGroup;
import dev.quarry.model.Labels;
import dev.quarry.storage.MemoryStorage;
import dev.quarry.textparse.PromTextParser;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A scrape engine without Vert.x, HTTP or real time, for the loop and pool tests: {@link
 * ManualTime} for clock, timers and the loops' context, appends run inline, fake scrapers serving
 * pages set by the test, and an in-memory storage to read back what was appended.
 */
final class ManualEngine {
  final ManualTime time;
  final MemoryStorage storage = new MemoryStorage();
  final FakeScrapers scrapers = new FakeScrapers();
  final ScrapeTables tables = ScrapeTables.defaults();
  final AtomicBoolean closing = new AtomicBoolean();
  final ScrapeEnv env;

  ManualEngine(long startMillis) {
    this(startMillis, 0);
  }

  ManualEngine(long startMillis, long offsetSeed) {
    this(startMillis, offsetSeed, false);
  }

  /**
   * @param inlineContexts loops run their context's tasks on the calling thread at once (for a
   *     manager whose reload thread is the test's); else they queue for the test's thread
   */
  ManualEngine(long startMillis, long offsetSeed, boolean inlineContexts) {
    time = new ManualTime(startMillis);
    Worker inline =
        new Worker() {
          @Override
          public <T> Future<T> submit(java.util.concurrent.Callable<T> task) {
            try {
              return Future.succeededFuture(task.call());
            } catch (Exception e) {
              return Future.failedFuture(e);
            }
          }
        };
    env =
        new ScrapeEnv(
            storage,
            inline,
            inlineContexts ? () -> Runnable::run : time::context,
            time,
            time,
            new BufferPool(8),
            tables,
            offsetSeed,
            true,
            cfg -> scrapers,
            cfg -> ct -> new PromTextParser(),
            closing,
            ScrapeMetrics.discarding(),
            ShardFilter.NONE,
            job -> ScrapeFailureLog.NONE);
  }

  /** The job {@code j} configured by {@code yaml} (its lines under the job's name). */
  static ScrapeConfig job(String yaml) {
    return config("scrape_configs:\n  - job_name: j\n" + yaml.indent(4)).scrapeConfig("j");
  }

  /** {@code yaml} loaded as prometheus.yml. */
  static PrometheusConfig config(String yaml) {
    try {
      Path dir = Files.createTempDirectory("quarry-manual");
      Path f = dir.resolve("prometheus.yml");
      Files.writeString(f, yaml);
      try {
        return ConfigLoader.load(f);
      } finally {
        Files.delete(f);
        Files.delete(dir);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Runs {@code op} (a pool's sync, reload or stop, which waits for its loops) on another thread
   * while this thread runs the loops' context, and returns once it is done; time does not move.
   */
  void run(String what, Runnable op) throws InterruptedException {
    java.util.concurrent.CompletableFuture<Void> f =
        java.util.concurrent.CompletableFuture.runAsync(op);
    time.runUntil(what, f::isDone);
    f.join();
  }

  /** One target group holding {@code addresses}. */
  static List<TargetGroup> groups(String... addresses) {
    List<Labels> ts = new ArrayList<>();
    for (String a : addresses) {
      ts.add(Labels.of("__address__", a));
    }
    return List.of(new TargetGroup("0", ts, Labels.EMPTY));
  }

  /** The only target {@code cfg} makes of {@code address}. */
  static Target target(ScrapeConfig cfg, String address) {
    return new TargetBuilder(cfg).fromGroups(groups(address)).active().get(0);
  }

  /** A loop for {@code target} of job {@code cfg}, as its pool would build it. */
  ScrapeLoop loop(ScrapeConfig cfg, Target target) {
    return new ScrapeLoop(
        new LoopOptions(
            target,
            scrapers.scraperFor(target),
            ct -> new PromTextParser(),
            new ScrapeCache(tables.seriesTexts),
            new SampleLabels(tables, target.publicLabels(), false, null, 0, 0, 0),
            cfg.honorTimestamps(),
            cfg.trackTimestampsStaleness(),
            cfg.sampleLimit(),
            LimitAppenders.HistogramLimits.of(
                cfg.nativeHistogramBucketLimit(), cfg.nativeHistogramMinBucketFactor()),
            env.extraMetrics(),
            env,
            ScrapeFailureLog.NONE));
  }

  /** The series {@code name} of the target at {@code address} of job j. */
  static Labels series(String name, String address) {
    return Labels.of("__name__", name, "job", "j", "instance", address);
  }

  /** Scrapers of every target, by address; each records its calls. */
  static final class FakeScrapers implements ScraperFactory {
    final Map<String, FakeScraper> byAddress = new ConcurrentHashMap<>();

    FakeScraper of(String address) {
      return byAddress.computeIfAbsent(address, a -> new FakeScraper());
    }

    @Override
    public Scraper scraperFor(Target target) {
      FakeScraper f = of(target.publicLabels().get("instance"));
      return (timeout, hint) -> f.scrape();
    }

    @Override
    public void close() {}
  }

  /**
   * One target's page, shared by every loop of the target: answers at once with {@link #page}, or,
   * while {@link #hold} is set, only when the test {@link #release}s it. Counts scrapes in flight
   * across loops, so two loops scraping the target at once show up.
   */
  static final class FakeScraper {
    volatile String page = "";

    /** When set, every scrape fails with it. */
    volatile ScrapeException error;

    boolean hold;
    final List<Promise<ScrapeResponse>> held = new ArrayList<>();
    int calls;
    int inFlight;
    int maxInFlight;

    Future<ScrapeResponse> scrape() {
      calls++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      Promise<ScrapeResponse> p = Promise.promise();
      Future<ScrapeResponse> f = p.future().onComplete(ar -> inFlight--);
      if (error != null) {
        p.fail(error);
      } else if (hold) {
        held.add(p);
      } else {
        p.complete(response());
      }
      return f;
    }

    /** Answers the held scrapes with the current page. */
    void release() {
      hold = false;
      List<Promise<ScrapeResponse>> ps = List.copyOf(held);
      held.clear();
      ps.forEach(p -> p.complete(response()));
    }

    private ScrapeResponse response() {
      byte[] b = page.getBytes(StandardCharsets.UTF_8);
      return new ScrapeResponse(b, b.length, "text/plain; version=0.0.4");
    }
  }
}
