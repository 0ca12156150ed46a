package dev.quarry.relabel;

import java.util.List;

/** Test helper: builds one relabel rule field by field, like a YAML block, through {@code of}. */
final class Rules {
  private List<String> sourceLabels;
  private String separator;
  private String regex;
  private Long modulus;
  private String targetLabel;
  private String replacement;
  private RelabelAction action;

  static Rules rule(RelabelAction action) {
    Rules r = new Rules();
    r.action = action;
    return r;
  }

  Rules src(String... names) {
    sourceLabels = List.of(names);
    return this;
  }

  Rules sep(String s) {
    separator = s;
    return this;
  }

  Rules regex(String s) {
    regex = s;
    return this;
  }

  Rules modulus(long m) {
    modulus = m;
    return this;
  }

  Rules target(String s) {
    targetLabel = s;
    return this;
  }

  Rules replacement(String s) {
    replacement = s;
    return this;
  }

  RelabelConfig build() {
    return RelabelConfig.of(
        sourceLabels, separator, regex, modulus, targetLabel, replacement, action);
  }
}
