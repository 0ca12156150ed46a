package dev.quarry.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The scrape buffer pool's size classes, growth and bounds. */
class BufferPoolTest {
  static final int MIB = 1 << 20;

  @ParameterizedTest
  @CsvSource({
    "0, 4096",
    "4096, 4096",
    "4097, 6144",
    "6144, 6144",
    "6145, 8192",
    "8192, 8192",
    "12288, 12288",
    "12289, 16384",
    "100000000, 100663296",
    "1610612737, 2147483648",
    "2147483639, 2147483648"
  })
  void sizeClassesStepByAtMostOneAndAHalf(long size, long classSize) {
    assertEquals(classSize, BufferPool.classSize(BufferPool.classOf(size)));
  }

  @Test
  void growingToAPageCostsAtMostTwoAndAHalfTimesItsSize() {
    BufferPool pool = new BufferPool(8, 0, 512 * MIB);
    int size = 200 * MIB + 17;
    byte[] buf = pool.get(4096);
    int len = 0;
    long peak = 0;
    while (len < size) {
      int n = Math.min(64 << 10, size - len);
      byte[] next = pool.grow(buf, len, len + n);
      if (next != buf) {
        long step = Math.max(buf.length, len + n) * 3L / 2;
        assertTrue(next.length <= step, buf.length + " grew to " + next.length);
        peak = Math.max(peak, (long) buf.length + next.length); // both live while copying
        buf = next;
      }
      len += n;
    }
    assertTrue(buf.length <= size * 3L / 2, "final buffer " + buf.length);
    assertTrue(peak <= size * 5L / 2, "peak " + peak + " for " + size);
  }

  @Test
  void idleBuffersHoldAtMostTheBoundAndLargeOnesAreDropped() {
    long bound = 8L * MIB;
    BufferPool pool = new BufferPool(64, bound, 256 * MIB);
    for (int i = 0; i < 100; i++) {
      pool.put(new byte[MIB]);
      pool.put(new byte[64 * 1024]);
      assertTrue(pool.retainedBytes() <= bound, pool.retainedBytes() + " bytes kept");
    }
    pool.put(new byte[4 * MIB]); // over a quarter of the bound: never kept
    assertTrue(pool.retainedBytes() <= bound);
    BufferPool roomy = new BufferPool(64, 64L * MIB, 256 * MIB);
    byte[] big = new byte[32 * MIB]; // a class size, but over a quarter of the bound
    roomy.put(big);
    assertEquals(0, roomy.retainedBytes());
    byte[] small = new byte[MIB];
    roomy.put(small);
    assertEquals(MIB, roomy.retainedBytes());
    assertSame(small, roomy.get(MIB - 5), "an idle buffer is reused");
    assertEquals(0, roomy.retainedBytes());
  }

  @Test
  void noBufferOverTheCap() {
    BufferPool pool = new BufferPool(8, MIB, 16 * MIB);
    assertNull(pool.get(16 * MIB + 1));
    byte[] b = pool.get(15 * MIB);
    assertNull(pool.grow(b, b.length, 16 * MIB + 1));
    assertEquals(16 * MIB, pool.grow(b, b.length, b.length + 1).length, "capped at the maximum");
  }
}
