package dev.quarry.model;

/**
 * Prometheus' classic name syntax: label names are {@code [a-zA-Z_][a-zA-Z0-9_]*} ({@code
 * model.LabelName.IsValid}), metric names {@code [a-zA-Z_:][a-zA-Z0-9_:]*} ({@code
 * model.IsValidMetricName}). Stateless and thread-safe.
 */
public final class NameSyntax {
  private NameSyntax() {}

  /** Whether {@code s} is a valid label name; {@code null} and the empty string are not. */
  public static boolean isLabelName(String s) {
    return matches(s, false);
  }

  /** Whether {@code s} is a valid metric name; {@code null} and the empty string are not. */
  public static boolean isMetricName(String s) {
    return matches(s, true);
  }

  private static boolean matches(String s, boolean colon) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          c == '_'
              || (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (colon && c == ':')
              || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
