package dev.quarry.config;

import java.nio.file.Path;

/**
 * What the section parsers of one load share: the directory relative paths are resolved against,
 * and the HTTP client parser. Confined to the loading thread, used for one load only.
 */
final class LoadContext {
  private final Path dir;
  private final HttpClientParser http;

  LoadContext(Path file) {
    this.dir = file.toAbsolutePath().getParent();
    this.http = new HttpClientParser(this);
  }

  Path dir() {
    return dir;
  }

  HttpClientParser http() {
    return http;
  }

  /** {@code p} resolved against the config file's directory; null and empty stay as they are. */
  String resolve(String p) {
    return p == null || p.isEmpty() ? p : dir.resolve(p).normalize().toString();
  }
}
