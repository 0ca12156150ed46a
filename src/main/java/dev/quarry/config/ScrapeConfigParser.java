package dev.quarry.config;

import static dev.quarry.config.Fields.boolOr;
import static dev.quarry.config.Fields.intOr;
import static dev.quarry.config.Fields.sizeOr;
import static dev.quarry.config.Fields.stringOr;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one {@code scrape_configs} entry, resolving what it leaves out from the global section and
 * then Prometheus' defaults. Used by one load, on its thread.
 */
final class ScrapeConfigParser {
  static final Set<String> KEYS =
      GlobalParser.union(
          GlobalParser.JOB_DEFAULT_KEYS,
          Set.of(
              "job_name",
              "honor_labels",
              "honor_timestamps",
              "track_timestamps_staleness",
              "fallback_scrape_protocol",
              "scrape_classic_histograms",
              "metrics_path",
              "scheme",
              "params",
              "enable_compression",
              "native_histogram_bucket_limit",
              "native_histogram_min_bucket_factor",
              "relabel_configs",
              "metric_relabel_configs"),
          ServiceDiscoveryParser.SUPPORTED,
          HttpClientParser.KEYS,
          ServiceDiscoveryParser.UNSUPPORTED);

  private final LoadContext ctx;
  private final ServiceDiscoveryParser sd;

  ScrapeConfigParser(LoadContext ctx) {
    this.ctx = ctx;
    this.sd = new ServiceDiscoveryParser(ctx);
  }

  ScrapeConfig parse(YamlCursor c, GlobalConfig g) {
    Map<String, YamlCursor> m = c.mapping("config.ScrapeConfig", KEYS);
    ServiceDiscoveryParser.rejectUnsupported(m);
    String job = m.containsKey("job_name") ? m.get("job_name").string() : null;
    if (job == null || job.isEmpty()) {
      throw c.error("job_name is empty");
    }
    Duration interval =
        m.containsKey("scrape_interval") ? m.get("scrape_interval").duration() : g.scrapeInterval();
    if (interval.isZero()) {
      throw m.get("scrape_interval").error("scrape interval must be greater than 0");
    }
    Duration timeout;
    if (m.containsKey("scrape_timeout")) {
      timeout = m.get("scrape_timeout").duration();
      if (timeout.compareTo(interval) > 0) {
        throw m.get("scrape_timeout")
            .error(
                "scrape timeout greater than scrape interval for scrape config with job name \""
                    + job
                    + "\"");
      }
    } else {
      timeout = g.scrapeTimeout().compareTo(interval) > 0 ? interval : g.scrapeTimeout();
    }
    boolean nativeHistograms = boolOr(m, "scrape_native_histograms", g.scrapeNativeHistograms());
    boolean classicToo =
        boolOr(
            m,
            "always_scrape_classic_histograms",
            boolOr(m, "scrape_classic_histograms", g.alwaysScrapeClassicHistograms()));
    List<String> protocols;
    if (m.containsKey("scrape_protocols")) {
      protocols = Fields.protocols(m.get("scrape_protocols"));
    } else if (g.scrapeProtocols()
        .equals(GlobalConfig.defaultProtocols(g.scrapeNativeHistograms()))) {
      protocols = GlobalConfig.defaultProtocols(nativeHistograms); // the default follows the job
    } else {
      protocols = g.scrapeProtocols();
    }
    String fallback = null;
    if (m.containsKey("fallback_scrape_protocol")) {
      fallback = m.get("fallback_scrape_protocol").string();
      Fields.protocol(m.get("fallback_scrape_protocol"), fallback);
    }
    String scheme = stringOr(m, "scheme", "http");
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw m.get("scheme").error("unknown scrape config scheme \"" + scheme + "\"");
    }
    String metricsPath = stringOr(m, "metrics_path", "/metrics");
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (m.containsKey("params")) {
      for (Map.Entry<String, YamlCursor> e :
          m.get("params").mapping("url.Values", null).entrySet()) {
        params.put(e.getKey(), List.copyOf(e.getValue().stringList()));
      }
    }
    List<ServiceDiscoveryConfig> discovery = sd.parse(m);
    ScrapeKeyWarnings.histograms(ctx, m);
    String validation = NameSchemes.validation(ctx, m);
    String escaping = NameSchemes.escaping(ctx, m);
    NameSchemes.checkJob(m.getOrDefault("metric_name_escaping_scheme", c), g, validation, escaping);
    String failureLog =
        m.containsKey("scrape_failure_log_file")
            ? ctx.resolve(m.get("scrape_failure_log_file").string())
            : null;
    if (failureLog == null || failureLog.isEmpty()) {
      failureLog = g.scrapeFailureLogFile();
    }
    return new ScrapeConfig(
        job,
        interval,
        timeout,
        protocols,
        fallback,
        metricsPath,
        scheme,
        Map.copyOf(params),
        boolOr(m, "honor_labels", false),
        boolOr(m, "honor_timestamps", true),
        boolOr(m, "track_timestamps_staleness", false),
        boolOr(m, "enable_compression", true),
        orGlobal(sizeOr(m, "body_size_limit", 0), g.bodySizeLimit()),
        orGlobal(intOr(m, "sample_limit", 0), g.sampleLimit()),
        orGlobal(intOr(m, "label_limit", 0), g.labelLimit()),
        orGlobal(intOr(m, "label_name_length_limit", 0), g.labelNameLengthLimit()),
        orGlobal(intOr(m, "label_value_length_limit", 0), g.labelValueLengthLimit()),
        orGlobal(intOr(m, "target_limit", 0), g.targetLimit()),
        orGlobal(intOr(m, "keep_dropped_targets", 0), g.keepDroppedTargets()),
        ctx.http().parse(m, "job \"" + job + "\""),
        RelabelParser.parse(m.get("relabel_configs")),
        RelabelParser.parse(m.get("metric_relabel_configs")),
        discovery,
        failureLog,
        boolOr(m, "extra_scrape_metrics", g.extraScrapeMetrics()),
        nativeHistograms,
        classicToo,
        (long) ScrapeKeyWarnings.number(m, "native_histogram_bucket_limit"),
        ScrapeKeyWarnings.number(m, "native_histogram_min_bucket_factor"));
  }

  private static long orGlobal(long job, long global) {
    return job != 0 ? job : global;
  }
}
