package dev.quarry.wiring;

import dev.quarry.config.QuarrySettings;
import dev.quarry.config.StorageMode;
import dev.quarry.storage.Appendable;
import dev.quarry.storage.HeadStatistics;
import dev.quarry.storage.MemoryStorage;
import dev.quarry.storage.Queryable;
import dev.quarry.storage.WalSource;
import dev.quarry.storage.file.FileStorage;
import dev.quarry.storage.file.FileStorageSettings;
import dev.quarry.storage.file.WalChannels;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
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
 * scheduler. {@link Lifecycle} opens the store first and closes it last, after everything that
 * appends to it or reads its WAL has stopped. The storage SPI ({@code dev.quarry.storage}) knows
 * nothing of this choice.
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
    return f != null && settings.storage().mode() == StorageMode.SERVER ? f.querier() : null;
  }

  /**
   * The head's cardinality figures (top {@code top} of each ranking), or null outside server mode.
   */
  public HeadStatistics headStatistics(int top) {
    FileStorage f = fileStorage();
    return f != null && settings.storage().mode() == StorageMode.SERVER
        ? f.headStatistics(top)
        : null;
  }

  /** The file store's WAL, or null in memory mode. */
  public WalSource walSource() {
    FileStorage f = fileStorage();
    return f == null ? null : f.walSource();
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
    StorageMode mode = s.mode();
    switch (mode) {
      case MEMORY -> appendable = new MemoryStorage();
      case SERVER, AGENT -> {
        FileStorageSettings.WalSync sync;
        try {
          sync = FileStorageSettings.WalSync.parse(s.wal().sync());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("quarry.storage.wal.sync: " + e.getMessage(), e);
        }
        FileStorageSettings fs =
            FileStorageSettings.DEFAULTS
                .withBlockRange(s.blockRange())
                .withRetention(s.retention().time(), s.retention().size())
                .withWalSync(sync)
                .withAgentMode(mode == StorageMode.AGENT);
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
    }
    return appendable;
  }

  /** Opens the store, before the config is applied and scraping starts. */
  void open() {
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

  /** Closes the file store; nothing may append or read its WAL any more. */
  void close() {
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
