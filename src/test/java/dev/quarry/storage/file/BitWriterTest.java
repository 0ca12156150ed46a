package dev.quarry.storage.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BitWriterTest {
  @Test
  void writesTheSameBitsAsOneAtATime() {
    Random r = new Random(7);
    for (int round = 0; round < 500; round++) {
      BitWriter w = new BitWriter(r.nextInt(16));
      boolean[] want = new boolean[64 * 200];
      int at = 0;
      for (int k = 0; k < 100; k++) {
        int n = r.nextInt(65);
        long v = r.nextLong();
        if (r.nextInt(4) == 0) {
          w.writeBit(v < 0);
          want[at++] = v < 0;
          continue;
        }
        w.writeBits(v, n);
        for (int i = n - 1; i >= 0; i--) {
          want[at++] = ((v >>> i) & 1) != 0;
        }
      }
      assertEquals(at, w.bitLength());
      byte[] expected = new byte[(at + 7) / 8];
      for (int i = 0; i < at; i++) {
        if (want[i]) {
          expected[i >>> 3] |= (byte) (0x80 >>> (i & 7));
        }
      }
      assertArrayEquals(expected, Arrays.copyOf(w.array(), w.byteLength()));
    }
  }
}
