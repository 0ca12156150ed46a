package dev.quarry.remote;

import dev.quarry.model.Labels;
import dev.quarry.relabel.Relabeler;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns a WAL series' labels into the series as sent: external labels added where the series lacks
 * them, then {@code write_relabel_configs}, then encoded as protobuf {@code Label} fields in label
 * order, each field array shared by every series with that label pair (few pairs, many series). Not
 * thread-safe: owned by the WAL follower's thread.
 */
final class SeriesLabels {
  /** The series as sent of a series dropped by relabelling. */
  static final byte[][] DROPPED = new byte[0][];

  private final Labels externalLabels;
  private final Relabeler relabeler;
  private final Map<String, Map<String, byte[]>> labelFields = new HashMap<>();
  private int labelFieldCount;

  SeriesLabels(Labels externalLabels, Relabeler relabeler) {
    this.externalLabels = externalLabels;
    this.relabeler = relabeler;
  }

  /** The series as sent, or {@link #DROPPED}. */
  byte[][] toSend(Labels in) {
    Labels withExternal = in;
    if (!externalLabels.isEmpty()) {
      Labels.Builder b = in.toBuilder();
      externalLabels.forEach(b::setIfAbsent);
      withExternal = b.build();
    }
    Labels out = relabeler.process(withExternal);
    if (out == null || out.isEmpty()) {
      return DROPPED;
    }
    if (labelFieldCount > 1_000_000) {
      labelFields.clear(); // churning label values: start over rather than grow
      labelFieldCount = 0;
    }
    byte[][] parts = new byte[out.size()][];
    for (int i = 0; i < parts.length; i++) {
      String ln = out.name(i);
      String lv = out.value(i);
      Map<String, byte[]> byValue = labelFields.computeIfAbsent(ln, k -> new HashMap<>());
      byte[] part = byValue.get(lv);
      if (part == null) {
        part = WriteRequestEncoder.encodeLabel(ln, lv);
        byValue.put(lv, part);
        labelFieldCount++;
      }
      parts[i] = part;
    }
    return parts;
  }

  /** The metric name of a series as sent, or null; decodes its {@code __name__} field. */
  static String metricName(byte[][] parts) {
    for (byte[] p : parts) {
      String[] nv = WriteRequestEncoder.decodeLabel(p);
      if (Labels.METRIC_NAME.equals(nv[0])) {
        return nv[1];
      }
    }
    return null;
  }
}
