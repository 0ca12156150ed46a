package dev.quarry.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The files a config is read from: the main file and every file its {@code scrape_config_files}
 * patterns match now (a glob in the file-name part, relative patterns against the main file's
 * directory). The change checks hash all of them, so an edited, added or removed included file is a
 * change, and the watcher watches their directories.
 *
 * <p>Stateless and thread-safe; every method reads the disk and must run off the event loop.
 */
final class ConfigSources {
  private ConfigSources() {}

  static boolean isGlob(String fileName) {
    return fileName.contains("*") || fileName.contains("?") || fileName.contains("[");
  }

  /**
   * The files {@code pattern} names, sorted: a plain path when it exists, else what its file-name
   * glob matches in its directory (nothing when that directory is missing).
   */
  static List<Path> expand(Path dir, String pattern) {
    Path abs = dir.resolve(pattern);
    List<Path> out = new ArrayList<>();
    if (!isGlob(abs.getFileName().toString())) {
      if (Files.exists(abs)) {
        out.add(abs);
      }
      return out;
    }
    try (var s = Files.newDirectoryStream(abs.getParent(), abs.getFileName().toString())) {
      s.forEach(out::add);
    } catch (IOException e) {
      // a glob over a missing directory matches nothing, as in Prometheus
    }
    out.sort(null);
    return out;
  }

  /**
   * The {@code scrape_config_files} patterns of {@code main}, read leniently: a file that cannot be
   * read or parsed has none (its load reports the error).
   */
  static List<String> includePatterns(Path main) {
    List<String> out = new ArrayList<>();
    try {
      Node root = new Yaml(new LoaderOptions()).compose(new StringReader(Files.readString(main)));
      if (root instanceof MappingNode m) {
        for (NodeTuple t : m.getValue()) {
          if (t.getKeyNode() instanceof ScalarNode k
              && k.getValue().equals("scrape_config_files")
              && t.getValueNode() instanceof SequenceNode seq) {
            for (Node n : seq.getValue()) {
              if (n instanceof ScalarNode s) {
                out.add(s.getValue());
              }
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
    return out;
  }

  /** Directory of the main file and of every include pattern, to watch for changes. */
  static Set<Path> watchDirs(Path main) {
    Path dir = main.toAbsolutePath().getParent();
    Set<Path> dirs = new LinkedHashSet<>();
    dirs.add(dir);
    for (String p : includePatterns(main)) {
      dirs.add(dir.resolve(p).getParent().normalize());
    }
    return dirs;
  }

  /**
   * SHA-256 over the main file and, in order, the path and content of every included file now
   * matched; null when the main file cannot be read.
   */
  static byte[] digest(Path main) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try {
      md.update(Files.readAllBytes(main));
    } catch (IOException e) {
      return null;
    }
    Path dir = main.toAbsolutePath().getParent();
    for (String pattern : includePatterns(main)) {
      for (Path p : expand(dir, pattern)) {
        md.update((byte) 0);
        md.update(p.toString().getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        try {
          md.update(Files.readAllBytes(p));
        } catch (IOException e) {
          md.update(("unreadable: " + e.getClass().getName()).getBytes(StandardCharsets.UTF_8));
        }
      }
    }
    return md.digest();
  }
}
