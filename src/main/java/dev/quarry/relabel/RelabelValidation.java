package dev.quarry.relabel;

import static dev.quarry.relabel.RelabelAction.DROPEQUAL;
import static dev.quarry.relabel.RelabelAction.HASHMOD;
import static dev.quarry.relabel.RelabelAction.KEEPEQUAL;
import static dev.quarry.relabel.RelabelAction.LABELDROP;
import static dev.quarry.relabel.RelabelAction.LABELKEEP;
import static dev.quarry.relabel.RelabelAction.LABELMAP;
import static dev.quarry.relabel.RelabelAction.LOWERCASE;
import static dev.quarry.relabel.RelabelAction.REPLACE;
import static dev.quarry.relabel.RelabelAction.UPPERCASE;

import dev.quarry.util.GoQuote;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Checks a relabel rule the way Prometheus does when it loads a config: the same checks, in the
 * same order, with the same messages, so a user sees the error Prometheus would show. Every failure
 * names the YAML key at fault in {@link RelabelConfigException#field()}.
 */
public final class RelabelValidation {
  private static final Set<RelabelAction> NEEDS_TARGET =
      EnumSet.of(REPLACE, HASHMOD, LOWERCASE, UPPERCASE, KEEPEQUAL, DROPEQUAL);
  private static final Set<RelabelAction> PLAIN_TARGET =
      EnumSet.of(LOWERCASE, UPPERCASE, KEEPEQUAL, DROPEQUAL);

  private RelabelValidation() {}

  /**
   * The action for a YAML {@code action} value (case-insensitive).
   *
   * @throws RelabelConfigException on field {@code action} when the name is unknown
   */
  public static RelabelAction parseAction(String yaml) {
    RelabelAction a = yaml == null ? null : RelabelAction.fromYaml(yaml);
    if (a == null) {
      throw new RelabelConfigException(
          "action", "unknown relabel action " + GoQuote.quote(yaml == null ? "" : yaml));
    }
    return a;
  }

  static void validate(RelabelConfig c) {
    RelabelAction action = c.action();
    String name = action.yamlName();
    try {
      Re2Pattern.compile(c.regex());
    } catch (Re2SyntaxException e) {
      throw new RelabelConfigException("regex", e.getMessage());
    }
    String target = c.targetLabel();
    boolean noTarget = target == null || target.isEmpty();
    if (action == HASHMOD && c.modulus() == 0) {
      throw new RelabelConfigException(
          "modulus", "relabel configuration for hashmod requires non-zero modulus");
    }
    if (NEEDS_TARGET.contains(action) && noTarget) {
      throw new RelabelConfigException(
          "target_label",
          "relabel configuration for " + name + " action requires 'target_label' value");
    }
    boolean templated = target != null && target.contains("$");
    boolean badTarget =
        switch (action) {
          case REPLACE ->
              templated ? !LabelNames.isValidTemplate(target) : !LabelNames.isValid(target);
          case LOWERCASE, UPPERCASE, KEEPEQUAL, DROPEQUAL, HASHMOD -> !LabelNames.isValid(target);
          default -> false;
        };
    // Prometheus checks hashmod's target after the replacement checks; the order only matters
    // for which of two errors is shown, and hashmod has no replacement check, so it is the same.
    if (badTarget) {
      throw new RelabelConfigException(
          "target_label",
          GoQuote.quote(Objects.toString(target, ""))
              + " is invalid 'target_label' for "
              + name
              + " action");
    }
    boolean defaultReplacement = RelabelConfig.DEFAULT_REPLACEMENT.equals(c.replacement());
    if (PLAIN_TARGET.contains(action) && !defaultReplacement) {
      throw new RelabelConfigException(
          "replacement", "'replacement' can not be set for " + name + " action");
    }
    if (action == LABELMAP && !LabelNames.isValidTemplate(c.replacement())) {
      throw new RelabelConfigException(
          "replacement",
          GoQuote.quote(Objects.toString(c.replacement(), ""))
              + " is invalid 'replacement' for "
              + name
              + " action");
    }
    if (action == KEEPEQUAL || action == DROPEQUAL) {
      String extra = firstExtraFieldForEqual(c);
      if (extra != null) {
        throw new RelabelConfigException(
            extra,
            name + " action requires only 'source_labels' and `target_label`, and no other fields");
      }
    }
    if (action == LABELDROP || action == LABELKEEP) {
      String extra = firstExtraFieldForLabelFilter(c, noTarget);
      if (extra != null) {
        throw new RelabelConfigException(
            extra, name + " action requires only 'regex', and no other fields");
      }
    }
  }

  private static String firstExtraFieldForEqual(RelabelConfig c) {
    if (!RelabelConfig.DEFAULT_REGEX.equals(c.regex())) {
      return "regex";
    }
    if (c.modulus() != 0) {
      return "modulus";
    }
    if (!RelabelConfig.DEFAULT_SEPARATOR.equals(c.separator())) {
      return "separator";
    }
    if (!RelabelConfig.DEFAULT_REPLACEMENT.equals(c.replacement())) {
      return "replacement";
    }
    return null;
  }

  private static String firstExtraFieldForLabelFilter(RelabelConfig c, boolean noTarget) {
    if (!c.sourceLabels().isEmpty()) {
      return "source_labels";
    }
    if (!noTarget) {
      return "target_label";
    }
    if (c.modulus() != 0) {
      return "modulus";
    }
    if (!RelabelConfig.DEFAULT_SEPARATOR.equals(c.separator())) {
      return "separator";
    }
    if (!RelabelConfig.DEFAULT_REPLACEMENT.equals(c.replacement())) {
      return "replacement";
    }
    return null;
  }
}
