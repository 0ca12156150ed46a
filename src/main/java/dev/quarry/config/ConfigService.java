package dev.quarry.config;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * Loads the Prometheus-format scrape config named by {@code quarry.config-file} and announces it
 * with a {@link ConfigApplied} event. At start-up an invalid file stops the process with one
 * message naming the file, line and key; later loads leave the running config in place.
 */
@ApplicationScoped
public class ConfigService {
  private static final Logger LOG = Logger.getLogger(ConfigService.class);

  private final QuarrySettings settings;
  private final Event<ConfigApplied> applied;
  private volatile PrometheusConfig current;

  ConfigService(QuarrySettings settings, Event<ConfigApplied> applied) {
    this.settings = settings;
    this.applied = applied;
  }

  void onStart(@Observes @Priority(10) StartupEvent ev) {
    try {
      load();
    } catch (ConfigException e) {
      LOG.error("error loading config: " + e.getMessage());
      Quarkus.asyncExit(1);
    }
  }

  /**
   * Reads and validates the config file, and when valid applies it.
   *
   * @throws ConfigException naming file, line and key when the file is invalid; the running
   *     config is then kept
   */
  public synchronized PrometheusConfig load() {
    Path file = Path.of(settings.configFile());
    PrometheusConfig cfg = ConfigLoader.load(file);
    current = cfg;
    applied.fire(new ConfigApplied(cfg));
    LOG.infof(
        "loaded config %s: %d scrape configs, %d remote writes",
        file, cfg.scrapeConfigs().size(), cfg.remoteWriteConfigs().size());
    return cfg;
  }

  /** The config in force, or null before the first successful load. */
  public PrometheusConfig current() {
    return current;
  }
}
