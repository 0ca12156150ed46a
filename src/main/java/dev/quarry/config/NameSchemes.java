package dev.quarry.config;

import java.util.Map;
import java.util.Set;

/**
 * {@code metric_name_validation_scheme} and {@code metric_name_escaping_scheme}, checked and
 * resolved (job, then global) as Prometheus 3 does. Quarry itself always reads legacy names and
 * asks targets for {@code escaping=underscores}, so a value asking for anything else is accepted
 * with a warning. Stateless.
 */
final class NameSchemes {
  static final String LEGACY = "legacy";
  static final String UTF8 = "utf8";
  static final String UNDERSCORES = "underscores";
  static final String ALLOW_UTF8 = "allow-utf-8";
  private static final Set<String> ESCAPINGS = Set.of(ALLOW_UTF8, UNDERSCORES, "dots", "values");

  private NameSchemes() {}

  /** The validation scheme of {@code m}, empty when unset. */
  static String validation(LoadContext ctx, Map<String, YamlCursor> m) {
    YamlCursor c = m.get("metric_name_validation_scheme");
    String v = c == null || c.isNull() ? "" : c.string();
    if (!v.isEmpty() && !v.equals(LEGACY) && !v.equals(UTF8)) {
      throw c.error(
          "unknown name validation method specified, must be either '', 'legacy' or 'utf8', got "
              + v);
    }
    if (v.equals(UTF8)) {
      ctx.warn(
          c,
          "utf8 is not supported by Quarry, which reads legacy metric and label names only"
              + " (UTF-8 names fail the scrape)");
    }
    return v;
  }

  /** The escaping scheme of {@code m}, empty when unset. */
  static String escaping(LoadContext ctx, Map<String, YamlCursor> m) {
    YamlCursor c = m.get("metric_name_escaping_scheme");
    String v = c == null || c.isNull() ? "" : c.string();
    if (!v.isEmpty() && !ESCAPINGS.contains(v)) {
      throw c.error(
          "unknown name escaping method specified, must be one of 'allow-utf-8', 'underscores',"
              + " 'dots', or 'values', got \""
              + v
              + "\"");
    }
    if (!v.isEmpty() && !v.equals(UNDERSCORES)) {
      ctx.warn(c, v + " is not supported by Quarry, which asks targets for escaping=underscores");
    }
    return v;
  }

  /**
   * Checks a job's schemes against the global ones as Prometheus does: {@code allow-utf-8} needs
   * {@code utf8} validation, which is the default when nothing says otherwise.
   */
  static void checkJob(YamlCursor at, GlobalConfig g, String validation, String escaping) {
    String globalValidation =
        g.metricNameValidationScheme().isEmpty() ? UTF8 : g.metricNameValidationScheme();
    String v = validation.isEmpty() ? globalValidation : validation;
    String e = escaping;
    if (e.isEmpty()) {
      if (validation.isEmpty()) {
        e =
            g.metricNameEscapingScheme().isEmpty()
                ? (globalValidation.equals(LEGACY) ? UNDERSCORES : ALLOW_UTF8)
                : g.metricNameEscapingScheme();
      } else {
        e = v.equals(LEGACY) ? UNDERSCORES : ALLOW_UTF8;
      }
    }
    if (e.equals(ALLOW_UTF8) && !v.equals(UTF8)) {
      throw at.error("utf8 metric names requested but validation scheme is not set to UTF8");
    }
  }
}
