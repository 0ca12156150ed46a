package dev.quarry.promql.engine;

import dev.quarry.model.Labels;
import java.util.Collection;

/** Label-set operations of the evaluator: dropping the name, keeping or removing labels. */
final class LabelOps {
  private LabelOps() {}

  static Labels dropName(Labels l) {
    if (!l.has(Labels.METRIC_NAME)) {
      return l;
    }
    return l.toBuilder().del(Labels.METRIC_NAME).build();
  }

  /** Only the labels named. */
  static Labels keep(Labels l, Collection<String> names) {
    return l.toBuilder().removeIf(n -> !names.contains(n)).build();
  }

  /** Without the labels named and without the metric name. */
  static Labels without(Labels l, Collection<String> names) {
    return l.toBuilder().removeIf(n -> n.equals(Labels.METRIC_NAME) || names.contains(n)).build();
  }

  /** The matching signature of vector matching: on the labels named, or ignoring them. */
  static Labels signature(Labels l, boolean on, Collection<String> names) {
    return on ? keep(l, names) : without(l, names);
  }

  /** Prometheus' {@code model.LabelName.IsValid}: {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
  static boolean validName(String s) {
    return dev.quarry.model.NameSyntax.isLabelName(s);
  }
}
