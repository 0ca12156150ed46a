package dev.quarry.storage;

import java.util.List;

/**
 * Cardinality figures of the head, as Prometheus' {@code /api/v1/status/tsdb} reports them: the
 * number of series, label pairs and chunks, the time range, and the top entries of four rankings
 * (series per metric name, distinct values per label name, bytes of values per label name weighted
 * by the series holding them, series per label pair).
 *
 * <p>An immutable snapshot taken by one scan of the head; the head may change during the scan, so
 * the figures are consistent only to within the appends made meanwhile.
 */
public record HeadStatistics(
    long numSeries,
    long numLabelPairs,
    long chunkCount,
    long minTime,
    long maxTime,
    List<Stat> seriesCountByMetricName,
    List<Stat> labelValueCountByLabelName,
    List<Stat> memoryInBytesByLabelName,
    List<Stat> seriesCountByLabelValuePair) {

  /** One ranked entry. */
  public record Stat(String name, long value) {}
}
