package dev.quarry.storage;

import dev.quarry.config.Durations;
import dev.quarry.config.QuarrySettings;
import dev.quarry.config.Sizes;
import dev.quarry.storage.file.FileStorage;
import dev.quarry.storage.file.FileStorageSettings;
import dev.quarry.storage.file.WalChannels;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.InstantSource;
import org.jboss.logging.Logger;

/**
 * Produces the storage the scrape engine appends to, chosen by {@code quarry.storage.mode}: the
 * file store under {@code quarry.data-dir} ({@code server}, default; {@code agent} keeps only the
 * WAL) or an in-memory store ({@code memory}). Housekeeping (block cuts, retention) runs from the
 * scheduler; the store closes at shutdown after the scrape manager has stopped.
 */
@ApplicationScoped
public class StorageWiring {
  private static final Logger LOG = Logger.getLogger(StorageWiring.class);

  private final QuarrySettings settings;
  private final WalChannels walChannels;
  private volatile FileStorage file;
  private volatile Appendable appendable;

  /** {@code walChannels}: a test's alternative bean when one is enabled, else real files. */
  StorageWiring(QuarrySettings settings, Instance<WalChannels> walChannels) {
    this.settings = settings;
    this.walChannels = walChannels.isResolvable() ? walChannels.get() : WalChannels.DEFAULT;
  }

  @Produces
  @ApplicationScoped
  Appendable appendable() {
    return storage();
  }

  /** The store's read side in server mode, or null in agent and memory modes. */
  public Queryable queryable() {
    FileStorage f = fileStorage();
    return f != null && settings.storage().mode().equals("server") ? f.querier() : null;
  }

  /** The file store, or null in memory mode. */
  public FileStorage fileStorage() {
    storage();
    return file;
  }

  private synchronized Appendable storage() {
    if (appendable != null) {
      return appendable;
    }
    QuarrySettings.Storage s = settings.storage();
    String mode = s.mode();
    switch (mode) {
      case "memory" -> appendable = new MemoryStorage();
      case "server", "agent" -> {
        FileStorageSettings fs =
            FileStorageSettings.DEFAULTS
                .withBlockRange(Durations.parse(s.blockRange()))
                .withRetention(
                    Durations.parse(s.retention().time()), Sizes.parse(s.retention().size()))
                .withWalSync(FileStorageSettings.WalSync.parse(s.wal().sync()))
                .withAgentMode(mode.equals("agent"));
        Path dir = Path.of(settings.dataDir());
        try {
          file = FileStorage.open(dir, fs, InstantSource.system(), walChannels);
        } catch (IOException e) {
          throw new UncheckedIOException(
              "cannot open storage in " + dir.toAbsolutePath() + ": " + e, e);
        }
        LOG.infof("storage: %s mode in %s", mode, dir.toAbsolutePath());
        appendable = file;
      }
      default ->
          throw new IllegalArgumentException(
              "quarry.storage.mode: expected server, agent or memory, got \"" + mode + "\"");
    }
    return appendable;
  }

  /** Opens the store at start-up, before the config is applied and scraping starts. */
  void onStart(@Observes @Priority(5) StartupEvent ev) {
    storage();
  }

  @Scheduled(
      every = "${quarry.storage.housekeeping-interval:1m}",
      delayed = "1m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void housekeeping() {
    FileStorage f = file;
    if (f == null) {
      return;
    }
    try {
      f.cutIfNeeded();
      f.applyRetention();
    } catch (RuntimeException e) {
      LOG.errorf("storage housekeeping failed: %s", e.toString());
    }
  }

  void onStop(@Observes @Priority(100) ShutdownEvent ev) {
    FileStorage f = file;
    if (f != null) {
      try {
        f.close();
      } catch (IOException e) {
        LOG.errorf("closing storage: %s", e.toString());
      }
    }
  }
}
