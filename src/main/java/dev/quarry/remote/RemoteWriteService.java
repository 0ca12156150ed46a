package dev.quarry.remote;

import dev.quarry.config.PrometheusConfig;
import dev.quarry.config.QuarrySettings;
import dev.quarry.config.RemoteWriteConfig;
import dev.quarry.config.StorageMode;
import dev.quarry.http.HttpClientFactory;
import dev.quarry.http.SigV4Signer;
import dev.quarry.http.UrlRedactor;
import dev.quarry.model.Labels;
import dev.quarry.storage.WalSource;
import dev.quarry.util.Clock;
import dev.quarry.util.SerialScheduler;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs one {@link RemoteQueue} per {@code remote_write} entry of the configuration in force. On a
 * reload an unchanged entry keeps its queue; a changed one is restarted from its saved position
 * (the position belongs to the entry's name, or its URL when unnamed); a removed one stops.
 *
 * <p>Remote write reads the WAL through the {@link WalSource} it is handed ({@link #attach}), so it
 * needs storage mode {@code server} or {@code agent}. The WAL is never truncated below the slowest
 * remote's position; in agent mode it is truncated behind that position at every housekeeping run.
 * The application's lifecycle hands it each config before the scrape manager, and stops it after
 * scraping has stopped and before the WAL closes.
 */
@ApplicationScoped
public class RemoteWriteService {
  private static final Logger LOG = Logger.getLogger(RemoteWriteService.class);

  /** How long stopping a queue may take before a reload or the shutdown goes on without it. */
  static final long STOP_WAIT_MS = 10_000;

  private final QuarrySettings settings;
  private final HttpClientFactory clients;
  private final Vertx vertx;
  private final MeterRegistry registry;
  private final String userAgent;
  private final Map<String, RemoteQueue> queues = new LinkedHashMap<>(); // guarded by this
  private final Map<String, Labels> externals = new HashMap<>(); // guarded by this
  private volatile WalSource wal;
  private boolean warnedNoWal;

  RemoteWriteService(
      QuarrySettings settings,
      HttpClientFactory clients,
      Vertx vertx,
      MeterRegistry registry,
      @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
    this.settings = settings;
    this.clients = clients;
    this.vertx = vertx;
    this.registry = registry;
    this.userAgent = "Quarry/" + version;
  }

  /** The WAL the remotes read, or null when the storage keeps none (memory mode). */
  public synchronized void attach(WalSource wal) {
    this.wal = wal;
    if (wal != null) {
      wal.setFloor(this::floorSegment);
    }
  }

  /** Starts, restarts and stops queues for {@code cfg}; before scraping goes on with it. */
  public synchronized void apply(PrometheusConfig cfg) {
    WalSource fs = wal;
    if (fs == null) {
      if (!cfg.remoteWriteConfigs().isEmpty() && !warnedNoWal) {
        LOG.warn(
            "remote_write is configured but quarry.storage.mode is memory: remote write reads"
                + " the WAL, which needs mode server or agent; nothing is sent");
        warnedNoWal = true;
      }
      return;
    }
    Labels external = cfg.global().externalLabels();
    Map<String, RemoteWriteConfig> wanted = new LinkedHashMap<>();
    for (RemoteWriteConfig rw : cfg.remoteWriteConfigs()) {
      wanted.put(key(rw), rw);
    }
    for (var it = queues.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      RemoteWriteConfig now = wanted.get(e.getKey());
      if (now == null
          || !now.equals(e.getValue().config)
          || !Objects.equals(external, externals.get(e.getKey()))) {
        LOG.infof(
            "remote write %s: %s",
            e.getValue().displayName,
            now == null ? "removed from the configuration" : "configuration changed, restarting");
        awaitStopped(e.getValue().displayName, e.getValue().stop());
        e.getValue().metrics.remove();
        it.remove();
        externals.remove(e.getKey());
      }
    }
    for (var e : wanted.entrySet()) {
      if (queues.containsKey(e.getKey())) {
        continue;
      }
      RemoteWriteConfig rw = e.getValue();
      String display = rw.name() != null ? rw.name() : e.getKey().substring(0, 6);
      HttpSender sender =
          new HttpSender(
              vertx,
              clients.create("remote_write " + display, rw.httpClient()),
              rw.url(),
              rw.headers(),
              userAgent,
              rw.remoteTimeout(),
              SigV4Signer.of(vertx, rw.sigv4()));
      RemoteMetrics metrics =
          new RemoteMetrics(
              registry,
              display,
              rw.url(),
              rw.queueConfig().minShards(),
              rw.queueConfig().maxShards());
      Path position = Path.of(settings.dataDir(), "remote", e.getKey() + ".position");
      long maxBacklog = settings.remoteWrite().maxBacklog();
      RemoteQueue q =
          new RemoteQueue(
              rw,
              display,
              new RemoteQueue.Parts(
                  external,
                  fs,
                  position,
                  sender,
                  metrics,
                  () -> maxBacklog,
                  Clock.system(),
                  SerialScheduler.newThread("quarry-remote-metadata-" + display)));
      queues.put(e.getKey(), q);
      externals.put(e.getKey(), external);
      q.start();
      LOG.infof("remote write %s: sending to %s", display, UrlRedactor.redact(rw.url()));
    }
  }

  /** The lowest WAL segment any remote still needs (MAX_VALUE when there are none). */
  int floorSegment() {
    int min = Integer.MAX_VALUE;
    synchronized (this) {
      for (RemoteQueue q : queues.values()) {
        min = Math.min(min, q.floorSegment());
      }
    }
    return min;
  }

  /** Agent mode keeps only what the remotes have not sent: truncate the WAL behind them. */
  @Scheduled(
      every = "${quarry.storage.housekeeping-interval:1m}",
      delayed = "30s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void truncateAgentWal() {
    if (settings.storage().mode() != StorageMode.AGENT) {
      return;
    }
    WalSource fs = wal;
    if (fs == null) {
      return;
    }
    int floor = floorSegment();
    try {
      fs.truncateBefore(floor == Integer.MAX_VALUE ? fs.currentSegment() : floor);
    } catch (RuntimeException e) {
      LOG.errorf("agent WAL truncation failed: %s", e.toString());
    }
  }

  /** Queues by key, for tests and the status API. */
  synchronized Map<String, RemoteQueue> queues() {
    return Map.copyOf(queues);
  }

  /** Stops every queue, each saving its position; waits at most {@link #STOP_WAIT_MS}. */
  public void stop() {
    synchronized (this) {
      // Every remote stops at once; then the shutdown waits for them together, bounded.
      CompletableFuture<?>[] all =
          queues.values().stream().map(RemoteQueue::stop).toArray(CompletableFuture<?>[]::new);
      awaitStopped("all remotes", CompletableFuture.allOf(all));
      queues.clear();
    }
  }

  /**
   * Waits at most {@link #STOP_WAIT_MS} for a queue to stop: a restarted queue must not run beside
   * the one it replaces, which saves the same position; a queue stuck longer is left to end on its
   * own (its daemon threads do not hold the process).
   */
  private static void awaitStopped(String what, CompletableFuture<?> stopped) {
    try {
      stopped.get(STOP_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warnf("remote write %s: not stopped after %d ms; going on", what, STOP_WAIT_MS);
    } catch (ExecutionException e) {
      LOG.warnf("remote write %s: stopping failed: %s", what, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A remote's identity: its name, or else its URL, hashed into a file-name-safe key. */
  static String key(RemoteWriteConfig rw) {
    String id = rw.name() != null ? "name:" + rw.name() : "url:" + rw.url();
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
