package dev.quarry.scrape;

import dev.quarry.model.Labels;
import dev.quarry.relabel.Relabeler;
import dev.quarry.util.Utf8;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Builds a scraped sample's final labels from its exposed labels: the target's labels attached
 * according to {@code honor_labels}, then {@code metric_relabel_configs}, then the label limits.
 * Runs only on a scrape-cache miss. Immutable and thread-safe.
 *
 * <p>When no metric relabelling applies and no exposed label name is a target label name, the final
 * labels are a {@link Labels#join} of the exposed labels and the target's labels: the exposed part
 * is shared with every other target of the engine exposing the same series (through {@link
 * ScrapeTables}), the target part with every other series of the target, and a series' own label
 * set costs one small object.
 */
final class SampleLabels {
  static final String EXPORTED_PREFIX = "exported_";

  private final Labels targetLabels;
  private final boolean honorLabels;
  private final Relabeler metricRelabeler;
  private final long labelLimit;
  private final long nameLengthLimit;
  private final long valueLengthLimit;
  private final ScrapeTables tables;

  SampleLabels(
      ScrapeTables tables,
      Labels targetLabels,
      boolean honorLabels,
      Relabeler metricRelabeler,
      long labelLimit,
      long nameLengthLimit,
      long valueLengthLimit) {
    this.targetLabels = targetLabels;
    this.honorLabels = honorLabels;
    this.metricRelabeler = metricRelabeler;
    this.labelLimit = labelLimit;
    this.nameLengthLimit = nameLengthLimit;
    this.valueLengthLimit = valueLengthLimit;
    this.tables = tables;
  }

  /** A label limit was exceeded; the whole scrape fails with this message. */
  static final class LimitExceeded extends Exception {
    LimitExceeded(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Turns the exposed labels in {@code b} into the final labels.
   *
   * @return the final labels, or null when metric relabelling dropped the series
   */
  Labels finish(Labels.Builder b) throws LimitExceeded {
    if (metricRelabeler == null && !exposesTargetLabel(b)) {
      Labels exposed = b.build();
      Labels out = Labels.join(tables.shared(exposed), targetLabels);
      checkLimits(out);
      return out;
    }
    if (honorLabels) {
      for (int i = 0; i < targetLabels.size(); i++) {
        b.setIfAbsent(targetLabels.name(i), targetLabels.value(i));
      }
    } else {
      List<String[]> conflicts = null;
      for (int i = 0; i < targetLabels.size(); i++) {
        String name = targetLabels.name(i);
        String exposed = b.get(name);
        if (!exposed.isEmpty()) {
          if (conflicts == null) {
            conflicts = new ArrayList<>(2);
          }
          conflicts.add(new String[] {name, exposed});
        }
      }
      if (conflicts != null) {
        Labels exposedLabels = b.build();
        for (String[] c : conflicts) {
          b.del(c[0]);
        }
        resolveConflicts(b, exposedLabels, conflicts);
      }
      for (int i = 0; i < targetLabels.size(); i++) {
        b.set(targetLabels.name(i), targetLabels.value(i));
      }
    }
    if (metricRelabeler != null && (!metricRelabeler.process(b) || b.size() == 0)) {
      return null;
    }
    Labels out = b.build();
    checkLimits(out);
    return out;
  }

  /** Whether an exposed label has the name of a target label (honor_labels then decides). */
  private boolean exposesTargetLabel(Labels.Builder b) {
    for (int i = 0; i < targetLabels.size(); i++) {
      if (b.has(targetLabels.name(i))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Renames clashing exposed labels to {@code exported_<name>}, adding the prefix again until the
   * name is free, shortest names first, as Prometheus does.
   */
  private void resolveConflicts(Labels.Builder b, Labels exposed, List<String[]> conflicts) {
    conflicts.sort(Comparator.comparingInt(c -> c[0].length()));
    List<String> taken = new ArrayList<>();
    for (String[] c : conflicts) {
      String name = c[0];
      while (true) {
        name = EXPORTED_PREFIX + name;
        if (!exposed.has(name) && !targetLabels.has(name) && !taken.contains(name)) {
          break;
        }
      }
      taken.add(name);
      b.set(name, c[1]);
    }
  }

  private void checkLimits(Labels l) throws LimitExceeded {
    String metric = l.get(Labels.METRIC_NAME);
    if (labelLimit > 0 && l.size() > labelLimit) {
      throw new LimitExceeded(
          String.format(
              "label_limit exceeded (metric: %.50s, number of labels: %d, limit: %d)",
              metric, l.size(), labelLimit));
    }
    if (nameLengthLimit <= 0 && valueLengthLimit <= 0) {
      return;
    }
    for (int i = 0; i < l.size(); i++) {
      String name = l.name(i);
      String value = l.value(i);
      if (nameLengthLimit > 0 && Utf8.length(name) > nameLengthLimit) {
        throw new LimitExceeded(
            String.format(
                "label_name_length_limit exceeded (metric: %.50s, label name: %.50s, length: %d,"
                    + " limit: %d)",
                metric, name, Utf8.length(name), nameLengthLimit));
      }
      if (valueLengthLimit > 0 && Utf8.length(value) > valueLengthLimit) {
        throw new LimitExceeded(
            String.format(
                "label_value_length_limit exceeded (metric: %.50s, label name: %.50s, value:"
                    + " \"%.50s\", length: %d, limit: %d)",
                metric, name, value, Utf8.length(value), valueLengthLimit));
      }
    }
  }
}
