package dev.quarry.config;

import static dev.quarry.config.Fields.stringOr;

import dev.quarry.relabel.RelabelAction;
import dev.quarry.relabel.RelabelConfig;
import dev.quarry.relabel.RelabelConfigException;
import dev.quarry.relabel.RelabelValidation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a list of relabel configs ({@code relabel_configs}, {@code metric_relabel_configs}, {@code
 * write_relabel_configs}); a check {@link RelabelConfig} rejects names the offending key.
 * Stateless.
 */
final class RelabelParser {
  private static final Set<String> KEYS =
      Set.of(
          "source_labels",
          "separator",
          "regex",
          "modulus",
          "target_label",
          "replacement",
          "action");

  private RelabelParser() {}

  /** The configs of {@code list}; none when it is absent (null). */
  static List<RelabelConfig> parse(YamlCursor list) {
    if (list == null) {
      return List.of();
    }
    List<RelabelConfig> out = new ArrayList<>();
    for (YamlCursor c : list.sequence()) {
      Map<String, YamlCursor> m = c.mapping("relabel.Config", KEYS);
      try {
        RelabelAction action =
            m.containsKey("action")
                ? RelabelValidation.parseAction(m.get("action").string())
                : null;
        out.add(
            RelabelConfig.of(
                m.containsKey("source_labels") ? m.get("source_labels").stringList() : null,
                stringOr(m, "separator", null),
                stringOr(m, "regex", null),
                m.containsKey("modulus") ? m.get("modulus").integer() : null,
                stringOr(m, "target_label", null),
                stringOr(m, "replacement", null),
                action));
      } catch (RelabelConfigException e) {
        YamlCursor at = e.field() != null && m.containsKey(e.field()) ? m.get(e.field()) : c;
        throw at.error(e.getMessage());
      }
    }
    return List.copyOf(out);
  }
}
