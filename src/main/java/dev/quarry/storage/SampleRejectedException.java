package dev.quarry.storage;

/**
 * A sample the storage refused. The scrape goes on without it and counts it by {@link #reason()},
 * as Prometheus does for out-of-order and duplicate samples.
 */
public final class SampleRejectedException extends RuntimeException {
  /** Why a sample was refused. */
  public enum Reason {
    OUT_OF_ORDER("out of order sample"),
    DUPLICATE("duplicate sample for timestamp"),
    OUT_OF_BOUNDS("out of bounds"),
    TOO_FAR_IN_FUTURE("too far in the future"),
    NATIVE_HISTOGRAMS_UNSUPPORTED("native histograms not supported by this storage");

    private final String text;

    Reason(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  private final Reason reason;

  public SampleRejectedException(Reason reason) {
    super(reason.text(), null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
