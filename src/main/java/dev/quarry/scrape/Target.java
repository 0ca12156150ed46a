package dev.quarry.scrape;

import dev.quarry.config.Durations;
import dev.quarry.model.Labels;
import dev.quarry.util.Fnv64a;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One active scrape target: its labels after target relabelling (still holding the {@code __}
 * labels that configure the scrape), the labels discovery gave it, and what follows from them.
 * Immutable; the scrape state of a target (health, last error) lives in its {@link TargetHealth}.
 */
public final class Target {
  private final Labels labels;
  private final Labels discoveredLabels;
  private final Labels publicLabels;
  private final String url;
  private final Duration interval;
  private final Duration timeout;
  private final long hash;
  private final TargetHealth health;

  Target(Labels labels, Labels discoveredLabels, Map<String, List<String>> params) {
    this.labels = labels;
    this.discoveredLabels = discoveredLabels;
    this.publicLabels = labels.toBuilder().removeIf(n -> n.startsWith("__")).build();
    this.url = buildUrl(labels, params);
    this.interval = Durations.parse(labels.get(TargetBuilder.SCRAPE_INTERVAL));
    this.timeout = Durations.parse(labels.get(TargetBuilder.SCRAPE_TIMEOUT));
    this.hash = computeHash(publicLabels.hash(), url);
    this.health = new TargetHealth();
  }

  private Target(Target base, Labels discoveredLabels) {
    this.labels = base.labels;
    this.discoveredLabels = discoveredLabels;
    this.publicLabels = base.publicLabels;
    this.url = base.url;
    this.interval = base.interval;
    this.timeout = base.timeout;
    this.hash = base.hash;
    this.health = base.health;
  }

  /** The same target (same health record) with refreshed discovered labels. */
  Target withDiscoveredLabels(Labels discovered) {
    return discovered.equals(discoveredLabels) ? this : new Target(this, discovered);
  }

  /** Labels after relabelling, including {@code __address__}, {@code __scheme__} and the like. */
  public Labels labels() {
    return labels;
  }

  /**
   * The labels a target's samples get: {@link #labels()} without those starting with {@code __}.
   */
  public Labels publicLabels() {
    return publicLabels;
  }

  /** Labels as discovery produced them, before relabelling (defaults included). */
  public Labels discoveredLabels() {
    return discoveredLabels;
  }

  public String scrapeUrl() {
    return url;
  }

  public Duration interval() {
    return interval;
  }

  public Duration timeout() {
    return timeout;
  }

  /** Identity of the target within its pool: public labels and scrape URL. */
  public long hash() {
    return hash;
  }

  public TargetHealth health() {
    return health;
  }

  /**
   * The scrape URL: scheme, address and path from the labels; query from the configured params,
   * where a {@code __param_<name>} label replaces the first value of that param (or adds it).
   * Params are sorted by name and form-encoded, as Go's {@code url.Values.Encode} does.
   */
  private static String buildUrl(Labels labels, Map<String, List<String>> params) {
    Map<String, List<String>> query = new TreeMap<>();
    params.forEach((k, v) -> query.put(k, new java.util.ArrayList<>(v)));
    labels.forEach(
        (name, value) -> {
          if (name.startsWith(TargetBuilder.PARAM_PREFIX)) {
            String key = name.substring(TargetBuilder.PARAM_PREFIX.length());
            List<String> vs = query.computeIfAbsent(key, k -> new java.util.ArrayList<>());
            if (vs.isEmpty()) {
              vs.add(value);
            } else {
              vs.set(0, value);
            }
          }
        });
    StringBuilder sb = new StringBuilder();
    sb.append(labels.get(TargetBuilder.SCHEME))
        .append("://")
        .append(labels.get(TargetBuilder.ADDRESS));
    String path = labels.get(TargetBuilder.METRICS_PATH);
    sb.append(path);
    String sep = "?";
    for (Map.Entry<String, List<String>> e : query.entrySet()) {
      for (String v : e.getValue()) {
        sb.append(sep).append(encode(e.getKey())).append('=').append(encode(v));
        sep = "&";
      }
    }
    return sb.toString();
  }

  private static String encode(String s) {
    // Go's QueryEscape and Java's URLEncoder agree except for '~', '*' and space handling of '+'.
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("*", "%2A").replace("%7E", "~");
  }

  private static long computeHash(long labelsHash, String url) {
    return Fnv64a.add(
        Fnv64a.addLong(Fnv64a.OFFSET, labelsHash), url.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return url;
  }
}
