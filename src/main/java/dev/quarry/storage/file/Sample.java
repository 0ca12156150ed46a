package dev.quarry.storage.file;

import dev.quarry.model.StaleMarker;

/** One stored sample; the value keeps its raw bits (staleness markers included). */
public record Sample(long timestampMillis, double value) {
  public boolean isStale() {
    return StaleMarker.isStale(value);
  }
}
