package dev.quarry.discovery;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Watches directories with a {@link WatchService} on one dedicated daemon thread and calls {@code
 * onChange} after any create, modify or delete event in them. The thread spends its life blocked in
 * {@code take()}, which is why it is a plain thread and not a Vert.x worker (a worker blocked that
 * long would be reported as stuck). {@code onChange} runs on the watcher thread and must only hand
 * off (for example with {@code context.runOnContext}).
 *
 * <p>{@link #watch} registers directories not yet watched; it does blocking I/O and must be called
 * off the event loop. A directory that vanishes drops out and is registered again by the next
 * {@code watch} call that finds it. Thread-safe.
 */
final class DirectoryWatcher implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(DirectoryWatcher.class);

  private final String name;
  private final Runnable onChange;
  private final Map<WatchKey, Path> keys = new HashMap<>(); // guarded by this
  private WatchService service; // guarded by this
  private boolean closed; // guarded by this

  DirectoryWatcher(String name, Runnable onChange) {
    this.name = name;
    this.onChange = onChange;
  }

  synchronized void watch(Collection<Path> dirs) {
    if (closed) {
      return;
    }
    try {
      if (service == null) {
        service = FileSystems.getDefault().newWatchService();
        WatchService ws = service;
        Thread t = new Thread(() -> run(ws), "quarry-file-sd-watch " + name);
        t.setDaemon(true);
        t.start();
      }
    } catch (IOException e) {
      LOG.errorf("%s: cannot create a file watcher, relying on refresh_interval: %s", name, e);
      return;
    }
    for (Path dir : dirs) {
      if (keys.containsValue(dir) || !Files.isDirectory(dir)) {
        continue;
      }
      try {
        WatchKey key =
            dir.register(
                service,
                StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        keys.put(key, dir);
      } catch (IOException | ClosedWatchServiceException e) {
        LOG.errorf("%s: error adding file watch on %s: %s", name, dir, e);
      }
    }
  }

  private void run(WatchService ws) {
    while (true) {
      WatchKey key;
      try {
        key = ws.take();
      } catch (ClosedWatchServiceException | InterruptedException e) {
        return;
      }
      key.pollEvents();
      if (!key.reset()) {
        synchronized (this) {
          keys.remove(key);
        }
      }
      onChange.run();
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (service != null) {
      try {
        service.close(); // wakes the thread's take() with ClosedWatchServiceException
      } catch (IOException e) {
        LOG.debugf("%s: error closing file watcher: %s", name, e);
      }
    }
  }
}
