package dev.quarry.relabel;

import com.google.re2j.Pattern;
import dev.quarry.model.NameSyntax;

/**
 * Label-name rules relabelling checks: the classic Prometheus name syntax {@code
 * [a-zA-Z_][a-zA-Z0-9_]*}, and the shape of a target template that may hold {@code $1}, {@code
 * ${1}} or {@code $name} references. Stateless and thread-safe.
 */
final class LabelNames {
  // Same shape Prometheus checks templates against: name characters and $-references only, read
  // by re2j as Go reads it (ASCII \w) and, nested repetitions and all, in linear time.
  private static final Pattern TEMPLATE =
      Pattern.compile("^(?:(?:[a-zA-Z_]|\\$(?:\\{\\w+\\}|\\w+))+\\w*)+$");

  private LabelNames() {}

  /** Whether {@code s} is a valid label name. */
  static boolean isValid(String s) {
    return NameSyntax.isLabelName(s);
  }

  /** Whether {@code s} is a label name in which {@code $} references may stand for parts. */
  static boolean isValidTemplate(String s) {
    return s != null && TEMPLATE.matcher(s).matches();
  }
}
