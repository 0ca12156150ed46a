package dev.quarry.storage;

import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Histogram;
import dev.quarry.model.Labels;

/**
 * One batch of appends, made visible together by {@link #commit()} or discarded by {@link
 * #rollback()}. Used by a single thread; not reusable after commit or rollback.
 *
 * <p>A series reference ({@code ref}) is an opaque non-zero number the appender returns for a label
 * set; passing it back on the next scrape lets the storage skip the label lookup. Zero means
 * "unknown": the labels are then used.
 */
public interface Appender {
  /**
   * Appends one sample.
   *
   * @return the series reference to pass next time
   * @throws SampleRejectedException for a sample the storage refuses (out of order, duplicate
   *     timestamp with another value, too old, too far in the future); the batch stays usable
   */
  long append(long ref, Labels labels, long timestampMillis, double value);

  /**
   * Appends one native histogram sample: {@code h} with integer counts, or {@code fh} with float
   * counts (the other one null). The holders belong to the caller and are reused after the call
   * returns, so a storage that keeps them must copy them. The default refuses it: a storage without
   * native histograms counts the sample as refused and the scrape goes on.
   *
   * @return the series reference to pass next time
   * @throws SampleRejectedException as {@link #append}, and with {@link
   *     SampleRejectedException.Reason#NATIVE_HISTOGRAMS_UNSUPPORTED} by default
   */
  default long appendHistogram(
      long ref, Labels labels, long timestampMillis, Histogram h, FloatHistogram fh) {
    throw new SampleRejectedException(SampleRejectedException.Reason.NATIVE_HISTOGRAMS_UNSUPPORTED);
  }

  /** Attaches an exemplar to a series appended in this batch. */
  void appendExemplar(long ref, Labels labels, Exemplar exemplar);

  /** Records the metadata of a series' family (type, help, unit). */
  void updateMetadata(long ref, Labels labels, Metadata metadata);

  /** Makes every append of this batch durable and visible. */
  void commit();

  /** Discards every append of this batch. */
  void rollback();
}
