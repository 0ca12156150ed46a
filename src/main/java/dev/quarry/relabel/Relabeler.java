package dev.quarry.relabel;

import dev.quarry.model.Labels;
import java.util.List;

/**
 * A list of relabel rules compiled once and applied in order, as Prometheus applies {@code
 * relabel_configs} and {@code metric_relabel_configs}: each rule sees the result of the ones before
 * it, and the first rule that drops the set ends the walk.
 *
 * <p>Immutable and thread-safe: one instance serves every scrape loop of a job at once.
 */
public final class Relabeler {
  private static final Relabeler NONE = new Relabeler(new RelabelRule[0]);

  private final RelabelRule[] rules;

  private Relabeler(RelabelRule[] rules) {
    this.rules = rules;
  }

  /**
   * Compiles validated rules (from {@link RelabelConfig#of}); an empty list gives a relabeler that
   * keeps every label set unchanged. A deep regex gets a large-stack thread of its own.
   */
  public static Relabeler compile(List<RelabelConfig> configs) {
    return compile(configs, null);
  }

  /**
   * As {@link #compile(List)}, deep regexes matching on the threads of {@code stack}, which the
   * caller (an engine compiling the rules of many jobs) owns and sizes; null: as {@link
   * #compile(List)}.
   */
  public static Relabeler compile(List<RelabelConfig> configs, LargeStack stack) {
    return configs.isEmpty() ? NONE : new Relabeler(RelabelRule.compileAll(configs, stack));
  }

  /** Whether there are no rules, so callers can skip relabelling (and copying) entirely. */
  public boolean isEmpty() {
    return rules.length == 0;
  }

  /**
   * Relabels {@code in}. Returns null when a rule drops the set; an empty result is also a drop for
   * the caller (a target or series without labels cannot exist).
   */
  public Labels process(Labels in) {
    if (rules.length == 0) {
      return in;
    }
    Labels.Builder b = in.toBuilder();
    return process(b) ? b.build() : null;
  }

  /**
   * The label set after each rule in turn, for debugging a configuration: element {@code i} is the
   * result of the first {@code i + 1} rules, or null once a rule has dropped the set.
   */
  public java.util.List<Labels> steps(Labels in) {
    java.util.List<Labels> out = new java.util.ArrayList<>(rules.length);
    Labels.Builder b = in.toBuilder();
    boolean kept = true;
    for (RelabelRule r : rules) {
      kept = kept && r.apply(b);
      out.add(kept ? b.build() : null);
    }
    return out;
  }

  /**
   * Relabels the builder in place, for hot paths that reuse one builder. Returns false when a rule
   * drops the set; the builder's content is then unspecified.
   */
  public boolean process(Labels.Builder b) {
    for (RelabelRule r : rules) {
      if (!r.apply(b)) {
        return false;
      }
    }
    return true;
  }
}
