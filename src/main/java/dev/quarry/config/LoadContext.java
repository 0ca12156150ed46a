package dev.quarry.config;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * What the section parsers of one load share: the directory relative paths are resolved against,
 * the HTTP client parser, and where warnings go. A warning is for a key Quarry accepts but does not
 * act on as Prometheus would; it names the file, line and key path, once per occurrence. Confined
 * to the loading thread, used for one load only.
 */
final class LoadContext {
  private final Path dir;
  private final HttpClientParser http;
  private final Consumer<String> warnings;

  LoadContext(Path file, Consumer<String> warnings) {
    this.dir = file.toAbsolutePath().getParent();
    this.warnings = warnings;
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

  /** Reports {@code file:line: key.path: reason} for the key at {@code at}. */
  void warn(YamlCursor at, String reason) {
    warnings.accept(at.error(reason).getMessage());
  }

  /** Warns about {@code key} of {@code m} that has {@code reason} when it is set to true. */
  void warnIfTrue(java.util.Map<String, YamlCursor> m, String key, String reason) {
    YamlCursor c = m.get(key);
    if (c != null && !c.isNull() && c.bool()) {
      warn(c, reason);
    }
  }

  /** Warns about {@code key} of {@code m}, when present and not null, that Quarry ignores it. */
  void warnIfSet(java.util.Map<String, YamlCursor> m, String key, String reason) {
    YamlCursor c = m.get(key);
    if (c != null && !c.isNull()) {
      warn(c, reason);
    }
  }
}
