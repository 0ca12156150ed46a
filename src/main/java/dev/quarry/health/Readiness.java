package dev.quarry.health;

import dev.quarry.config.ConfigService;
import dev.quarry.config.QuarrySettings;
import dev.quarry.discovery.DiscoveryService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether Quarry is ready to serve its purpose: a config is loaded, every job's targets are known
 * (each discovery provider has reported once, or failed or timed out: at the latest {@link
 * dev.quarry.discovery.DiscoveryManager#FIRST_REPORT_BOUND} after the config was applied, so one
 * broken provider never keeps the agent unready), and the data directory is writable (in the
 * modes that write to disk). Shared by the SmallRye readiness check and Prometheus-style {@code
 * /-/ready}. Cheap and non-blocking enough for a probe (one {@code access(2)} call).
 */
@ApplicationScoped
public class Readiness {
  private final ConfigService config;
  private final DiscoveryService discovery;
  private final QuarrySettings settings;

  Readiness(ConfigService config, DiscoveryService discovery, QuarrySettings settings) {
    this.config = config;
    this.discovery = discovery;
    this.settings = settings;
  }

  /** Each condition by name; ready when all are true. */
  public Map<String, Boolean> conditions() {
    Map<String, Boolean> m = new LinkedHashMap<>();
    m.put("config loaded", config.current() != null);
    m.put("first discovery done", discovery.initialDiscovery().succeeded());
    m.put("storage writable", storageWritable());
    return m;
  }

  public boolean ready() {
    return !conditions().containsValue(false);
  }

  private boolean storageWritable() {
    if (settings.storage().mode().equals("memory")) {
      return true;
    }
    Path dir = Path.of(settings.dataDir());
    return Files.isDirectory(dir) && Files.isWritable(dir);
  }
}
