package dev.quarry.config;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Quarkus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import org.jboss.logging.Logger;

/**
 * Loads the Prometheus-format scrape config named by {@code quarry.config-file} and announces it
 * with a {@link ConfigApplied} event. At start-up an invalid file stops the process with one
 * message naming the file, line and key; a later reload of an invalid file is rejected with that
 * message and the running config keeps running.
 *
 * <p>A valid config whose application fails (an observer throws or times out) is a failed reload
 * too: the previous config is announced again, so every component goes back to it (each applies
 * configs in order), and {@link #current()} and {@link #lastReload()} keep agreeing: either the new
 * config is current and the reload successful, or the reload failed with its reason and the config
 * in force is still the previous one.
 *
 * <p>Loads are serialised; the outcome of the last one is exposed through {@link #lastReload()} and
 * the metrics {@code quarry_config_last_reload_successful} and {@code
 * quarry_config_last_reload_success_timestamp_seconds}.
 */
@ApplicationScoped
public class ConfigService {
  private static final Logger LOG = Logger.getLogger(ConfigService.class);

  /** The outcome of the last load attempt. */
  public record ReloadStatus(boolean successful, Instant time, String error) {}

  private final QuarrySettings settings;
  private final Event<ConfigApplied> applied;
  private volatile PrometheusConfig current;
  private volatile ReloadStatus lastReload = new ReloadStatus(false, null, "not loaded yet");
  private volatile Instant lastSuccess;
  private byte[] loadedDigest;

  ConfigService(QuarrySettings settings, Event<ConfigApplied> applied, MeterRegistry registry) {
    this.settings = settings;
    this.applied = applied;
    Gauge.builder(
            "quarry.config.last.reload.successful", this, s -> s.lastReload.successful() ? 1 : 0)
        .description("Whether the last configuration reload attempt was successful.")
        .register(registry);
    Gauge.builder(
            "quarry.config.last.reload.success.timestamp.seconds",
            this,
            s -> s.lastSuccess == null ? 0 : s.lastSuccess.toEpochMilli() / 1000.0)
        .description("Timestamp of the last successful configuration reload.")
        .register(registry);
  }

  /** The load at start-up: an invalid config stops the process with exit code 1. */
  public void loadAtStart() {
    try {
      load();
    } catch (ConfigException e) {
      LOG.error("error loading config: " + e.getMessage());
      Quarkus.asyncExit(1);
    }
  }

  /** The config file's path. */
  public Path file() {
    return Path.of(settings.configFile());
  }

  /**
   * Reads and validates the config file, and when valid applies it.
   *
   * @throws ConfigException naming file, line and key when the file is invalid; the running config
   *     is then kept
   */
  public synchronized PrometheusConfig load() {
    Path file = file();
    long start = System.nanoTime();
    // Hashed before reading, so a change made while loading is seen by the next check.
    byte[] digest = ConfigSources.digest(file);
    PrometheusConfig cfg;
    try {
      cfg = ConfigLoader.load(file);
    } catch (ConfigException e) {
      lastReload = new ReloadStatus(false, Instant.now(), e.getMessage());
      throw e;
    }
    PrometheusConfig previous = current;
    try {
      applied.fire(new ConfigApplied(cfg));
    } catch (RuntimeException e) {
      String reason = file + ": applying the config failed: " + causes(e);
      loadedDigest = digest; // a periodic check does not retry the same content; a reload does
      lastReload = new ReloadStatus(false, Instant.now(), reason);
      if (previous != null) {
        LOG.error(reason + "; going back to the running config");
        try {
          applied.fire(new ConfigApplied(previous));
        } catch (RuntimeException again) {
          LOG.error("re-applying the running config failed too: " + causes(again));
        }
      }
      throw new ConfigException(reason);
    }
    loadedDigest = digest;
    current = cfg;
    Instant now = Instant.now();
    lastReload = new ReloadStatus(true, now, "");
    lastSuccess = now;
    LOG.infof(
        "loaded config %s: %d scrape configs, %d remote writes (%d ms)",
        file,
        cfg.scrapeConfigs().size(),
        cfg.remoteWriteConfigs().size(),
        (System.nanoTime() - start) / 1_000_000);
    return cfg;
  }

  /**
   * Reloads when the content of the file or of any file its {@code scrape_config_files} match
   * (including files newly matching a glob, and matched files removed) differs from what was loaded
   * last (a changed file, or a Kubernetes ConfigMap whose symlinks were swapped). Logs and keeps
   * the running config when the new one is invalid.
   *
   * @return true when a new config was applied
   */
  public synchronized boolean reloadIfChanged() {
    byte[] now = ConfigSources.digest(file());
    if (now == null || Arrays.equals(now, loadedDigest)) {
      return false;
    }
    try {
      load();
      return true;
    } catch (ConfigException e) {
      loadedDigest = now; // do not retry the same broken content on every check
      LOG.error("config reload rejected, keeping the running config: " + e.getMessage());
      return false;
    }
  }

  /** The messages of {@code e} and its causes, so a wrapped timeout says what timed out. */
  private static String causes(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null && b.length() < 1000; t = t.getCause()) {
      String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      if (b.indexOf(m) < 0) {
        b.append(b.length() == 0 ? "" : ": ").append(m);
      }
    }
    return b.toString();
  }

  /** The config in force, or null before the first successful load. */
  public PrometheusConfig current() {
    return current;
  }

  /** When a config was last applied successfully, or null before that. */
  public Instant lastSuccessTime() {
    return lastSuccess;
  }

  public ReloadStatus lastReload() {
    return lastReload;
  }
}
