package dev.quarry.promql.engine;

import dev.quarry.model.Labels;
import java.util.Arrays;

/**
 * The best k samples of one topk or bottomk group at one step, kept as Prometheus 2.42 keeps them:
 * a binary heap (Go's {@code container/heap}) with the worst kept sample on top, under a "less"
 * that puts NaN first and then orders by value, ascending for topk and descending for bottomk. A
 * sample enters while fewer than k are kept; after that, when it beats the top or the top is NaN,
 * the top is popped and the sample pushed (for k = 1 it replaces the top in place); {@link #sort}
 * then puts the heap in output order as Go's {@code sort.Sort(sort.Reverse(heap))} does, which for
 * up to 12 samples is an insertion sort. So which of several equal samples stay, and the order they
 * come out in, follow the input order as in Prometheus. Owned by the evaluating thread.
 */
final class ValueHeap {
  /** Up to this many samples Go's sort.Sort is an insertion sort. */
  private static final int INSERTION_SORT_MAX = 12;

  private final boolean top;
  private final long k;
  private Labels[] metric;
  private double[] value;
  private int n;

  /** A heap for {@code k >= 1} samples: the largest ones with {@code top}, else the smallest. */
  ValueHeap(boolean top, long k) {
    this.top = top;
    this.k = k;
    int cap = (int) Math.min(k, 4);
    this.metric = new Labels[cap];
    this.value = new double[cap];
  }

  int size() {
    return n;
  }

  Labels metric(int i) {
    return metric[i];
  }

  double value(int i) {
    return value[i];
  }

  /** Offers one sample; returns whether the heap grew (it holds at most k). */
  boolean offer(Labels m, double v) {
    if (n < k) {
      if (n == metric.length) {
        int cap = (int) Math.min(k, 2L * n);
        metric = Arrays.copyOf(metric, cap);
        value = Arrays.copyOf(value, cap);
      }
      push(m, v);
      return true;
    }
    double worst = value[0];
    if (!(top ? worst < v : worst > v) && !Double.isNaN(worst)) {
      return false;
    }
    if (k == 1) {
      metric[0] = m; // in place, as Prometheus does for k = 1
      value[0] = v;
      return false;
    }
    // Go's heap.Pop (the top swapped to the end, sifted down, dropped), then heap.Push.
    swap(0, --n);
    down(0, n);
    push(m, v);
    return false;
  }

  private void push(Labels m, double v) {
    metric[n] = m;
    value[n] = v;
    up(n++);
  }

  /** Puts the samples in output order (best first); the heap is done with after this. */
  void sort() {
    if (n <= 1) {
      return;
    }
    if (n <= INSERTION_SORT_MAX) {
      // Reverse order's less(j, j-1) is less(j-1, j).
      for (int i = 1; i < n; i++) {
        for (int j = i; j > 0 && less(j - 1, j); j--) {
          swap(j, j - 1);
        }
      }
      return;
    }
    // Go's pattern-defeating quicksort for larger heaps agrees with this wherever the order is
    // total: best first, NaN last, equal values in heap order.
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Arrays.sort(
        idx,
        (x, y) -> {
          double a = value[x];
          double b = value[y];
          if (Double.isNaN(a) || Double.isNaN(b)) {
            return Boolean.compare(Double.isNaN(a), Double.isNaN(b));
          }
          return top ? Double.compare(b, a) : Double.compare(a, b);
        });
    Labels[] m = new Labels[n];
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      m[i] = metric[idx[i]];
      v[i] = value[idx[i]];
    }
    metric = m;
    value = v;
  }

  private boolean less(int i, int j) {
    double a = value[i];
    return Double.isNaN(a) || (top ? a < value[j] : a > value[j]);
  }

  private void up(int j) {
    while (true) {
      int i = (j - 1) / 2;
      if (i == j || !less(j, i)) {
        return;
      }
      swap(i, j);
      j = i;
    }
  }

  private void down(int i, int limit) {
    while (true) {
      int j = 2 * i + 1;
      if (j >= limit) {
        return;
      }
      if (j + 1 < limit && less(j + 1, j)) {
        j++;
      }
      if (!less(j, i)) {
        return;
      }
      swap(i, j);
      i = j;
    }
  }

  private void swap(int i, int j) {
    Labels m = metric[i];
    metric[i] = metric[j];
    metric[j] = m;
    double v = value[i];
    value[i] = value[j];
    value[j] = v;
  }
}
