package dev.quarry.query;

import dev.quarry.model.Labels;
import dev.quarry.storage.Matcher;
import dev.quarry.storage.file.Sample;
import dev.quarry.storage.file.SeriesData;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates vector selectors over raw data as PromQL does: an instant selector at time {@code t}
 * takes each series' newest sample in {@code (t - lookback, t]} unless that sample is a staleness
 * marker, stamped {@code t}; a range selector returns the samples in {@code (t - range, t]}
 * without staleness markers; a range query evaluates the instant selector at every step.
 */
public final class QueryEngine {
  /** Reads raw series: those matching every matcher with samples in {@code [mint, maxt]}. */
  @FunctionalInterface
  public interface Source {
    List<SeriesData> select(List<Matcher> matchers, long mint, long maxt);
  }

  /** One series of an instant vector. */
  public record Point(Labels labels, long timestampMillis, double value) {}

  /** Prometheus refuses range queries of more points than this per series. */
  public static final long MAX_POINTS = 11_000;

  private final Source source;
  private final long lookbackMillis;

  public QueryEngine(Source source, long lookbackMillis) {
    this.source = source;
    this.lookbackMillis = lookbackMillis;
  }

  /** An instant selector at {@code t}; series sorted by labels. */
  public List<Point> instant(Selector s, long t) {
    List<Point> out = new ArrayList<>();
    for (SeriesData d : source.select(s.matchers(), t - lookbackMillis + 1, t)) {
      List<Sample> samples = d.samples();
      if (samples.isEmpty()) {
        continue;
      }
      Sample last = samples.get(samples.size() - 1);
      if (!last.isStale()) {
        out.add(new Point(d.labels(), t, last.value()));
      }
    }
    out.sort((a, b) -> a.labels().compareTo(b.labels()));
    return out;
  }

  /** A range selector at {@code t}: each series' samples in {@code (t - range, t]}. */
  public List<SeriesData> rangeAt(Selector s, long t) {
    List<SeriesData> out = new ArrayList<>();
    for (SeriesData d : source.select(s.matchers(), t - s.rangeMillis() + 1, t)) {
      List<Sample> kept = new ArrayList<>(d.samples().size());
      for (Sample x : d.samples()) {
        if (!x.isStale()) {
          kept.add(x);
        }
      }
      if (!kept.isEmpty()) {
        out.add(new SeriesData(d.labels(), kept));
      }
    }
    out.sort((a, b) -> a.labels().compareTo(b.labels()));
    return out;
  }

  /**
   * An instant selector at {@code start, start + step, …, end}: for each series the points where
   * it had a value, stamped with the step's time.
   */
  public List<SeriesData> range(Selector s, long start, long end, long step) {
    if (s.rangeMillis() > 0) {
      throw new QueryException("invalid expression type \"range vector\" for range query, must be"
          + " Scalar or instant Vector");
    }
    if (end < start) {
      throw new QueryException("end timestamp must not be before start time");
    }
    if (step <= 0) {
      throw new QueryException("zero or negative query resolution step widths are not accepted."
          + " Try a positive integer");
    }
    if ((end - start) / step > MAX_POINTS) {
      throw new QueryException("exceeded maximum resolution of 11,000 points per timeseries."
          + " Try decreasing the query resolution (?step=XX)");
    }
    List<SeriesData> out = new ArrayList<>();
    for (SeriesData d : source.select(s.matchers(), start - lookbackMillis + 1, end)) {
      List<Sample> samples = d.samples();
      List<Sample> points = new ArrayList<>();
      int i = 0; // first sample after the current step
      for (long t = start; t <= end; t += step) {
        while (i < samples.size() && samples.get(i).timestampMillis() <= t) {
          i++;
        }
        if (i == 0) {
          continue;
        }
        Sample last = samples.get(i - 1);
        if (last.timestampMillis() > t - lookbackMillis && !last.isStale()) {
          points.add(new Sample(t, last.value()));
        }
      }
      if (!points.isEmpty()) {
        out.add(new SeriesData(d.labels(), points));
      }
    }
    out.sort((a, b) -> a.labels().compareTo(b.labels()));
    return out;
  }
}
