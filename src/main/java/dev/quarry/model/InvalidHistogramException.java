package dev.quarry.model;

/**
 * A native histogram whose fields contradict each other, with Prometheus' wording of {@code
 * histogram.Validate} (for example {@code positive side: spans need 3 buckets, have 2 buckets:
 * histogram spans specify different number of buckets than provided}).
 */
public final class InvalidHistogramException extends Exception {
  public InvalidHistogramException(String message) {
    super(message, null, false, false);
  }
}
