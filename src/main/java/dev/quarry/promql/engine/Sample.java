package dev.quarry.promql.engine;

import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Labels;

/**
 * One element of an instant vector: labels, timestamp (ms) and a float value or a native histogram
 * {@code h} (then {@code v} is 0, as in Prometheus 2.42, where float-only operations see a
 * histogram sample as 0). Immutable: the histogram is never changed once in a sample.
 */
public record Sample(Labels metric, long t, double v, FloatHistogram h) {
  public Sample(Labels metric, long t, double v) {
    this(metric, t, v, null);
  }
}
