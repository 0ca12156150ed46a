package dev.quarry.config;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Reloads the config when it changes: on file-system events in the config file's directory and in
 * the directories of its {@code scrape_config_files} patterns (which also catch the {@code ..data}
 * symlink swap Kubernetes does for a mounted ConfigMap; unless {@code quarry.config-watch} is
 * false), on a periodic content check ({@code quarry.reload-interval}), and on {@code SIGHUP}.
 * Every trigger compares the content of the file and of every included file with what was loaded,
 * so a reload happens only for a real change. The watched directories are brought up to date after
 * every check, so a pattern added to the config, or a directory created later, is watched from then
 * on.
 *
 * <p>Threading: the watch service blocks on its own daemon thread; checks and registrations run on
 * one single-threaded executor, debounced by 500 ms so an editor's burst of writes is one reload.
 */
@ApplicationScoped
public class ConfigWatcher {
  private static final Logger LOG = Logger.getLogger(ConfigWatcher.class);

  private final ConfigService config;
  private final boolean watchFiles;
  private final ScheduledExecutorService reloader =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "quarry-config-reload");
            t.setDaemon(true);
            return t;
          });
  private WatchService watch;
  private ScheduledFuture<?> pending;
  private final Set<Path> watched = new HashSet<>(); // reloader thread only

  ConfigWatcher(ConfigService config, QuarrySettings settings) {
    this.config = config;
    this.watchFiles = settings.configWatch();
  }

  /** Starts watching: SIGHUP and file events; called once the first config is loaded. */
  public void start() {
    try {
      SignalHandler before = Signal.handle(new Signal("HUP"), s -> reloadSoon("SIGHUP", 0));
      if (before == SignalHandler.SIG_IGN) {
        // A JVM started with SIGHUP ignored (nohup) keeps ignoring it whatever is installed.
        LOG.warn(
            "SIGHUP is ignored by this process (started under nohup?): reload through"
                + " POST /-/reload or a config file change instead");
      }
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      LOG.warnf("SIGHUP reload not available here: %s", e.getMessage());
    }
    if (!watchFiles) {
      LOG.info("config file events not watched (quarry.config-watch=false)");
      return;
    }
    try {
      watch = FileSystems.getDefault().newWatchService();
      Thread t = new Thread(this::watchLoop, "quarry-config-watch");
      t.setDaemon(true);
      t.start();
      reloader.execute(this::watchDirectories);
    } catch (IOException e) {
      LOG.warnf("cannot watch the config for changes (periodic checks go on): %s", e);
    }
  }

  /** Reloader thread: registers the directories of the config and its includes not yet watched. */
  private void watchDirectories() {
    if (watch == null) {
      return;
    }
    for (Path dir : ConfigSources.watchDirs(config.file())) {
      if (watched.contains(dir) || !Files.isDirectory(dir)) {
        continue;
      }
      try {
        dir.register(
            watch,
            StandardWatchEventKinds.ENTRY_CREATE,
            StandardWatchEventKinds.ENTRY_MODIFY,
            StandardWatchEventKinds.ENTRY_DELETE);
        watched.add(dir);
      } catch (IOException | ClosedWatchServiceException e) {
        LOG.warnf("cannot watch %s for config changes (periodic checks go on): %s", dir, e);
      }
    }
  }

  private void watchLoop() {
    try {
      while (true) {
        WatchKey key = watch.take();
        key.pollEvents();
        if (!key.reset()) {
          Path gone = (Path) key.watchable();
          reloader.execute(() -> watched.remove(gone)); // registered again once it is back
        }
        reloadSoon("file change", 500);
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // shutting down
    }
  }

  @Scheduled(every = "${quarry.reload-interval:30s}", delayed = "30s")
  void periodicCheck() {
    reloadSoon("periodic check", 0);
  }

  private synchronized void reloadSoon(String why, long delayMillis) {
    if (pending != null && !pending.isDone()) {
      pending.cancel(false);
    }
    pending =
        reloader.schedule(
            () -> {
              try {
                if (config.reloadIfChanged()) {
                  LOG.infof("config reloaded (%s)", why);
                }
              } catch (RuntimeException e) {
                LOG.errorf("config reload failed (%s): %s", why, e.toString());
              }
              watchDirectories();
            },
            delayMillis,
            TimeUnit.MILLISECONDS);
  }

  /** Stops watching; a reload under way is interrupted. */
  public void stop() throws IOException {
    reloader.shutdownNow();
    if (watch != null) {
      watch.close();
    }
  }
}
