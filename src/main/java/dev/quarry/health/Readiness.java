package dev.quarry.health;

import dev.quarry.config.ConfigService;
import dev.quarry.config.QuarrySettings;
import dev.quarry.config.StorageMode;
import dev.quarry.discovery.DiscoveryService;
import dev.quarry.storage.file.FileStorage;
import dev.quarry.storage.file.WriteHealth;
import dev.quarry.wiring.StorageWiring;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether Quarry is ready to serve its purpose: a config is loaded, every job's targets are known
 * (each discovery provider has reported once, or failed or timed out: at the latest {@link
 * dev.quarry.discovery.DiscoveryManager#FIRST_REPORT_BOUND} after the config was applied, so one
 * broken provider never keeps the agent unready), and the storage can append (in the modes that
 * write to disk): its data directory is there and writable, and the latest commit reached the WAL —
 * a full disk ("No space left on device") makes Quarry not ready until a commit is written again.
 * Shared by the SmallRye readiness check and Prometheus-style {@code /-/ready}. Cheap and
 * non-blocking enough for a probe (one {@code access(2)} call and a volatile read).
 */
@ApplicationScoped
public class Readiness {
  private final ConfigService config;
  private final DiscoveryService discovery;
  private final QuarrySettings settings;
  private final StorageWiring storage;

  Readiness(
      ConfigService config,
      DiscoveryService discovery,
      QuarrySettings settings,
      StorageWiring storage) {
    this.config = config;
    this.discovery = discovery;
    this.settings = settings;
    this.storage = storage;
  }

  /** Each condition by name; ready when all are true. */
  public Map<String, Boolean> conditions() {
    Map<String, Boolean> m = new LinkedHashMap<>();
    m.put("config loaded", config.current() != null);
    m.put("first discovery done", discovery.initialDiscovery().succeeded());
    m.put("storage writable", storageProblem() == null);
    return m;
  }

  public boolean ready() {
    return !conditions().containsValue(false);
  }

  /**
   * Why the storage cannot append now ({@code appends failing since <time>: <reason>}, or the data
   * directory is gone or read-only), or null when it can.
   */
  public String storageProblem() {
    if (settings.storage().mode() == StorageMode.MEMORY) {
      return null;
    }
    Path dir = Path.of(settings.dataDir());
    if (!Files.isDirectory(dir)) {
      return "data directory " + dir + " does not exist";
    }
    if (!Files.isWritable(dir)) {
      return "data directory " + dir + " is not writable";
    }
    FileStorage fs = storage.fileStorage();
    WriteHealth.Failure f = fs == null ? null : fs.writeHealth().failure();
    return f == null ? null : f.describe();
  }
}
