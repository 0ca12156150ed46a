package dev.quarry.config;

import static dev.quarry.config.Fields.boolOr;
import static dev.quarry.config.Fields.intOr;
import static dev.quarry.config.Fields.sizeOr;

import dev.quarry.model.Labels;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the {@code global} section, with Prometheus' defaults for what it leaves out. */
final class GlobalParser {
  /**
   * The keys a scrape config takes that {@code global} may set for every job (a job leaving one out
   * gets the global value): one list for both sections, so they cannot drift apart.
   */
  static final Set<String> JOB_DEFAULT_KEYS =
      Set.of(
          "scrape_interval",
          "scrape_timeout",
          "scrape_protocols",
          "scrape_failure_log_file",
          "body_size_limit",
          "sample_limit",
          "target_limit",
          "label_limit",
          "label_name_length_limit",
          "label_value_length_limit",
          "keep_dropped_targets",
          "metric_name_validation_scheme",
          "metric_name_escaping_scheme",
          "always_scrape_classic_histograms",
          "convert_classic_histograms_to_nhcb",
          "scrape_native_histograms",
          "extra_scrape_metrics");

  static final Set<String> KEYS =
      union(
          JOB_DEFAULT_KEYS,
          Set.of("evaluation_interval", "rule_query_offset", "external_labels", "query_log_file"));

  /** The keys of all the sets. */
  @SafeVarargs
  static Set<String> union(Set<String>... sets) {
    Set<String> all = new HashSet<>();
    for (Set<String> s : sets) {
      all.addAll(s);
    }
    return Set.copyOf(all);
  }

  private GlobalParser() {}

  static GlobalConfig parse(LoadContext ctx, YamlCursor c) {
    Map<String, YamlCursor> m = c.mapping("config.GlobalConfig", KEYS);
    GlobalConfig d = GlobalConfig.DEFAULT;
    Duration interval =
        m.containsKey("scrape_interval") ? m.get("scrape_interval").duration() : d.scrapeInterval();
    Duration timeout;
    if (m.containsKey("scrape_timeout")) {
      timeout = m.get("scrape_timeout").duration();
      if (timeout.compareTo(interval) > 0) {
        throw m.get("scrape_timeout").error("global scrape timeout greater than scrape interval");
      }
    } else {
      timeout = d.scrapeTimeout().compareTo(interval) > 0 ? interval : d.scrapeTimeout();
    }
    if (interval.isZero()) {
      throw m.get("scrape_interval").error("scrape interval must be greater than 0");
    }
    Duration eval =
        m.containsKey("evaluation_interval")
            ? m.get("evaluation_interval").duration()
            : d.evaluationInterval();
    Labels external =
        m.containsKey("external_labels") ? Fields.labels(m.get("external_labels")) : Labels.EMPTY;
    boolean nativeHistograms = boolOr(m, "scrape_native_histograms", false);
    List<String> protocols =
        m.containsKey("scrape_protocols")
            ? Fields.protocols(m.get("scrape_protocols"))
            : GlobalConfig.defaultProtocols(nativeHistograms);
    ScrapeKeyWarnings.histograms(ctx, m);
    ctx.warnIfSet(
        m,
        "evaluation_interval",
        "evaluation_interval has no effect in Quarry, which evaluates no rules (a subquery"
            + " without a step uses 1m)");
    ctx.warnIfSet(
        m,
        "rule_query_offset",
        "rule_query_offset has no effect in Quarry, which evaluates no rules");
    ctx.warnIfSet(
        m, "query_log_file", "query_log_file is not supported by Quarry; no query log is written");
    String failureLog =
        m.containsKey("scrape_failure_log_file") ? m.get("scrape_failure_log_file").string() : null;
    return new GlobalConfig(
        interval,
        timeout,
        eval,
        external,
        protocols,
        sizeOr(m, "body_size_limit", 0),
        intOr(m, "sample_limit", 0),
        intOr(m, "label_limit", 0),
        intOr(m, "label_name_length_limit", 0),
        intOr(m, "label_value_length_limit", 0),
        intOr(m, "target_limit", 0),
        intOr(m, "keep_dropped_targets", 0),
        failureLog == null || failureLog.isEmpty() ? null : ctx.resolve(failureLog),
        boolOr(m, "extra_scrape_metrics", false),
        NameSchemes.validation(ctx, m),
        NameSchemes.escaping(ctx, m),
        nativeHistograms,
        boolOr(m, "always_scrape_classic_histograms", false));
  }
}
