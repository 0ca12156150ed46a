package dev.quarry.promql.engine;

import dev.quarry.model.Labels;
import dev.quarry.promql.Expr.Aggregate;
import dev.quarry.promql.Expr.Call;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The labels side of an aggregation folded over a range function's series as they stream by ({@link
 * Calls#overRangeTransient}, which labels each with its input's labels): the group key of each, and
 * the check that the function's output labels (the input's without the metric name, unless the
 * function keeps it) are distinct, as its matrix would be checked. Those output labels are built
 * only where that check or a {@code by (__name__)} key needs them. Owned by the evaluating thread.
 */
final class FoldKeys {
  private final Aggregate a;
  private final List<String> grouping;
  private final Call c;
  private final int mi;
  private final boolean keepName;
  private final boolean keyOnOutput;
  private final Set<Labels> seen;
  private boolean duplicate;

  FoldKeys(Aggregate a, List<String> grouping, Call c, int mi) {
    this.a = a;
    this.grouping = grouping;
    this.c = c;
    this.mi = mi;
    this.keepName = Calls.keepsName(c);
    // by (__name__) must not see the name the function drops; other keys are the same either way.
    this.keyOnOutput = !keepName && !a.without() && grouping.contains(Labels.METRIC_NAME);
    this.seen = Calls.distinctOutput(c, mi) ? null : new HashSet<>();
  }

  /** One output series folded into its group; false to give up the fold. */
  @FunctionalInterface
  interface SeriesFold {
    boolean accept(Series s, Labels key);
  }

  /**
   * Streams the function's output series to {@code fold} with their group keys (each series valid
   * during the call, labelled with its input's labels), until {@code fold} gives up; returns
   * whether it never did.
   */
  boolean fold(Evaluator ev, SeriesFold fold) {
    boolean[] gaveUp = new boolean[1];
    Calls.overRangeTransient(
        ev,
        c,
        mi,
        s -> {
          if (!gaveUp[0]) {
            gaveUp[0] = !fold.accept(s, key(s.metric()));
          }
        });
    return !gaveUp[0];
  }

  /** The group key of the output series whose input is labelled {@code in}. */
  private Labels key(Labels in) {
    Labels out = seen != null || keyOnOutput ? output(in) : null;
    if (seen != null && !seen.add(out)) {
      duplicate = true;
    }
    return Aggregations.key(a, keyOnOutput ? out : in, grouping);
  }

  /** The output labels of the series whose input is labelled {@code in}. */
  Labels output(Labels in) {
    return keepName ? in : LabelOps.dropName(in);
  }

  /** Throws the matrix's error when two output series had the same labels. */
  void checkDistinct() {
    if (duplicate) {
      throw EvalException.exec("vector cannot contain metrics with the same labelset");
    }
  }
}
