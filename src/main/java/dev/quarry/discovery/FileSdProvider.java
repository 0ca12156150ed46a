package dev.quarry.discovery;

import dev.quarry.config.FileSdConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One {@code file_sd_configs} entry: reads the JSON and YAML files its paths name (a glob such as
 * {@code targets/*.json} is allowed in the file name part) and reports their groups, each with
 * {@code __meta_filepath} and source {@code "<path>:<index>"}, files in path order.
 *
 * <p>Files are read again when anything changes in their directories (a {@link DirectoryWatcher})
 * and every {@code refresh_interval}, which also catches what a watch missed. A file that cannot be
 * read or parsed is logged with its path and the reason, and its last good groups are kept (a file
 * that never parsed contributes nothing); a file that no longer exists or no longer matches loses
 * its groups. A report is made on the first scan and then only when the groups changed.
 *
 * <p>Threading: mutable state is confined to the context {@link #start} runs on. Listing and
 * reading files, parsing and registering watches run in {@code executeBlocking} on a worker, one
 * scan at a time; watch events arriving during a scan cause exactly one more scan afterwards.
 */
final class FileSdProvider implements DiscoveryProvider {
  private static final Logger LOG = Logger.getLogger(FileSdProvider.class);
  static final String META_FILEPATH = "__meta_filepath";

  private final Vertx vertx;
  private final FileSdConfig config;
  private final String name;
  private final DirectoryWatcher watcher;

  // Confined to `context`.
  private Context context;
  private Consumer<List<TargetGroup>> updates;
  private Consumer<String> failures = reason -> {};
  private long timerId = -1;
  private boolean stopped;
  private boolean scanning;
  private boolean rescan;
  private Future<Void> inFlight = Future.succeededFuture();
  private Map<String, List<TargetGroup>> byFile = new TreeMap<>();
  private List<TargetGroup> reported;

  FileSdProvider(Vertx vertx, String job, FileSdConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.name = "job \"" + job + "\" file_sd " + config.files();
    this.watcher = new DirectoryWatcher(name, this::onWatchEvent);
  }

  @Override
  public void start(Consumer<List<TargetGroup>> updates, Consumer<String> failures) {
    this.failures = failures;
    start(updates);
  }

  @Override
  public void start(Consumer<List<TargetGroup>> updates) {
    this.context = vertx.getOrCreateContext();
    this.updates = updates;
    long interval = Math.max(1, config.refreshInterval().toMillis());
    timerId = vertx.setPeriodic(interval, id -> scan());
    scan();
  }

  @Override
  public Future<Void> stop() {
    stopped = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    Future<Void> closed =
        vertx.executeBlocking(
            () -> {
              watcher.close();
              return null;
            },
            false);
    return Future.join(closed, inFlight).mapEmpty();
  }

  private void onWatchEvent() {
    // Called on the watcher's thread: hop onto the provider's context.
    context.runOnContext(v -> scan());
  }

  private void scan() {
    if (stopped) {
      return;
    }
    if (scanning) {
      rescan = true;
      return;
    }
    scanning = true;
    inFlight =
        vertx
            .executeBlocking(this::readAll, false)
            .onComplete(
                ar -> {
                  scanning = false;
                  if (ar.succeeded()) {
                    apply(ar.result());
                  } else {
                    LOG.errorf(ar.cause(), "%s: file scan failed", name);
                    failures.accept(name + ": file scan failed: " + ar.cause());
                    if (reported == null && !stopped) {
                      reported = List.of(); // report once, so nobody waits on this provider
                      updates.accept(reported);
                    }
                  }
                  if (rescan) {
                    rescan = false;
                    scan();
                  }
                })
            .mapEmpty();
  }

  /** Worker thread: expands globs, reads and parses every file; errors become strings. */
  private Map<String, Object> readAll() {
    Set<Path> dirs = new LinkedHashSet<>();
    Map<String, Object> results = new TreeMap<>();
    for (String pattern : config.files()) {
      Path p = Paths.get(pattern);
      Path dir = p.getParent() == null ? Paths.get(".") : p.getParent();
      dirs.add(dir);
      for (Path file : expand(dir, p)) {
        String path = file.toString();
        try {
          results.put(path, parse(path, Files.readAllBytes(file)));
        } catch (IOException e) {
          results.put(path, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (TargetGroupsException e) {
          results.put(path, e.getMessage());
        }
      }
    }
    // Re-adding watches after each scan picks up directories created since the last one.
    watcher.watch(dirs);
    return results;
  }

  private List<Path> expand(Path dir, Path pattern) {
    String fileName = pattern.getFileName().toString();
    List<Path> out = new ArrayList<>();
    if (fileName.chars().noneMatch(c -> c == '*' || c == '?' || c == '[' || c == '{')) {
      if (Files.isRegularFile(pattern)) {
        out.add(pattern);
      }
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, fileName)) {
      for (Path f : ds) {
        if (Files.isRegularFile(f)) {
          out.add(f);
        }
      }
    } catch (NoSuchFileException e) {
      // No directory, no files: the targets of earlier scans go away.
    } catch (IOException | RuntimeException e) {
      LOG.errorf("%s: error expanding glob %s: %s", name, pattern, e);
    }
    out.sort(null);
    return out;
  }

  private static List<TargetGroup> parse(String path, byte[] content) throws TargetGroupsException {
    String lower = path.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".json")) {
      return TargetGroupParser.parseJson(content, path, META_FILEPATH, path);
    }
    if (lower.endsWith(".yml") || lower.endsWith(".yaml")) {
      return TargetGroupParser.parseYaml(content, path, META_FILEPATH, path);
    }
    throw new TargetGroupsException("unsupported file extension (want .json, .yml or .yaml)");
  }

  @SuppressWarnings("unchecked")
  private void apply(Map<String, Object> results) {
    if (stopped) {
      return;
    }
    Map<String, List<TargetGroup>> next = new TreeMap<>();
    results.forEach(
        (path, r) -> {
          if (r instanceof List<?> groups) {
            next.put(path, (List<TargetGroup>) groups);
          } else {
            LOG.errorf(
                "%s: error reading file %s: %s (keeping its last good targets)", name, path, r);
            failures.accept(name + ": error reading file " + path + ": " + r);
            List<TargetGroup> last = byFile.get(path);
            if (last != null) {
              next.put(path, last);
            }
          }
        });
    byFile = next;
    List<TargetGroup> all = new ArrayList<>();
    next.values().forEach(all::addAll);
    List<TargetGroup> current = List.copyOf(all);
    if (!current.equals(reported)) {
      reported = current;
      updates.accept(current);
    }
  }
}
