package dev.quarry.model;

/**
 * What a native histogram says about a counter reset since the previous sample of its series, as
 * Prometheus' {@code histogram.CounterResetHint}. A scraped histogram is {@link #UNKNOWN}, or
 * {@link #GAUGE} when its family is a gauge histogram.
 */
public enum CounterResetHint {
  /** Nothing is known: the storage has to find out by comparing with the previous sample. */
  UNKNOWN,
  /** A counter reset happened just before this sample. */
  COUNTER_RESET,
  /** No counter reset happened. */
  NOT_COUNTER_RESET,
  /** The histogram is a gauge: counter resets do not apply. */
  GAUGE
}
