package dev.quarry.storage.file;

import dev.quarry.model.Labels;
import dev.quarry.storage.HeadStatistics;
import dev.quarry.storage.HeadStatistics.Stat;
import dev.quarry.util.Utf8;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Computes {@link HeadStatistics} by one scan of the head, on the caller's thread. */
final class HeadStatisticsScan {
  private HeadStatisticsScan() {}

  static HeadStatistics of(Head head, int top) {
    // label name -> (value -> series count)
    Map<String, Map<String, long[]>> postings = new HashMap<>();
    long series = 0;
    long chunks = 0;
    for (HeadSeries s : head.allSeries()) {
      series++;
      chunks += s.chunkCount();
      Labels l = s.labels;
      for (int i = 0; i < l.size(); i++) {
        postings.computeIfAbsent(l.name(i), k -> new HashMap<>())
            .computeIfAbsent(l.value(i), k -> new long[1])[0]++;
      }
    }
    List<Stat> metrics = new ArrayList<>();
    List<Stat> valueCounts = new ArrayList<>();
    List<Stat> bytes = new ArrayList<>();
    List<Stat> pairs = new ArrayList<>();
    long numPairs = 0;
    for (Map.Entry<String, Map<String, long[]>> e : postings.entrySet()) {
      String name = e.getKey();
      valueCounts.add(new Stat(name, e.getValue().size()));
      long size = 0;
      for (Map.Entry<String, long[]> v : e.getValue().entrySet()) {
        long n = v.getValue()[0];
        if (name.equals(Labels.METRIC_NAME)) {
          metrics.add(new Stat(v.getKey(), n));
        }
        pairs.add(new Stat(name + "=" + v.getKey(), n));
        size += (long) Utf8.length(v.getKey()) * n;
        numPairs++;
      }
      bytes.add(new Stat(name, size));
    }
    long min = head.scanMinTime();
    return new HeadStatistics(
        series,
        numPairs,
        chunks,
        min,
        head.maxTime(),
        top(metrics, top),
        top(valueCounts, top),
        top(bytes, top),
        top(pairs, top));
  }

  /** The {@code k} largest, largest first, ties by name. */
  private static List<Stat> top(List<Stat> all, int k) {
    all.sort(Comparator.comparingLong(Stat::value).reversed().thenComparing(Stat::name));
    return List.copyOf(all.subList(0, Math.min(k, all.size())));
  }
}
