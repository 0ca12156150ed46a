package dev.quarry.storage;

import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Histogram;
import dev.quarry.model.Labels;
import dev.quarry.model.StaleMarker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * An in-memory {@link Appendable} that keeps every committed sample (and native histograms, as
 * float histograms, when made {@link #withNativeHistograms()}; else it refuses them), for tests and
 * for a quick look at what a scrape produced, and serves them as a {@link Queryable}. Rejects
 * out-of-order samples and a second value at the same timestamp as Prometheus' head does.
 * Thread-safe: commits are serialised on the storage.
 */
public final class MemoryStorage implements Appendable, Queryable {
  /** One stored sample: a float, or a native histogram ({@code histogram} not null). */
  public record Sample(long timestampMillis, double value, FloatHistogram histogram) {
    public Sample(long timestampMillis, double value) {
      this(timestampMillis, value, null);
    }

    public boolean isStale() {
      return histogram == null && StaleMarker.isStale(value);
    }
  }

  private final Map<Labels, List<Sample>> series = new LinkedHashMap<>();
  private final Map<Long, Labels> byRef = new HashMap<>();
  private final Map<Labels, Long> refs = new HashMap<>();
  private final Map<String, Metadata> metadata = new HashMap<>();
  private final Map<Labels, List<Exemplar>> exemplars = new HashMap<>();
  private final AtomicLong nextRef = new AtomicLong(1);
  private final boolean nativeHistograms;
  private long commits;

  /** A store that refuses native histograms, as a storage without them does. */
  public MemoryStorage() {
    this(false);
  }

  private MemoryStorage(boolean nativeHistograms) {
    this.nativeHistograms = nativeHistograms;
  }

  /** A store that keeps native histogram samples too. */
  public static MemoryStorage withNativeHistograms() {
    return new MemoryStorage(true);
  }

  @Override
  public Appender appender() {
    return new MemoryAppender();
  }

  /** The samples of one series, oldest first (a copy). */
  public synchronized List<Sample> samples(Labels labels) {
    return List.copyOf(series.getOrDefault(labels, List.of()));
  }

  /** Every series whose labels pass {@code filter}. */
  public synchronized List<Labels> series(Predicate<Labels> filter) {
    return series.keySet().stream().filter(filter).toList();
  }

  /** The last sample of a series, or null. */
  public synchronized Sample last(Labels labels) {
    List<Sample> s = series.get(labels);
    return s == null || s.isEmpty() ? null : s.get(s.size() - 1);
  }

  public synchronized Metadata metadata(String metricFamily) {
    return metadata.get(metricFamily);
  }

  public synchronized List<Exemplar> exemplars(Labels labels) {
    return List.copyOf(exemplars.getOrDefault(labels, List.of()));
  }

  public synchronized long commits() {
    return commits;
  }

  @Override
  public synchronized List<Series> select(long mint, long maxt, List<Matcher> matchers) {
    List<Series> out = new ArrayList<>();
    for (Map.Entry<Labels, List<Sample>> e : series.entrySet()) {
      if (!matchesAll(e.getKey(), matchers)) {
        continue;
      }
      List<Sample> in = new ArrayList<>();
      for (Sample s : e.getValue()) {
        if (s.timestampMillis() >= mint && s.timestampMillis() <= maxt) {
          in.add(s);
        }
      }
      if (!in.isEmpty()) {
        out.add(new MemorySeries(e.getKey(), List.copyOf(in)));
      }
    }
    out.sort((a, b) -> a.labels().compareTo(b.labels()));
    return out;
  }

  @Override
  public synchronized List<String> labelNames(long mint, long maxt, List<Matcher> matchers) {
    TreeSet<String> names = new TreeSet<>();
    for (Series s : select(mint, maxt, matchers)) {
      s.labels().forEach((n, v) -> names.add(n));
    }
    return new ArrayList<>(names);
  }

  @Override
  public synchronized List<String> labelValues(
      String name, long mint, long maxt, List<Matcher> matchers) {
    TreeSet<String> values = new TreeSet<>();
    for (Series s : select(mint, maxt, matchers)) {
      String v = s.labels().get(name);
      if (v != null && !v.isEmpty()) {
        values.add(v);
      }
    }
    return new ArrayList<>(values);
  }

  private static boolean matchesAll(Labels l, List<Matcher> matchers) {
    for (Matcher m : matchers) {
      String v = l.get(m.name());
      if (!m.matches(v == null ? "" : v)) {
        return false;
      }
    }
    return true;
  }

  /** A selected series over a snapshot of its samples; each iterator is independent. */
  private record MemorySeries(Labels labels, List<Sample> samples) implements Series {
    @Override
    public SampleIterator iterator() {
      return new SampleIterator() {
        private int i = -1;

        @Override
        public boolean next() {
          return ++i < samples.size();
        }

        @Override
        public long timestamp() {
          return samples.get(i).timestampMillis();
        }

        @Override
        public double value() {
          return samples.get(i).value();
        }

        @Override
        public FloatHistogram floatHistogram() {
          return samples.get(i).histogram();
        }
      };
    }
  }

  private synchronized long refFor(Labels labels) {
    return refs.computeIfAbsent(
        labels,
        l -> {
          long r = nextRef.getAndIncrement();
          byRef.put(r, l);
          return r;
        });
  }

  private synchronized Sample lastCommitted(Labels labels) {
    return last(labels);
  }

  private final class MemoryAppender implements Appender {
    private final List<Object[]> pending = new ArrayList<>();
    private final Map<Labels, Long> lastPendingTs = new HashMap<>();
    private boolean done;

    @Override
    public long append(long ref, Labels labels, long t, double v) {
      return add(ref, labels, t, v, null);
    }

    @Override
    public long appendHistogram(long ref, Labels labels, long t, Histogram h, FloatHistogram fh) {
      if (!nativeHistograms) {
        throw new SampleRejectedException(
            SampleRejectedException.Reason.NATIVE_HISTOGRAMS_UNSUPPORTED);
      }
      FloatHistogram copy = fh != null ? fh.copy() : h.toFloat(new FloatHistogram());
      return add(ref, labels, t, 0, copy);
    }

    private long add(long ref, Labels labels, long t, double v, FloatHistogram fh) {
      check();
      Labels l = ref != 0 ? resolve(ref, labels) : labels;
      Long prevPending = lastPendingTs.get(l);
      Sample prev = lastCommitted(l);
      long prevTs =
          prevPending != null
              ? prevPending
              : prev == null ? Long.MIN_VALUE : prev.timestampMillis();
      if (t < prevTs) {
        throw new SampleRejectedException(SampleRejectedException.Reason.OUT_OF_ORDER);
      }
      if (t == prevTs
          && prevPending == null
          && prev != null
          && (Double.doubleToRawLongBits(prev.value()) != Double.doubleToRawLongBits(v)
              || !java.util.Objects.equals(prev.histogram(), fh))) {
        throw new SampleRejectedException(SampleRejectedException.Reason.DUPLICATE);
      }
      lastPendingTs.put(l, t);
      pending.add(new Object[] {l, new Sample(t, v, fh)});
      return refFor(l);
    }

    private Labels resolve(long ref, Labels labels) {
      synchronized (MemoryStorage.this) {
        Labels l = byRef.get(ref);
        return l != null ? l : labels;
      }
    }

    @Override
    public void appendExemplar(long ref, Labels labels, Exemplar exemplar) {
      check();
      pending.add(new Object[] {labels, exemplar});
    }

    @Override
    public void updateMetadata(long ref, Labels labels, Metadata m) {
      check();
      pending.add(new Object[] {labels.get(Labels.METRIC_NAME), m});
    }

    @Override
    public void commit() {
      check();
      done = true;
      synchronized (MemoryStorage.this) {
        for (Object[] p : pending) {
          if (p[1] instanceof Sample s) {
            Labels l = (Labels) p[0];
            List<Sample> list = series.computeIfAbsent(l, k -> new ArrayList<>());
            if (!list.isEmpty()
                && list.get(list.size() - 1).timestampMillis() == s.timestampMillis()) {
              continue; // an identical repeat of the last sample
            }
            list.add(s);
          } else if (p[1] instanceof Exemplar e) {
            exemplars.computeIfAbsent((Labels) p[0], k -> new ArrayList<>()).add(e);
          } else if (p[1] instanceof Metadata m) {
            metadata.put((String) p[0], m);
          }
        }
        commits++;
      }
    }

    @Override
    public void rollback() {
      check();
      done = true;
      pending.clear();
    }

    private void check() {
      if (done) {
        throw new IllegalStateException("appender already committed or rolled back");
      }
    }
  }
}
