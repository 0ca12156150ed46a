package dev.quarry.storage.file;

import dev.quarry.model.Labels;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory head: every live series by labels and by ref, the time range it holds and the lower
 * bound below which appends are refused (that range already went to a block).
 *
 * <p>Refs are handed out in increasing order and never reused within a process; after a restart the
 * WAL's series records restore them, and new ones continue above the highest seen. Lookups by ref
 * index a paged array (no boxing on the append path). Thread-safe.
 */
final class Head {
  private static final int PAGE_BITS = 12;
  private static final int PAGE = 1 << PAGE_BITS;

  private final SeriesByLabels byLabels = new SeriesByLabels();
  private volatile HeadSeries[][] pages = new HeadSeries[16][];
  private final AtomicLong nextRef = new AtomicLong(1);
  private final AtomicLong minTime = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong maxTime = new AtomicLong(Long.MIN_VALUE);
  private volatile long minValidTime = Long.MIN_VALUE;

  /** Bumped after each series is linked or unlinked, to invalidate {@link #sorted}. */
  private final AtomicLong seriesVersion = new AtomicLong();

  private volatile Sorted sorted;

  /** Samples committed (written to the WAL), for self-metrics. */
  final java.util.concurrent.atomic.LongAdder samplesAppended =
      new java.util.concurrent.atomic.LongAdder();

  /** Commits whose WAL write failed, for self-metrics. */
  final java.util.concurrent.atomic.LongAdder walWriteFailures =
      new java.util.concurrent.atomic.LongAdder();

  HeadSeries get(long ref) {
    HeadSeries[][] p = pages;
    long page = ref >>> PAGE_BITS;
    if (ref <= 0 || page >= p.length) {
      return null;
    }
    HeadSeries[] pg = p[(int) page];
    return pg == null ? null : pg[(int) (ref & (PAGE - 1))];
  }

  HeadSeries get(Labels labels) {
    return byLabels.get(labels);
  }

  /** The series for {@code labels}, created with a fresh ref when new. */
  HeadSeries getOrCreate(Labels labels) {
    HeadSeries s = byLabels.get(labels);
    if (s != null) {
      return s;
    }
    synchronized (this) {
      s = byLabels.get(labels);
      if (s == null) {
        s = new HeadSeries(nextRef.getAndIncrement(), labels);
        put(s);
      }
      return s;
    }
  }

  /** Re-creates a series with the ref the WAL recorded (replay). */
  synchronized HeadSeries restore(long ref, Labels labels) {
    HeadSeries s = byLabels.get(labels);
    if (s != null) {
      return s;
    }
    s = new HeadSeries(ref, labels);
    s.logged = true;
    put(s);
    nextRef.accumulateAndGet(ref + 1, Math::max);
    return s;
  }

  /** Links a series that garbage collection removed while an appender still held it. */
  synchronized HeadSeries reattach(HeadSeries s) {
    HeadSeries current = byLabels.get(s.labels);
    if (current != null) {
      return current;
    }
    synchronized (s) {
      s.removed = false;
      s.logged = false;
    }
    put(s);
    return s;
  }

  private void put(HeadSeries s) {
    long page = s.ref >>> PAGE_BITS;
    HeadSeries[][] p = pages;
    if (page >= p.length) {
      HeadSeries[][] bigger = new HeadSeries[(int) Math.max(page + 1, p.length * 2L)][];
      System.arraycopy(p, 0, bigger, 0, p.length);
      p = bigger;
    }
    if (p[(int) page] == null) {
      p[(int) page] = new HeadSeries[PAGE];
    }
    p[(int) page][(int) (s.ref & (PAGE - 1))] = s;
    pages = p; // publish after the slot is filled
    byLabels.putIfAbsent(s);
    seriesVersion.incrementAndGet();
  }

  int numSeries() {
    return byLabels.size();
  }

  List<HeadSeries> allSeries() {
    return byLabels.values();
  }

  /**
   * Every series sorted by labels. The sorted list is kept until a series is added or removed, so
   * queries against a head whose series set is steady do not sort it each time (sorting 100,000
   * label sets costs more than reading their chunks). Never modify the list returned.
   */
  List<HeadSeries> sortedSeries() {
    long version = seriesVersion.get();
    Sorted s = sorted;
    if (s != null && s.version == version) {
      return s.series;
    }
    List<HeadSeries> all = byLabels.values();
    all.sort((a, b) -> a.labels.compareTo(b.labels));
    List<HeadSeries> list = java.util.Collections.unmodifiableList(all);
    sorted = new Sorted(version, list);
    return list;
  }

  /**
   * A sorted snapshot of the series and the {@link #seriesVersion} read before it was taken: it
   * holds at least every series added before that version was reached.
   */
  private record Sorted(long version, List<HeadSeries> series) {}

  /** Records the time range of committed samples. */
  void observe(long mint, long maxt) {
    if (mint < minTime.get()) {
      minTime.accumulateAndGet(mint, Math::min);
    }
    if (maxt > maxTime.get()) {
      maxTime.accumulateAndGet(maxt, Math::max);
    }
  }

  /** A cheap estimate of the oldest sample time held, for deciding whether to look closer. */
  long minTime() {
    return minTime.get();
  }

  /** The oldest sample time held, found by a scan (exact, unlike {@link #minTime()}). */
  long scanMinTime() {
    long min = Long.MAX_VALUE;
    for (HeadSeries s : byLabels.values()) {
      min = Math.min(min, s.firstTime());
    }
    return min == Long.MAX_VALUE ? min : Math.max(min, minValidTime);
  }

  long maxTime() {
    return maxTime.get();
  }

  long minValidTime() {
    return minValidTime;
  }

  /**
   * Forgets everything before {@code mint}: appends below it are refused from now on, chunks that
   * end before it are dropped and series left empty are removed. Returns the number removed.
   */
  int truncate(long mint) {
    minValidTime = Math.max(minValidTime, mint);
    int removed = 0;
    long newMin = Long.MAX_VALUE;
    for (HeadSeries s : allSeries()) {
      boolean empty;
      synchronized (this) {
        synchronized (s) {
          empty = s.truncateBefore(mint);
          if (empty) {
            s.removed = true;
            byLabels.remove(s);
            seriesVersion.incrementAndGet();
            HeadSeries[] pg = pages[(int) (s.ref >>> PAGE_BITS)];
            pg[(int) (s.ref & (PAGE - 1))] = null;
            removed++;
          }
        }
      }
      if (!empty) {
        newMin = Math.min(newMin, Math.max(mint, s.firstTime()));
      }
    }
    minTime.set(newMin);
    return removed;
  }
}
