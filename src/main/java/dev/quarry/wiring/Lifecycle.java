package dev.quarry.wiring;

import dev.quarry.config.ConfigApplied;
import dev.quarry.config.ConfigService;
import dev.quarry.config.ConfigWatcher;
import dev.quarry.config.PrometheusConfig;
import dev.quarry.config.QuarrySettings;
import dev.quarry.config.StorageMode;
import dev.quarry.discovery.DiscoveryService;
import dev.quarry.remote.RemoteWriteService;
import dev.quarry.scrape.ScrapeFailureLogFiles;
import dev.quarry.scrape.ScrapeManager;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The one place that orders Quarry's components. Start: the storage opens, remote write is given
 * the WAL, then the config is loaded and handed to remote write, the scrape manager and discovery
 * in that order (so a remote's queue exists before samples for it are scraped, and a job's pool
 * before its targets arrive), then the config watcher starts. Stop: the reverse, each stage waited
 * for: the watcher, discovery, scraping, remote write (its queues save their positions), and the
 * storage last, so nothing appends to or reads the WAL of a closed store.
 *
 * <p>Every applied config ({@link ConfigApplied}) goes through {@link #apply} in the same order. A
 * stage that fails to stop is logged and the later ones still stop. {@link #start} and {@link
 * #stop} are serialised; stopping twice stops once.
 */
@ApplicationScoped
public class Lifecycle {
  private static final Logger LOG = Logger.getLogger(Lifecycle.class);

  /** One component's start and stop, run in list order and in reverse. */
  record Stage(String name, Step start, Step stop) {}

  /** A start or stop step. */
  @FunctionalInterface
  interface Step {
    void run() throws Exception;
  }

  private final QuarrySettings settings;
  private final RemoteWriteService remote;
  private final ScrapeManager scrape;
  private final ScrapeFailureLogFiles failureLogs;
  private final DiscoveryService discovery;
  private final List<Stage> stages;
  private final Deque<Stage> started = new ArrayDeque<>(); // guarded by this
  private List<String> stopped; // guarded by this

  Lifecycle(
      QuarrySettings settings,
      StorageWiring storage,
      StorageMetrics storageMetrics,
      RemoteWriteService remote,
      ScrapeManager scrape,
      ScrapeFailureLogFiles failureLogs,
      DiscoveryService discovery,
      ConfigService config,
      ConfigWatcher watcher) {
    this.settings = settings;
    this.remote = remote;
    this.scrape = scrape;
    this.failureLogs = failureLogs;
    this.discovery = discovery;
    this.stages =
        List.of(
            new Stage(
                "storage",
                () -> {
                  storage.open();
                  storageMetrics.register();
                },
                storage::close),
            new Stage("remote write", () -> remote.attach(storage.walSource()), remote::stop),
            new Stage(
                "scrape",
                () -> {},
                () -> {
                  scrape.stop().get(60, TimeUnit.SECONDS);
                  failureLogs.close();
                }),
            new Stage("discovery", () -> {}, discovery::stop),
            new Stage(
                "config",
                () -> {
                  config.loadAtStart();
                  watcher.start();
                },
                watcher::stop));
  }

  void onStart(@Observes StartupEvent ev) throws Exception {
    start();
  }

  void onConfig(@Observes ConfigApplied event) throws Exception {
    apply(event.config());
  }

  void onStop(@Observes ShutdownEvent ev) {
    stop();
  }

  /** Checks the settings that depend on each other, then starts every stage in order. */
  synchronized void start() throws Exception {
    checkSettings(settings);
    for (Stage s : stages) {
      s.start().run();
      started.push(s);
    }
  }

  /** Hands {@code config} to remote write, the scrape manager and discovery, in that order. */
  void apply(PrometheusConfig config) throws Exception {
    remote.apply(config);
    failureLogs.apply(config);
    scrape.applyConfig(config).get(60, TimeUnit.SECONDS);
    discovery.apply(config);
  }

  /**
   * Stops the started stages in reverse order and returns their names in the order they stopped; a
   * second call stops nothing and returns the same names.
   */
  synchronized List<String> stop() {
    if (stopped != null) {
      return stopped;
    }
    List<String> order = new ArrayList<>();
    while (!started.isEmpty()) {
      Stage s = started.pop();
      long t0 = System.nanoTime();
      try {
        s.stop().run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        LOG.errorf("stopping %s interrupted", s.name());
      } catch (Exception e) {
        LOG.errorf("stopping %s failed: %s", s.name(), e.toString());
      }
      LOG.debugf("stopped %s (%d ms)", s.name(), (System.nanoTime() - t0) / 1_000_000);
      order.add(s.name());
    }
    stopped = List.copyOf(order);
    return stopped;
  }

  /** The names of the stages in start order. */
  List<String> stageNames() {
    return stages.stream().map(Stage::name).toList();
  }

  /**
   * Refuses the remote write receiver outside server mode, before anything opens, so the process
   * never turns ready; the exception stops the start-up.
   */
  static void checkSettings(QuarrySettings settings) {
    boolean receiver = settings.web().enableRemoteWriteReceiver();
    StorageMode mode = settings.storage().mode();
    if (receiver && mode != StorageMode.SERVER) {
      throw new IllegalStateException(
          "quarry.web.enable-remote-write-receiver=true needs"
              + " quarry.storage.mode=server, got "
              + mode
              + ": received samples would not be"
              + " queryable (agent) or kept on disk (memory)");
    } else if (receiver) {
      LOG.info("remote write receiver enabled on POST /api/v1/write");
    }
  }
}
