package dev.quarry.scrape;

import dev.quarry.model.Labels;
import dev.quarry.model.StaleMarker;
import dev.quarry.storage.Appender;
import dev.quarry.storage.SampleRejectedException;

/**
 * The series a scrape loop writes about each scrape, with the target's labels: {@code up}, {@code
 * scrape_duration_seconds}, {@code scrape_samples_scraped}, {@code
 * scrape_samples_post_metric_relabeling}, {@code scrape_series_added} and, with extra metrics on,
 * {@code scrape_timeout_seconds}, {@code scrape_sample_limit}, {@code scrape_body_size_bytes}.
 * Metric relabelling never applies to them. Used by one scrape at a time.
 */
final class ReportSeries {
  static final String[] BASE = {
    "up",
    "scrape_duration_seconds",
    "scrape_samples_scraped",
    "scrape_samples_post_metric_relabeling",
    "scrape_series_added"
  };
  static final String[] EXTRA = {
    "scrape_timeout_seconds", "scrape_sample_limit", "scrape_body_size_bytes"
  };

  private final Labels[] labels;
  private final long[] refs;

  ReportSeries(Labels targetLabels, boolean extraMetrics) {
    int n = BASE.length + (extraMetrics ? EXTRA.length : 0);
    labels = new Labels[n];
    refs = new long[n];
    for (int i = 0; i < n; i++) {
      String name = i < BASE.length ? BASE[i] : EXTRA[i - BASE.length];
      labels[i] = targetLabels.toBuilder().set(Labels.METRIC_NAME, name).build();
    }
  }

  /** The values of one report, in {@link #BASE} then {@link #EXTRA} order. */
  void append(Appender app, long t, double... values) {
    for (int i = 0; i < labels.length; i++) {
      put(app, i, t, values[i]);
    }
  }

  /** Staleness markers for every report series. */
  void appendStale(Appender app, long t) {
    for (int i = 0; i < labels.length; i++) {
      put(app, i, t, StaleMarker.STALE_NAN);
    }
  }

  private void put(Appender app, int i, long t, double v) {
    try {
      refs[i] = app.append(refs[i], labels[i], t, v);
    } catch (SampleRejectedException e) {
      // out of order against a newer loop of the same target: nothing to add
    }
  }
}
