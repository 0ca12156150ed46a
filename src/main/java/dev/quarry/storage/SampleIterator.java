package dev.quarry.storage;

import dev.quarry.model.FloatHistogram;

/**
 * Samples of one series, oldest first, each timestamp once: call {@link #next()} and, while it
 * returns true, read {@link #timestamp()} (Unix milliseconds) and {@link #value()} (raw bits, so a
 * staleness marker is the NaN of {@link dev.quarry.model.StaleMarker}). Owned by one thread.
 *
 * <p>A series of native histograms yields them through {@link #floatHistogram()} (integer-count
 * histograms converted to float counts, as the query engine reads them); a series may hold floats
 * and histograms at different timestamps. A staleness marker in a histogram series is a float
 * sample with the stale NaN.
 */
public interface SampleIterator {
  boolean next();

  long timestamp();

  double value();

  /**
   * The current sample's native histogram, or null when the sample is a float ({@link #value()}).
   * The holder belongs to the iterator and may be overwritten by the next {@link #next()}: copy it
   * to keep it.
   */
  default FloatHistogram floatHistogram() {
    return null;
  }
}
