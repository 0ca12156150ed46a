package dev.quarry.scrape;

import dev.quarry.config.QuarrySettings;
import dev.quarry.http.HttpClientFactory;
import dev.quarry.model.Labels;
import dev.quarry.storage.Appendable;
import dev.quarry.util.Clock;
import dev.quarry.util.Fnv64a;
import dev.quarry.util.Timer;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.net.InetAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * CDI wiring of the scrape engine: one manager for the application. The application's lifecycle
 * ({@code dev.quarry.wiring.Lifecycle}) hands it every applied config before discovery, and stops
 * it before remote write and the storage.
 */
@ApplicationScoped
public class ScrapeWiring {
  /** Discovery updates are applied at most this often, as in Prometheus. */
  static final Duration RELOAD_INTERVAL = Duration.ofSeconds(5);

  private final ScrapeManager manager;
  private final ScrapeFailureLogFiles failureLogs =
      new ScrapeFailureLogFiles(InstantSource.system());

  ScrapeWiring(
      Vertx vertx,
      Appendable appendable,
      HttpClientFactory httpClients,
      QuarrySettings settings,
      io.micrometer.core.instrument.MeterRegistry registry,
      @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
    BufferPool buffers = bufferPool(settings.scrape());
    HttpClientFactory clients =
        httpClients.withMaxConnectionsPerHost(settings.scrape().maxConnectionsPerHost());
    String userAgent = "Quarry/" + version;
    int cpus = Runtime.getRuntime().availableProcessors();
    ScrapeTables tables = ScrapeTables.defaults();
    ScrapeEnv env =
        new ScrapeEnv(
            appendable,
            // Parse and append are CPU work and commits touch disk: bounded, off the event loop.
            Worker.of(
                vertx.createSharedWorkerExecutor("quarry-append", cpus, 60, TimeUnit.SECONDS)),
            ScrapeEnv.eventLoops(vertx),
            Clock.system(),
            Timer.of(vertx),
            buffers,
            tables,
            offsetSeed(Labels.EMPTY),
            settings.scrape().extraMetrics(),
            cfg -> new HttpScraperFactory(vertx, clients, cfg, buffers, userAgent),
            cfg -> ContentTypeParsers.forJob(cfg, tables),
            new AtomicBoolean(),
            new ScrapeMetrics(registry),
            shardFilter(settings.shard()),
            failureLogs::forJob);
    this.manager = new ScrapeManager(RELOAD_INTERVAL, env);
  }

  /** The scrape buffers, bounded by the settings or, where unset, by the heap. */
  static BufferPool bufferPool(QuarrySettings.Scrape s) {
    long retained = s.bufferPoolMaxBytes().orElseGet(BufferPool::defaultMaxRetainedBytes);
    long body = s.maxBodyBytes().orElseGet(() -> (long) BufferPool.defaultMaxBufferBytes());
    if (body <= 0 || body > BufferPool.MAX_ARRAY) {
      body = BufferPool.MAX_ARRAY; // 0: no limit but the largest array
    }
    return new BufferPool(64, retained, (int) Math.max(body, 4096));
  }

  static ShardFilter shardFilter(QuarrySettings.Shard s) {
    String pod = s.podName().orElse(System.getenv("HOSTNAME"));
    int index = ShardFilter.indexOf(s.index().orElse(null), pod, s.count());
    ShardFilter f = new ShardFilter(s.count(), index, s.replication());
    if (s.count() > 1) {
      org.jboss.logging.Logger.getLogger(ScrapeWiring.class).infof("sharding: %s", f);
    }
    return f;
  }

  /** FNV-64a of this host's name, spreading the same targets differently on each instance. */
  static long offsetSeed(Labels externalLabels) {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "localhost";
    }
    return Fnv64a.hash(host + externalLabels);
  }

  @Produces
  @ApplicationScoped
  ScrapeManager scrapeManager() {
    return manager;
  }

  /** The jobs' {@code scrape_failure_log_file}s, applied with each config before the manager. */
  @Produces
  @ApplicationScoped
  ScrapeFailureLogFiles failureLogs() {
    return failureLogs;
  }
}
