package dev.quarry.promql.engine;

import dev.quarry.model.Labels;
import java.util.Arrays;

/**
 * One series of a matrix: its labels and points in time order (millisecond timestamps). Built and
 * read by one evaluation thread; the arrays grow as points are added. A streaming reader may reuse
 * one instance for several series ({@link #reuse}).
 */
public final class Series {
  private Labels metric;
  private long[] ts;
  private double[] vs;
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

  /** Empties this series for reuse under {@code l}, keeping its arrays. */
  void reuse(Labels l) {
    metric = l;
    n = 0;
  }

  void add(long t, double v) {
    if (n == ts.length) {
      ts = Arrays.copyOf(ts, n * 2);
      vs = Arrays.copyOf(vs, n * 2);
    }
    ts[n] = t;
    vs[n++] = v;
  }

  /** The same points under other labels (sharing nothing mutable with this series). */
  Series relabel(Labels l) {
    Series s = new Series(l, n);
    System.arraycopy(ts, 0, s.ts, 0, n);
    System.arraycopy(vs, 0, s.vs, 0, n);
    s.n = n;
    return s;
  }

  void negate() {
    for (int i = 0; i < n; i++) {
      vs[i] = -vs[i];
    }
  }
}
