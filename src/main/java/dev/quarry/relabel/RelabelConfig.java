package dev.quarry.relabel;

import java.util.List;

/**
 * One relabel rule as written in YAML, with Prometheus' defaults applied by {@link #of}.
 *
 * @param sourceLabels labels whose values are joined with {@code separator}
 * @param separator default {@code ;}
 * @param regex the regex as written (default {@code (.*)}); anchored when compiled
 * @param modulus hashmod modulus (0 when unset)
 * @param targetLabel may be null when unset
 * @param replacement default {@code $1}
 * @param action default {@link RelabelAction#REPLACE}
 */
public record RelabelConfig(
    List<String> sourceLabels,
    String separator,
    String regex,
    long modulus,
    String targetLabel,
    String replacement,
    RelabelAction action) {

  public static final String DEFAULT_SEPARATOR = ";";
  public static final String DEFAULT_REGEX = "(.*)";
  public static final String DEFAULT_REPLACEMENT = "$1";

  /**
   * Builds a rule from the YAML fields (null = field absent), applies defaults and validates it as
   * Prometheus does.
   *
   * @throws IllegalArgumentException with Prometheus-like wording when the rule is invalid
   */
  public static RelabelConfig of(
      List<String> sourceLabels,
      String separator,
      String regex,
      Long modulus,
      String targetLabel,
      String replacement,
      RelabelAction action) {
    RelabelConfig c =
        new RelabelConfig(
            sourceLabels == null ? List.of() : List.copyOf(sourceLabels),
            separator == null ? DEFAULT_SEPARATOR : separator,
            regex == null ? DEFAULT_REGEX : regex,
            modulus == null ? 0 : modulus,
            targetLabel,
            replacement == null ? DEFAULT_REPLACEMENT : replacement,
            action == null ? RelabelAction.REPLACE : action);
    RelabelValidation.validate(c);
    return c;
  }
}
