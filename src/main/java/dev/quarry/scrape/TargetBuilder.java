package dev.quarry.scrape;

import dev.quarry.config.Durations;
import dev.quarry.config.ScrapeConfig;
import dev.quarry.discovery.TargetGroup;
import dev.quarry.model.Labels;
import dev.quarry.relabel.LargeStack;
import dev.quarry.relabel.Relabeler;
import dev.quarry.util.GoQuote;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns discovered target groups into targets, following Prometheus' rules: target labels over
 * group labels, then the job's defaults where unset, then {@code relabel_configs}; an empty result
 * is a dropped target, one without {@code __address__}, with a {@code __scheme__} other than {@code
 * http} or {@code https} or with invalid scrape settings is an error (neither active nor dropped).
 * {@code __meta_*} labels are removed after relabelling and {@code instance} defaults to the
 * address. Stateless and thread-safe.
 */
public final class TargetBuilder {
  public static final String ADDRESS = "__address__";
  public static final String SCHEME = "__scheme__";
  public static final String METRICS_PATH = "__metrics_path__";
  public static final String SCRAPE_INTERVAL = "__scrape_interval__";
  public static final String SCRAPE_TIMEOUT = "__scrape_timeout__";
  public static final String PARAM_PREFIX = "__param_";
  public static final String META_PREFIX = "__meta_";
  public static final String JOB = "job";
  public static final String INSTANCE = "instance";

  private final ScrapeConfig config;
  private final Relabeler relabeler;

  public TargetBuilder(ScrapeConfig config) {
    this(config, null);
  }

  /** Deep {@code relabel_configs} regexes match on {@code stack} (see {@link LargeStack}). */
  public TargetBuilder(ScrapeConfig config, LargeStack stack) {
    this.config = config;
    this.relabeler = Relabeler.compile(config.relabelConfigs(), stack);
  }

  /** What a group turned into: active targets, dropped targets' discovered labels, and errors. */
  public record Result(List<Target> active, List<Labels> dropped, List<String> errors) {}

  public Result fromGroups(List<TargetGroup> groups) {
    List<Target> active = new ArrayList<>();
    List<Labels> dropped = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (TargetGroup group : groups) {
      for (int i = 0; i < group.targets().size(); i++) {
        Labels.Builder b = group.targets().get(i).toBuilder();
        group.labels().forEach(b::setIfAbsent);
        try {
          Target t = populate(b.build(), dropped);
          if (t != null) {
            active.add(t);
          }
        } catch (IllegalArgumentException e) {
          errors.add("instance " + i + " in group " + group.source() + ": " + e.getMessage());
        }
      }
    }
    return new Result(active, dropped, errors);
  }

  /**
   * Builds one target from its merged discovery labels. Returns null and adds the discovered labels
   * to {@code dropped} when relabelling drops it.
   *
   * @throws IllegalArgumentException when the target cannot be scraped (no address, bad interval)
   */
  Target populate(Labels merged, List<Labels> dropped) {
    Labels.Builder b = merged.toBuilder();
    b.setIfAbsent(JOB, config.jobName());
    b.setIfAbsent(SCRAPE_INTERVAL, Durations.format(config.scrapeInterval()));
    b.setIfAbsent(SCRAPE_TIMEOUT, Durations.format(config.scrapeTimeout()));
    b.setIfAbsent(METRICS_PATH, config.metricsPath());
    b.setIfAbsent(SCHEME, config.scheme());
    for (Map.Entry<String, List<String>> p : config.params().entrySet()) {
      if (!p.getValue().isEmpty()) {
        b.setIfAbsent(PARAM_PREFIX + p.getKey(), p.getValue().get(0));
      }
    }
    Labels discovered = b.build();
    if (!relabeler.process(b) || b.size() == 0) {
      dropped.add(discovered);
      return null;
    }
    String address = b.get(ADDRESS);
    if (address.isEmpty()) {
      throw new IllegalArgumentException("no address");
    }
    String scheme = b.get(SCHEME);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      // Prometheus 2.42 only checks the scheme when it adds a port (and then names the job's
      // scheme); any other one would put a URL such as javascript://… into the targets API.
      throw new IllegalArgumentException("invalid scheme: " + GoQuote.quote(scheme));
    }
    if (needsPort(address)) {
      // An address without a port gets the scheme's default port, as Prometheus 2 adds it.
      address = address + (scheme.equals("https") ? ":443" : ":80");
      b.set(ADDRESS, address);
    }
    if (address.contains("/")) {
      throw new IllegalArgumentException("\"" + address + "\" is not a valid hostname");
    }
    Duration interval = parseDuration(b.get(SCRAPE_INTERVAL), "scrape interval");
    Duration timeout = parseDuration(b.get(SCRAPE_TIMEOUT), "scrape timeout");
    if (interval.isZero()) {
      throw new IllegalArgumentException("scrape interval cannot be 0");
    }
    if (timeout.isZero()) {
      throw new IllegalArgumentException("scrape timeout cannot be 0");
    }
    if (timeout.compareTo(interval) > 0) {
      throw new IllegalArgumentException(
          "scrape timeout cannot be greater than scrape interval (\""
              + Durations.format(timeout)
              + "\" > \""
              + Durations.format(interval)
              + "\")");
    }
    b.removeIf(n -> n.startsWith(META_PREFIX));
    b.setIfAbsent(INSTANCE, address);
    return new Target(b.build(), discovered, config.params());
  }

  /**
   * Whether {@code address} lacks a port and adding one makes it a host:port pair, by the rules of
   * Go's {@code net.SplitHostPort}: {@code host} and {@code [::1]} do, {@code host:}, {@code ::1}
   * and malformed addresses do not.
   */
  static boolean needsPort(String address) {
    return !splitsIntoHostPort(address) && splitsIntoHostPort(address + ":1234");
  }

  private static boolean splitsIntoHostPort(String s) {
    int colon = s.lastIndexOf(':');
    if (colon < 0) {
      return false;
    }
    if (s.startsWith("[")) {
      // [host]:port: the bracket closes right before the last colon, no bracket after it.
      int close = s.indexOf(']');
      return close >= 0
          && close + 1 == colon
          && s.indexOf('[', 1) < 0
          && s.indexOf(']', close + 1) < 0;
    }
    // host:port: one colon, no brackets.
    return s.indexOf(':') == colon && s.indexOf('[') < 0 && s.indexOf(']') < 0;
  }

  private static Duration parseDuration(String s, String what) {
    try {
      return Durations.parse(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("error parsing " + what + ": " + e.getMessage());
    }
  }
}
