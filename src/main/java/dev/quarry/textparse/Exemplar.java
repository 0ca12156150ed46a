package dev.quarry.textparse;

import dev.quarry.model.Labels;

/**
 * A mutable exemplar holder that a caller allocates once and hands to {@link
 * Parser#exemplar(Exemplar)} for every sample, so reading exemplars costs no holder per sample. Not
 * thread-safe.
 */
public final class Exemplar {
  private Labels labels = Labels.EMPTY;
  private double value;
  private boolean hasTimestamp;
  private long timestamp;

  public Labels labels() {
    return labels;
  }

  public double value() {
    return value;
  }

  public boolean hasTimestamp() {
    return hasTimestamp;
  }

  /** The exemplar's timestamp in milliseconds; meaningful only when {@link #hasTimestamp()}. */
  public long timestamp() {
    return timestamp;
  }

  void set(Labels labels, double value, boolean hasTimestamp, long timestamp) {
    this.labels = labels;
    this.value = value;
    this.hasTimestamp = hasTimestamp;
    this.timestamp = timestamp;
  }

  @Override
  public String toString() {
    return labels + " " + value + (hasTimestamp ? " @" + timestamp : "");
  }
}
