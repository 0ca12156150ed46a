package dev.quarry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The temporary directory a Quarkus test profile points Quarry at: {@code prometheus.yml} and any
 * other files written once, when the profile class is loaded, and the config overrides that name
 * them. Stateless; the directory belongs to the profile that made it.
 */
public final class ProfileDir {
  private ProfileDir() {}

  /**
   * A new temporary directory named after {@code prefix} holding {@code files}, given as pairs of a
   * relative name and its content; parent directories are created. I/O failures are thrown
   * unchecked, so a profile's static initializer can call this directly.
   */
  public static Path create(String prefix, String... files) {
    if (files.length % 2 != 0) {
      throw new IllegalArgumentException("files must be name/content pairs");
    }
    try {
      Path dir = Files.createTempDirectory(prefix);
      for (int i = 0; i < files.length; i += 2) {
        Path file = dir.resolve(files[i]);
        Files.createDirectories(file.getParent());
        Files.writeString(file, files[i + 1]);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A loopback port that nothing listens on (free when asked), for peers that must be down; I/O
   * failures are thrown unchecked.
   */
  public static int closedPort() {
    try {
      return PrometheusServer.freePort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Overrides for server mode over {@code dir}: {@code quarry.config-file} is {@code
   * dir/prometheus.yml}, {@code quarry.data-dir} is {@code dir/data}, then {@code more} as pairs of
   * key and value.
   */
  public static Map<String, String> serverMode(Path dir, String... more) {
    return overrides(
        dir,
        concat(
            new String[] {
              "quarry.data-dir", dir.resolve("data").toString(), "quarry.storage.mode", "server"
            },
            more));
  }

  /** {@code quarry.config-file} is {@code dir/prometheus.yml}, then {@code more} as key/value. */
  public static Map<String, String> overrides(Path dir, String... more) {
    if (more.length % 2 != 0) {
      throw new IllegalArgumentException("overrides must be key/value pairs");
    }
    Map<String, String> out = new HashMap<>();
    out.put("quarry.config-file", dir.resolve("prometheus.yml").toString());
    for (int i = 0; i < more.length; i += 2) {
      out.put(more[i], more[i + 1]);
    }
    return Map.copyOf(out);
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
