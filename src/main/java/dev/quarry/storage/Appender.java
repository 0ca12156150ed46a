package dev.quarry.storage;

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

  /** Attaches an exemplar to a series appended in this batch. */
  void appendExemplar(long ref, Labels labels, Exemplar exemplar);

  /** Records the metadata of a series' family (type, help, unit). */
  void updateMetadata(long ref, Labels labels, Metadata metadata);

  /** Makes every append of this batch durable and visible. */
  void commit();

  /** Discards every append of this batch. */
  void rollback();
}
