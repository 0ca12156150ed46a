package dev.quarry.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Reads a {@code prometheus.yml} strictly, as Prometheus does: unknown keys, wrong types, bad
 * durations, sizes and regexes are errors naming the file, line and key path. Defaults are resolved
 * once (global, then Prometheus' own). Keys of a real Prometheus 3 config that Quarry does not act
 * on (rules, alerting, remote_read, storage, tracing, otlp, native histograms, …) are accepted with
 * one warning each naming file, line and key, delivered only when the whole file is valid; service
 * discovery mechanisms and settings Quarry cannot honour without changing what is scraped or sent
 * (remote write 2.0) are an error saying so.
 *
 * <p>Each top-level section has its parser: {@link GlobalParser}, {@link ScrapeConfigParser} (with
 * {@link ServiceDiscoveryParser} and {@link HttpClientParser}), {@link RemoteWriteParser}, {@link
 * RelabelParser}, {@link ServerSectionsParser}. A loader is used for one load, on the calling
 * thread.
 */
public final class ConfigLoader {
  private static final Logger LOG = Logger.getLogger(ConfigLoader.class);
  private static final Set<String> TOP =
      Set.of(
          "global",
          "scrape_configs",
          "scrape_config_files",
          "remote_write",
          "rule_files",
          "alerting",
          "remote_read",
          "storage",
          "tracing",
          "otlp",
          "runtime");

  private final LoadContext ctx;
  private final ScrapeConfigParser scrape;
  private final RemoteWriteParser remoteWrite;
  private final Path file;
  private final List<String> warnings = new ArrayList<>();

  private ConfigLoader(Path file) {
    this.file = file;
    this.ctx = new LoadContext(file, warnings::add);
    this.scrape = new ScrapeConfigParser(ctx);
    this.remoteWrite = new RemoteWriteParser(ctx);
  }

  /**
   * Loads and validates {@code file}.
   *
   * @throws ConfigException naming file, line and key path
   */
  public static PrometheusConfig load(Path file) {
    return load(file, LOG::warn);
  }

  /**
   * Loads and validates {@code file}, handing each warning (a key accepted but not acted on) to
   * {@code warnings} once the file is known to be valid.
   *
   * @throws ConfigException naming file, line and key path; no warning is handed on then
   */
  public static PrometheusConfig load(Path file, Consumer<String> warnings) {
    ConfigLoader l = new ConfigLoader(file);
    YamlCursor root = read(file, file.toString());
    PrometheusConfig cfg = l.parse(root);
    l.warnings.forEach(warnings);
    return cfg;
  }

  private static YamlCursor read(Path path, String name) {
    String text;
    try {
      text = Files.readString(path);
    } catch (IOException e) {
      throw new ConfigException(name + ": cannot read config file: " + e);
    }
    return YamlCursor.root(text, name);
  }

  private PrometheusConfig parse(YamlCursor root) {
    Map<String, YamlCursor> top = root.mapping("config.Config", TOP);
    GlobalConfig global =
        top.containsKey("global")
            ? GlobalParser.parse(ctx, top.get("global"))
            : GlobalConfig.DEFAULT;
    List<ScrapeConfig> jobs = new ArrayList<>();
    Map<String, YamlCursor> seen = new LinkedHashMap<>();
    if (top.containsKey("scrape_configs")) {
      scrapeConfigs(top.get("scrape_configs"), global, jobs, seen);
    }
    if (top.containsKey("scrape_config_files")) {
      for (YamlCursor pattern : top.get("scrape_config_files").sequence()) {
        for (Path p : glob(pattern)) {
          YamlCursor other = read(p, p.toString());
          Map<String, YamlCursor> m =
              other.mapping("config.ScrapeConfigs", Set.of("scrape_configs"));
          if (m.containsKey("scrape_configs")) {
            scrapeConfigs(m.get("scrape_configs"), global, jobs, seen);
          }
        }
      }
    }
    new ServerSectionsParser(ctx).parse(top);
    List<RemoteWriteConfig> remotes =
        top.containsKey("remote_write") ? remoteWrites(top.get("remote_write")) : List.of();
    return new PrometheusConfig(global, List.copyOf(jobs), remotes, file);
  }

  private void scrapeConfigs(
      YamlCursor list, GlobalConfig global, List<ScrapeConfig> jobs, Map<String, YamlCursor> seen) {
    for (YamlCursor c : list.sequence()) {
      ScrapeConfig job = scrape.parse(c, global);
      String name = job.jobName();
      if (seen.put(name, c) != null) {
        throw c.error("found multiple scrape configs with job name \"" + name + "\"");
      }
      jobs.add(job);
    }
  }

  private List<RemoteWriteConfig> remoteWrites(YamlCursor list) {
    List<RemoteWriteConfig> remotes = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (YamlCursor c : list.sequence()) {
      RemoteWriteConfig rw = remoteWrite.parse(c);
      if (rw.name() != null && !names.add(rw.name())) {
        throw c.error("found multiple remote write configs with job name \"" + rw.name() + "\"");
      }
      remotes.add(rw);
    }
    return List.copyOf(remotes);
  }

  private List<Path> glob(YamlCursor pattern) {
    String p = pattern.string();
    Path abs = ctx.dir().resolve(p);
    if (!ConfigSources.isGlob(abs.getFileName().toString()) && !Files.exists(abs)) {
      throw pattern.error("file " + abs + " does not exist");
    }
    return ConfigSources.expand(ctx.dir(), p);
  }
}
