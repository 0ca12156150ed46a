package dev.quarry.config;

import com.google.re2j.Pattern;
import dev.quarry.http.UrlRedactor;
import dev.quarry.model.Labels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed reads of one key of a parsed mapping, with the default when the key is absent or null, and
 * the value checks several sections share (label names, URLs, scrape protocols). Stateless.
 */
final class Fields {
  private static final Pattern LABEL_NAME = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_]*$");

  private Fields() {}

  static String stringOr(Map<String, YamlCursor> m, String key, String def) {
    YamlCursor c = m.get(key);
    return c == null || c.isNull() ? def : c.string();
  }

  static boolean boolOr(Map<String, YamlCursor> m, String key, boolean def) {
    YamlCursor c = m.get(key);
    return c == null || c.isNull() ? def : c.bool();
  }

  /** A non-negative integer. */
  static long intOr(Map<String, YamlCursor> m, String key, long def) {
    YamlCursor c = m.get(key);
    if (c == null || c.isNull()) {
      return def;
    }
    long v = c.integer();
    if (v < 0) {
      throw c.error("must not be negative");
    }
    return v;
  }

  static long sizeOr(Map<String, YamlCursor> m, String key, long def) {
    YamlCursor c = m.get(key);
    return c == null || c.isNull() ? def : c.size();
  }

  static Duration durationOr(Map<String, YamlCursor> m, String key, Duration def) {
    YamlCursor c = m.get(key);
    return c == null || c.isNull() ? def : c.duration();
  }

  /** A mapping of label names to values; each name must be a valid label name. */
  static Labels labels(YamlCursor c) {
    Map<String, String> m = c.stringMap();
    for (String name : m.keySet()) {
      if (!LABEL_NAME.matcher(name).matches()) {
        throw c.error("\"" + name + "\" is not a valid label name");
      }
    }
    return Labels.of(m);
  }

  /** An absolute http(s) URL with a host. */
  static void checkUrl(YamlCursor at, String url) {
    try {
      java.net.URI u = new java.net.URI(url);
      String s = u.getScheme();
      if (s == null || !(s.equals("http") || s.equals("https"))) {
        throw at.error("URL scheme must be 'http' or 'https'");
      }
      if (u.getHost() == null || u.getHost().isEmpty()) {
        throw at.error("host is missing in URL");
      }
    } catch (java.net.URISyntaxException e) {
      throw at.error("parse \"" + UrlRedactor.redact(url) + "\": " + e.getReason());
    }
  }

  /** A non-empty list of known scrape protocols without repeats. */
  static List<String> protocols(YamlCursor c) {
    List<String> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    List<YamlCursor> items = c.sequence();
    if (items.isEmpty()) {
      throw c.error("scrape_protocols cannot be empty");
    }
    for (YamlCursor item : items) {
      String p = item.string();
      protocol(item, p);
      if (!seen.add(p)) {
        throw item.error(
            "duplicated protocol in scrape_protocols, got "
                + items.stream().map(YamlCursor::string).toList());
      }
      out.add(p);
    }
    return List.copyOf(out);
  }

  static void protocol(YamlCursor at, String p) {
    try {
      dev.quarry.textparse.ScrapeProtocol.fromConfigName(p);
    } catch (IllegalArgumentException e) {
      throw at.error(e.getMessage());
    }
  }
}
