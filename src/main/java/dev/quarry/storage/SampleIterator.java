package dev.quarry.storage;

/**
 * Samples of one series, oldest first, each timestamp once: call {@link #next()} and, while it
 * returns true, read {@link #timestamp()} (Unix milliseconds) and {@link #value()} (raw bits, so a
 * staleness marker is the NaN of {@link dev.quarry.model.StaleMarker}). Owned by one thread.
 */
public interface SampleIterator {
  boolean next();

  long timestamp();

  double value();
}
