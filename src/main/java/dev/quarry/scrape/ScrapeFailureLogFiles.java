package dev.quarry.scrape;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.config.PrometheusConfig;
import dev.quarry.config.ScrapeConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The {@code scrape_failure_log_file}s of the config in force: one open file per distinct path,
 * shared by the jobs naming it, every file opened anew on each applied config (so a rotated file is
 * let go on reload, as Prometheus promises) and the previous ones closed. Each failed scrape is one
 * line of JSON in the shape Prometheus 3's JSON file logger writes: {@code
 * {"time":"2026-01-02T03:04:05.123456Z","level":"ERROR","source":"ScrapeLoop.java","msg":"<error>",
 * "job_name":"<job>","target":"<scrape URL>"}} (Prometheus' {@code source} names its Go file).
 *
 * <p>Threading: {@link #apply} and {@link #close} run on the config thread; the logs handed out by
 * {@link #forJob} read the current files through one volatile map and write from any thread, each
 * line in one locked append.
 */
public final class ScrapeFailureLogFiles implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ScrapeFailureLogFiles.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  private final InstantSource clock;
  private volatile Map<String, LogFile> byJob = Map.of();

  public ScrapeFailureLogFiles(InstantSource clock) {
    this.clock = clock;
  }

  /**
   * Opens the files of {@code config}'s jobs and makes them current, then closes the previous ones.
   *
   * @throws IllegalStateException naming the file when one cannot be opened; the previous files
   *     stay in force then
   */
  public synchronized void apply(PrometheusConfig config) {
    Map<String, LogFile> byPath = new HashMap<>();
    Map<String, LogFile> next = new HashMap<>();
    try {
      for (ScrapeConfig c : config.scrapeConfigs()) {
        String path = c.scrapeFailureLogFile();
        if (path != null && !path.isEmpty()) {
          LogFile f = byPath.get(path);
          if (f == null) {
            f = new LogFile(Path.of(path));
            byPath.put(path, f);
          }
          next.put(c.jobName(), f);
        }
      }
    } catch (IOException e) {
      byPath.values().forEach(LogFile::close);
      throw new IllegalStateException(
          "scrape_failure_log_file: can't create json log file: " + e, e);
    }
    Map<String, LogFile> previous = byJob;
    byJob = Map.copyOf(next);
    previous.values().stream().distinct().forEach(LogFile::close);
  }

  /** The log of job {@code jobName}: whichever file the config in force names for it, if any. */
  public ScrapeFailureLog forJob(String jobName) {
    return (target, error) -> {
      LogFile f = byJob.get(jobName);
      if (f != null) {
        f.write(line(clock.instant(), jobName, target.scrapeUrl(), error));
      }
    };
  }

  /** Closes the files; later failures are not logged. */
  @Override
  public synchronized void close() {
    Map<String, LogFile> previous = byJob;
    byJob = Map.of();
    previous.values().stream().distinct().forEach(LogFile::close);
  }

  static String line(Instant time, String job, String target, String error) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("time", rfc3339Nano(time));
    m.put("level", "ERROR");
    m.put("source", "ScrapeLoop.java");
    m.put("msg", error);
    m.put("job_name", job);
    m.put("target", target);
    try {
      return JSON.writeValueAsString(m) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e); // strings always serialise
    }
  }

  /** Go's RFC3339Nano in UTC: the fraction without trailing zeros, none when zero. */
  static String rfc3339Nano(Instant t) {
    StringBuilder b = new StringBuilder(SECONDS.format(t));
    int nanos = t.getNano();
    if (nanos != 0) {
      String f = String.format("%09d", nanos);
      int end = f.length();
      while (f.charAt(end - 1) == '0') {
        end--;
      }
      b.append('.').append(f, 0, end);
    }
    return b.append('Z').toString();
  }

  /** One open file, appended to under its own lock. */
  private static final class LogFile {
    private final Path path;
    private final FileChannel channel;

    LogFile(Path path) throws IOException {
      this.path = path;
      this.channel =
          FileChannel.open(
              path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    synchronized void write(String line) {
      if (!channel.isOpen()) {
        return; // replaced by a reload while this scrape was failing
      }
      try {
        ByteBuffer buf = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          channel.write(buf);
        }
      } catch (IOException e) {
        LOG.warnf("scrape_failure_log_file %s: write failed: %s", path, e.getMessage());
      }
    }

    synchronized void close() {
      try {
        channel.close();
      } catch (IOException e) {
        LOG.warnf("scrape_failure_log_file %s: close failed: %s", path, e.getMessage());
      }
    }
  }
}
