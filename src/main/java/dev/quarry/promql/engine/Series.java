package dev.quarry.promql.engine;

import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Labels;
import java.util.Arrays;

/**
 * One series of a matrix: its labels and points in time order (millisecond timestamps). Built and
 * read by one evaluation thread; the arrays grow as points are added. A streaming reader may reuse
 * one instance for several series ({@link #reuse}). A point holds a float or a native histogram
 * ({@link #h}, then its float is 0); histograms are never changed once added.
 */
public final class Series {
  private Labels metric;
  private long[] ts;
  private double[] vs;
  private FloatHistogram[] hs;
  private int n;

  public Series(Labels metric, int capacity) {
    this.metric = metric;
    this.ts = new long[Math.max(1, capacity)];
    this.vs = new double[ts.length];
  }

  public Labels metric() {
    return metric;
  }

  public int size() {
    return n;
  }

  public long t(int i) {
    return ts[i];
  }

  public double v(int i) {
    return vs[i];
  }

  /** The histogram of point {@code i}, or null for a float. */
  public FloatHistogram h(int i) {
    return hs == null ? null : hs[i];
  }

  /** Whether some point is a histogram. */
  public boolean hasHistograms() {
    if (hs != null) {
      for (int i = 0; i < n; i++) {
        if (hs[i] != null) {
          return true;
        }
      }
    }
    return false;
  }

  /** Empties this series for reuse under {@code l}, keeping its arrays. */
  void reuse(Labels l) {
    metric = l;
    n = 0;
    hs = null;
  }

  void add(long t, double v) {
    if (n == ts.length) {
      ts = Arrays.copyOf(ts, n * 2);
      vs = Arrays.copyOf(vs, n * 2);
      if (hs != null) {
        hs = Arrays.copyOf(hs, n * 2);
      }
    }
    ts[n] = t;
    if (hs != null) {
      hs[n] = null;
    }
    vs[n++] = v;
  }

  /** Adds a point: a histogram when {@code h} is not null (its float then 0), else {@code v}. */
  void add(long t, double v, FloatHistogram h) {
    if (h == null) {
      add(t, v);
      return;
    }
    add(t, 0);
    if (hs == null) {
      hs = new FloatHistogram[ts.length];
    } else if (hs.length < ts.length) {
      hs = Arrays.copyOf(hs, ts.length);
    }
    hs[n - 1] = h;
  }

  /** The same points under other labels (sharing nothing mutable with this series). */
  Series relabel(Labels l) {
    Series s = new Series(l, n);
    System.arraycopy(ts, 0, s.ts, 0, n);
    System.arraycopy(vs, 0, s.vs, 0, n);
    if (hs != null) {
      s.hs = Arrays.copyOf(hs, s.ts.length);
    }
    s.n = n;
    return s;
  }

  void negate() {
    for (int i = 0; i < n; i++) {
      vs[i] = -vs[i];
    }
  }
}
