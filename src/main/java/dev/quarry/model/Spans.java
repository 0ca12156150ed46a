package dev.quarry.model;

import java.util.Arrays;

/**
 * The spans of one side (positive or negative) of a native histogram: runs of consecutive buckets,
 * each an offset from the end of the previous span (from index 0 for the first) and a length, as
 * Prometheus' {@code histogram.Span}. Mutable and reusable ({@link #clear()}); not thread-safe.
 */
public final class Spans {
  private int[] offsets = new int[4];
  private int[] lengths = new int[4];
  private int size;

  /** Appends a span. {@code length} is unsigned on the wire; it is kept as read. */
  public Spans add(int offset, int length) {
    if (size == offsets.length) {
      offsets = Arrays.copyOf(offsets, size * 2);
      lengths = Arrays.copyOf(lengths, size * 2);
    }
    offsets[size] = offset;
    lengths[size] = length;
    size++;
    return this;
  }

  /** Makes the last span one bucket longer. */
  void extendLast() {
    lengths[size - 1]++;
  }

  public int size() {
    return size;
  }

  public int offset(int i) {
    return offsets[i];
  }

  /** The span's length as an unsigned 32-bit number. */
  public long length(int i) {
    return lengths[i] & 0xffffffffL;
  }

  public void clear() {
    size = 0;
  }

  /** Replaces this list with a copy of {@code o}. */
  public void copyFrom(Spans o) {
    size = 0;
    for (int i = 0; i < o.size; i++) {
      add(o.offsets[i], o.lengths[i]);
    }
  }

  /**
   * Checks the spans against the number of buckets given, as Prometheus' {@code
   * checkHistogramSpans}: no span but the first has a negative offset, and the lengths add up to
   * {@code buckets}.
   */
  void check(String side, int buckets) throws InvalidHistogramException {
    long need = 0;
    for (int i = 0; i < size; i++) {
      if (i > 0 && offsets[i] < 0) {
        throw new InvalidHistogramException(
            side
                + ": span number "
                + (i + 1)
                + " with offset "
                + offsets[i]
                + ": histogram has a span whose offset is negative");
      }
      need += length(i);
    }
    if (need != buckets) {
      throw new InvalidHistogramException(
          side
              + ": spans need "
              + need
              + " buckets, have "
              + buckets
              + " buckets: histogram spans specify different number of buckets than provided");
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Spans s) || s.size != size) {
      return false;
    }
    return Arrays.equals(offsets, 0, size, s.offsets, 0, size)
        && Arrays.equals(lengths, 0, size, s.lengths, 0, size);
  }

  @Override
  public int hashCode() {
    int h = size;
    for (int i = 0; i < size; i++) {
      h = h * 31 + offsets[i] * 17 + lengths[i];
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < size; i++) {
      sb.append(i == 0 ? "" : " ").append(offsets[i]).append(':').append(length(i));
    }
    return sb.append(']').toString();
  }
}
