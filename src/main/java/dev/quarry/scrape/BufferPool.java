package dev.quarry.scrape;

import dev.quarry.util.IdlePool;

/**
 * Size-classed byte buffers for scrape bodies, so a steady scrape reuses the same few arrays
 * instead of allocating one per scrape. Classes are powers of two from 4 KiB to 256 MiB; each
 * class keeps at most {@code perClass} idle buffers and at most 4 MiB of them (but always two), so
 * a burst of concurrent scrapes (all targets starting at once) does not stay in the heap. Thread-safe.
 */
public final class BufferPool {
  private static final int MIN_SHIFT = 12; // 4 KiB
  private static final int MAX_SHIFT = 28; // 256 MiB
  private static final int IDLE_BYTES_PER_CLASS = 4 << 20;
  private final IdlePool<byte[]>[] classes;

  @SuppressWarnings("unchecked")
  public BufferPool(int perClass) {
    int n = MAX_SHIFT - MIN_SHIFT + 1;
    classes = new IdlePool[n];
    for (int c = 0; c < n; c++) {
      classes[c] = new IdlePool<>(Math.min(perClass, Math.max(2, IDLE_BYTES_PER_CLASS >>> (c + MIN_SHIFT))));
    }
  }

  /** The size class index able to hold {@code size} bytes. */
  static int classOf(int size) {
    int shift = 32 - Integer.numberOfLeadingZeros(Math.max(size, 1) - 1);
    return Math.min(Math.max(shift, MIN_SHIFT), MAX_SHIFT) - MIN_SHIFT;
  }

  /** A buffer of at least {@code size} bytes (larger than the biggest class: exact size). */
  public byte[] get(int size) {
    int c = classOf(size);
    int capacity = 1 << (c + MIN_SHIFT);
    if (size > capacity) {
      return new byte[size];
    }
    byte[] b = classes[c].take();
    return b != null ? b : new byte[capacity];
  }

  /** Returns a buffer for reuse; buffers of a non-class size are left to the GC. */
  public void put(byte[] b) {
    if (b == null || Integer.bitCount(b.length) != 1) {
      return;
    }
    int c = classOf(b.length);
    if ((1 << (c + MIN_SHIFT)) != b.length) {
      return;
    }
    classes[c].give(b);
  }
}
