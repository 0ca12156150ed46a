package dev.quarry.storage;

import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Histogram;
import dev.quarry.model.Labels;
import java.util.List;

/**
 * The records the WAL holds, as its readers ({@link WalSource}) see them. Immutable: {@link
 * Samples}' arrays may be shared by several readers, which never write them. The payload encoding
 * (the file store's {@code WalCodec}; the first payload byte is the record type):
 *
 * <ul>
 *   <li>series: {@code count, (ref, nLabels, (name, value)*)*} — a ref is announced before any
 *       sample uses it;
 *   <li>samples: {@code count, baseRef, baseT, (refDelta, tDelta, value bits)*} with zig-zag varint
 *       deltas against the previous sample of the same record, and the value as its raw 64 bits so
 *       the staleness NaN survives;
 *   <li>metadata: {@code count, (ref, type, unit, help)*};
 *   <li>exemplars: {@code count, (ref, timestamp, value bits, nLabels, (name, value)*)*};
 *   <li>histograms and float histograms: one commit's native histogram samples, integer and float
 *       counts in records of their own: {@code count, baseRef, baseT}, then per sample zig-zag ref
 *       and time deltas, hint ordinal, zig-zag schema, zero threshold bits, zero count, count, sum
 *       bits, and per side its spans {@code n, (zig-zag offset, length)*} and buckets; integer
 *       counts are unsigned varints and buckets zig-zag deltas as in the model, float counts raw
 *       doubles. A checkpoint keeps them as it keeps samples.
 * </ul>
 */
public sealed interface WalRecord {
  /** Series announcements: refs and their labels. */
  record Series(List<RefLabels> series) implements WalRecord {}

  /** One series announcement. */
  record RefLabels(long ref, Labels labels) {}

  /** Samples as parallel arrays (a record is one commit's worth, often thousands). */
  record Samples(long[] refs, long[] timestamps, double[] values) implements WalRecord {
    public int size() {
      return refs.length;
    }
  }

  /** Metadata of the family of each series. */
  record MetadataEntries(List<RefMetadata> entries) implements WalRecord {}

  /** Metadata attached to one series ref. */
  record RefMetadata(long ref, Metadata metadata) {}

  /** Exemplars of one commit. */
  record Exemplars(List<RefExemplar> exemplars) implements WalRecord {}

  /**
   * Native histogram samples with integer counts as parallel arrays. The histograms are never
   * written after the record is made.
   */
  record Histograms(long[] refs, long[] timestamps, Histogram[] histograms) implements WalRecord {
    public int size() {
      return refs.length;
    }
  }

  /** Native histogram samples with float counts, as {@link Histograms}. */
  record FloatHistograms(long[] refs, long[] timestamps, FloatHistogram[] histograms)
      implements WalRecord {
    public int size() {
      return refs.length;
    }
  }

  /** One exemplar of a series: its own labels, value and timestamp. */
  record RefExemplar(long ref, long timestamp, double value, Labels labels) {}
}
