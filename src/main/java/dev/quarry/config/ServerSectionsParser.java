package dev.quarry.config;

import java.util.Map;
import java.util.Set;

/**
 * The top-level sections for Prometheus server features Quarry does not have: rule evaluation
 * ({@code rule_files}), alerting, remote read, the TSDB's own settings, tracing, the OTLP receiver
 * and the Go runtime. Each is read for the keys Prometheus knows (a typo is still an error) and
 * accepted with one warning per setting, naming it, so nothing is silently ignored. One method per
 * section; used by one load, on its thread.
 */
final class ServerSectionsParser {
  private final LoadContext ctx;

  ServerSectionsParser(LoadContext ctx) {
    this.ctx = ctx;
  }

  /** Reads whichever of these sections the top-level mapping {@code top} has. */
  void parse(Map<String, YamlCursor> top) {
    if (top.containsKey("rule_files")) {
      ruleFiles(top.get("rule_files"));
    }
    if (top.containsKey("alerting")) {
      alerting(top.get("alerting"));
    }
    if (top.containsKey("remote_read")) {
      remoteRead(top.get("remote_read"));
    }
    if (top.containsKey("storage")) {
      storage(top.get("storage"));
    }
    if (top.containsKey("tracing")) {
      tracing(top.get("tracing"));
    }
    if (top.containsKey("otlp")) {
      otlp(top.get("otlp"));
    }
    if (top.containsKey("runtime")) {
      runtime(top.get("runtime"));
    }
  }

  private void ruleFiles(YamlCursor c) {
    if (!c.stringList().isEmpty()) {
      ctx.warn(c, "rule_files are not loaded: Quarry evaluates no recording or alerting rules");
    }
  }

  private void alerting(YamlCursor c) {
    Map<String, YamlCursor> m =
        c.mapping("config.AlertingConfig", Set.of("alert_relabel_configs", "alertmanagers"));
    if (!m.isEmpty()) {
      ctx.warn(c, "alerting is not supported by Quarry, which sends no alerts");
    }
  }

  private void remoteRead(YamlCursor c) {
    if (!c.sequence().isEmpty()) {
      ctx.warn(c, "remote_read is not supported by Quarry; queries read local storage only");
    }
  }

  private void storage(YamlCursor c) {
    Map<String, YamlCursor> m = c.mapping("config.StorageConfig", Set.of("tsdb", "exemplars"));
    if (m.containsKey("tsdb")) {
      Map<String, YamlCursor> t =
          m.get("tsdb")
              .mapping(
                  "config.TSDBConfig",
                  Set.of(
                      "out_of_order_time_window",
                      "stale_series_compaction_threshold",
                      "chunk_encoding",
                      "retention"));
      ctx.warnIfSet(
          t,
          "out_of_order_time_window",
          "out_of_order_time_window is not supported by Quarry; out-of-order samples are"
              + " rejected");
      ctx.warnIfSet(
          t,
          "stale_series_compaction_threshold",
          "stale_series_compaction_threshold is not supported by Quarry and is ignored");
      ctx.warnIfSet(
          t,
          "chunk_encoding",
          "chunk_encoding is not supported by Quarry, which has its own storage format");
      if (t.containsKey("retention")) {
        Map<String, YamlCursor> r =
            t.get("retention")
                .mapping("config.TSDBRetentionConfig", Set.of("time", "size", "percentage"));
        ctx.warnIfSet(
            r,
            "time",
            "retention is not read from prometheus.yml by Quarry; set"
                + " QUARRY_STORAGE_RETENTION_TIME");
        ctx.warnIfSet(
            r,
            "size",
            "retention is not read from prometheus.yml by Quarry; set"
                + " QUARRY_STORAGE_RETENTION_SIZE");
        ctx.warnIfSet(
            r, "percentage", "retention.percentage is not supported by Quarry and is ignored");
      }
    }
    if (m.containsKey("exemplars")) {
      Map<String, YamlCursor> e =
          m.get("exemplars").mapping("config.ExemplarsConfig", Set.of("max_exemplars"));
      ctx.warnIfSet(
          e,
          "max_exemplars",
          "max_exemplars is not supported by Quarry, which keeps no exemplar storage to query"
              + " (exemplars go to the WAL and remote write)");
    }
  }

  private void tracing(YamlCursor c) {
    Map<String, YamlCursor> m =
        c.mapping(
            "config.TracingConfig",
            Set.of(
                "client_type",
                "endpoint",
                "sampling_fraction",
                "insecure",
                "tls_config",
                "headers",
                "compression",
                "timeout"));
    if (!m.isEmpty()) {
      ctx.warn(c, "tracing is not supported by Quarry; no traces are sent");
    }
  }

  private void otlp(YamlCursor c) {
    Map<String, YamlCursor> m =
        c.mapping(
            "config.OTLPConfig",
            Set.of(
                "promote_all_resource_attributes",
                "promote_resource_attributes",
                "ignore_resource_attributes",
                "translation_strategy",
                "keep_identifying_resource_attributes",
                "convert_histograms_to_nhcb",
                "promote_scope_metadata",
                "label_name_underscore_sanitization",
                "label_name_preserve_multiple_underscores"));
    if (!m.isEmpty()) {
      ctx.warn(c, "otlp is not supported by Quarry, which has no OTLP receiver");
    }
  }

  private void runtime(YamlCursor c) {
    Map<String, YamlCursor> m = c.mapping("config.RuntimeConfig", Set.of("gogc"));
    ctx.warnIfSet(m, "gogc", "gogc is a Go runtime setting and has no effect on Quarry (a JVM)");
  }
}
