package dev.quarry.storage.file;

import dev.quarry.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The head's series by label set: an open-addressing table of the series themselves (they hold
 * their labels), with linear probing on the labels' 64-bit hash. It costs a slot per series instead
 * of a map node, which matters at millions of series.
 *
 * <p>Lookups take no lock and see a consistent table: writers (inserts, removals, resizes) hold the
 * instance's monitor, a removal leaves a tombstone so probe chains stay whole, and a resize builds
 * a new table before publishing it. A lookup racing an insert may miss the new series; callers that
 * create series re-check under the lock.
 */
final class SeriesByLabels {
  private static final HeadSeries TOMBSTONE = new HeadSeries(-1, Labels.EMPTY);
  private static final int MIN_CAPACITY = 1024;

  private volatile AtomicReferenceArray<HeadSeries> table =
      new AtomicReferenceArray<>(MIN_CAPACITY);
  private int live; // guarded by this
  private int used; // live plus tombstones; guarded by this
  private volatile int size;

  /** The series with labels equal to {@code labels}, or null. */
  HeadSeries get(Labels labels) {
    AtomicReferenceArray<HeadSeries> t = table;
    int mask = t.length() - 1;
    long h = labels.hash();
    for (int i = slot(h, mask); ; i = (i + 1) & mask) {
      HeadSeries s = t.get(i);
      if (s == null) {
        return null;
      }
      if (s != TOMBSTONE && s.labels.hash() == h && s.labels.equals(labels)) {
        return s;
      }
    }
  }

  /** Adds {@code s} unless a series with its labels is present; returns the one present or null. */
  synchronized HeadSeries putIfAbsent(HeadSeries s) {
    HeadSeries present = get(s.labels);
    if (present != null) {
      return present;
    }
    if ((used + 1) * 4L > table.length() * 3L) {
      resize();
    }
    AtomicReferenceArray<HeadSeries> t = table;
    int mask = t.length() - 1;
    for (int i = slot(s.labels.hash(), mask); ; i = (i + 1) & mask) {
      HeadSeries x = t.get(i);
      if (x == null) {
        t.set(i, s);
        used++;
        break;
      }
      if (x == TOMBSTONE) {
        t.set(i, s);
        break;
      }
    }
    size = ++live;
    return null;
  }

  /** Removes {@code s} itself (not another series with equal labels); true if it was present. */
  synchronized boolean remove(HeadSeries s) {
    AtomicReferenceArray<HeadSeries> t = table;
    int mask = t.length() - 1;
    for (int i = slot(s.labels.hash(), mask); ; i = (i + 1) & mask) {
      HeadSeries x = t.get(i);
      if (x == null) {
        return false;
      }
      if (x == s) {
        t.set(i, TOMBSTONE);
        size = --live;
        if (live * 8L < t.length() && t.length() > MIN_CAPACITY) {
          resize(); // mostly empty after a truncation: give the memory back
        }
        return true;
      }
    }
  }

  int size() {
    return size;
  }

  /** A snapshot of every series. */
  List<HeadSeries> values() {
    AtomicReferenceArray<HeadSeries> t = table;
    List<HeadSeries> out = new ArrayList<>(size);
    for (int i = 0; i < t.length(); i++) {
      HeadSeries s = t.get(i);
      if (s != null && s != TOMBSTONE) {
        out.add(s);
      }
    }
    return out;
  }

  private void resize() {
    int cap = MIN_CAPACITY;
    while (cap < (live + 1) * 2L) { // the new table is at most half full
      cap <<= 1;
    }
    AtomicReferenceArray<HeadSeries> old = table;
    AtomicReferenceArray<HeadSeries> t = new AtomicReferenceArray<>(cap);
    int mask = cap - 1;
    for (int j = 0; j < old.length(); j++) {
      HeadSeries s = old.get(j);
      if (s == null || s == TOMBSTONE) {
        continue;
      }
      int i = slot(s.labels.hash(), mask);
      while (t.get(i) != null) {
        i = (i + 1) & mask;
      }
      t.set(i, s);
    }
    used = live;
    table = t;
  }

  private static int slot(long h, int mask) {
    long x = h * 0x9E3779B97F4A7C15L;
    return (int) (x >>> 32) & mask;
  }
}
