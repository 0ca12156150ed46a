package dev.quarry.model;

/**
 * The staleness marker: a NaN with a reserved bit pattern that storage keeps distinct from an
 * ordinary NaN sample. Prometheus writes it when a series vanishes from a target.
 */
public final class StaleMarker {
  public static final long STALE_NAN_BITS = 0x7ff0000000000002L;
  public static final double STALE_NAN = Double.longBitsToDouble(STALE_NAN_BITS);

  private StaleMarker() {}

  /** True for the staleness marker, false for every other value including other NaNs. */
  public static boolean isStale(double v) {
    return Double.doubleToRawLongBits(v) == STALE_NAN_BITS;
  }
}
