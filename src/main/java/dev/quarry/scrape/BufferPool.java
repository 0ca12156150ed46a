package dev.quarry.scrape;

import dev.quarry.util.IdlePool;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.Inflater;

/**
 * Byte buffers for scrape bodies, so a steady scrape reuses the same few arrays instead of
 * allocating one per scrape, with two bounds that keep one huge or hostile page from costing the
 * process its heap:
 *
 * <ul>
 *   <li>Idle buffers kept for reuse hold at most {@link #maxRetainedBytes()} in total. Sizes come
 *       in classes of 2<sup>k</sup> and 1.5·2<sup>k</sup> bytes from 4 KiB; only classes up to a
 *       quarter of that bound (and at most 64 MiB) are kept, larger buffers are allocated at their
 *       exact size and left to the GC when returned. Each class also keeps at most {@code perClass}
 *       buffers and 4 MiB of them (but always two), so a burst of concurrent scrapes does not stay
 *       in the heap.
 *   <li>No buffer is larger than {@link #maxBufferBytes()}; a body that needs more fails its
 *       scrape. A failed allocation (the heap is full) is reported as no buffer, not as an error.
 * </ul>
 *
 * <p>{@link #grow} moves to the next class (at most 1.5 times the size), so filling a buffer of S
 * bytes from scratch costs at most about 2.5·S at the moment of the last copy; outgrown buffers
 * over 4 MiB are dropped rather than kept. The pool also keeps the engine's idle gzip inflaters.
 * Thread-safe.
 */
public final class BufferPool {
  /** The largest array the JVM allocates reliably. */
  public static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

  private static final int MIN_SIZE = 4096;
  private static final long LARGEST_POOLED = 64L << 20;
  private static final long IDLE_BYTES_PER_CLASS = 4 << 20;
  private static final int IDLE_INFLATERS = 256;

  private final IdlePool<byte[]>[] classes;
  private final long maxRetainedBytes;
  private final int maxBufferBytes;
  private final AtomicLong retained = new AtomicLong();
  private final IdlePool<Inflater> inflaters = new IdlePool<>(IDLE_INFLATERS);

  /** A pool bounded by {@link #defaultMaxRetainedBytes()} and {@link #defaultMaxBufferBytes()}. */
  public BufferPool(int perClass) {
    this(perClass, defaultMaxRetainedBytes(), defaultMaxBufferBytes());
  }

  /**
   * A pool keeping at most {@code maxRetainedBytes} of idle buffers and handing out none larger
   * than {@code maxBufferBytes}.
   */
  @SuppressWarnings("unchecked")
  public BufferPool(int perClass, long maxRetainedBytes, int maxBufferBytes) {
    if (maxRetainedBytes < 0 || maxBufferBytes < MIN_SIZE) {
      throw new IllegalArgumentException(
          "buffer pool bounds out of range: " + maxRetainedBytes + ", " + maxBufferBytes);
    }
    this.maxRetainedBytes = maxRetainedBytes;
    this.maxBufferBytes = Math.min(maxBufferBytes, MAX_ARRAY);
    long largest = Math.min(LARGEST_POOLED, Math.min(maxRetainedBytes / 4, this.maxBufferBytes));
    int n = 0; // the classes no larger than `largest` are pooled
    while (classSize(n) <= largest) {
      n++;
    }
    classes = new IdlePool[n];
    for (int c = 0; c < n; c++) {
      long keep = Math.max(2, IDLE_BYTES_PER_CLASS / classSize(c));
      classes[c] = new IdlePool<>((int) Math.min(perClass, keep));
    }
  }

  /**
   * Idle inflaters for gzip bodies, reused like the buffers they inflate into (each holds some 40
   * KB of native memory); at most {@value #IDLE_INFLATERS} kept.
   */
  IdlePool<Inflater> inflaters() {
    return inflaters;
  }

  /** An eighth of the heap: what idle buffers may hold when no setting says otherwise. */
  public static long defaultMaxRetainedBytes() {
    return Runtime.getRuntime().maxMemory() / 8;
  }

  /**
   * A quarter of the heap, at most the largest array: the biggest body a scrape may hold when no
   * setting says otherwise. Growing a buffer to it costs up to 2.5 times that while copying.
   */
  public static int defaultMaxBufferBytes() {
    return (int) Math.min(MAX_ARRAY, Math.max(MIN_SIZE, Runtime.getRuntime().maxMemory() / 4));
  }

  /** The most bytes idle buffers may hold. */
  public long maxRetainedBytes() {
    return maxRetainedBytes;
  }

  /** The largest buffer this pool hands out. */
  public int maxBufferBytes() {
    return maxBufferBytes;
  }

  /** Bytes held by idle buffers now; never more than {@link #maxRetainedBytes()}. */
  public long retainedBytes() {
    return retained.get();
  }

  /** The size class index able to hold {@code size} bytes (classes: 4K, 6K, 8K, 12K, 16K …). */
  static int classOf(long size) {
    if (size <= MIN_SIZE) {
      return 0;
    }
    long s = size - 1;
    int high = 63 - Long.numberOfLeadingZeros(s); // 2^high <= s < 2^(high+1), high >= 12
    if ((s >>> (high - 1)) == 2) {
      return 2 * (high - 12) + 1; // s < 1.5 * 2^high
    }
    return 2 * (high + 1 - 12);
  }

  /** The size of class {@code c}. */
  static long classSize(int c) {
    return (long) ((c & 1) == 0 ? MIN_SIZE : MIN_SIZE + MIN_SIZE / 2) << (c >> 1);
  }

  private static boolean isClassSize(int length) {
    return length >= MIN_SIZE && classSize(classOf(length)) == length;
  }

  /**
   * A buffer of at least {@code size} bytes (its class' size when that class is pooled, else
   * exactly {@code size}), or null when {@code size} is over {@link #maxBufferBytes()} or the heap
   * has no room for it.
   */
  public byte[] get(int size) {
    if (size > maxBufferBytes) {
      return null;
    }
    int c = classOf(size);
    if (c < classes.length) {
      byte[] b = classes[c].take();
      if (b != null) {
        retained.addAndGet(-b.length);
        return b;
      }
      return allocate((int) classSize(c));
    }
    return allocate(Math.max(size, MIN_SIZE));
  }

  /**
   * A buffer of at least {@code needed} bytes holding the first {@code used} bytes of {@code buf},
   * which is returned to the pool; {@code buf} itself when it is big enough. Null (and {@code buf}
   * untouched) when no such buffer can be had.
   */
  public byte[] grow(byte[] buf, int used, int needed) {
    if (needed <= buf.length) {
      return buf;
    }
    if (needed > maxBufferBytes) {
      return null;
    }
    long next =
        isClassSize(buf.length)
            ? classSize(classOf(buf.length) + 1)
            : (long) buf.length + (buf.length >> 1);
    byte[] bigger = get((int) Math.min(Math.max(next, needed), maxBufferBytes));
    if (bigger == null) {
      return null;
    }
    System.arraycopy(buf, 0, bigger, 0, used);
    if (buf.length <= IDLE_BYTES_PER_CLASS) {
      // Larger steps of one body's growth are not worth keeping: the next scrape of that target
      // asks for its final size straight away.
      put(buf);
    }
    return bigger;
  }

  /** Returns a buffer for reuse; one of an unpooled size, or beyond the bound, is dropped. */
  public void put(byte[] b) {
    if (b == null || !isClassSize(b.length)) {
      return;
    }
    int c = classOf(b.length);
    if (c >= classes.length) {
      return;
    }
    if (retained.addAndGet(b.length) > maxRetainedBytes) {
      retained.addAndGet(-b.length);
      return;
    }
    if (!classes[c].give(b)) {
      retained.addAndGet(-b.length);
    }
  }

  private static byte[] allocate(int size) {
    try {
      return new byte[size];
    } catch (OutOfMemoryError e) {
      // Only this body's array failed; the scrape fails, the process goes on.
      return null;
    }
  }
}
