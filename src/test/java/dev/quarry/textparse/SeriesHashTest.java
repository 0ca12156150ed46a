package dev.quarry.textparse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SeriesHashTest {
  /** The hash as first defined, the tail read byte by byte: cached hashes must not change. */
  private static long byteTail(byte[] b, int off, int len) {
    long h = 0xC2B2AE3D27D4EB4FL ^ (len * 0x9E3779B97F4A7C15L);
    int i = off;
    int end = off + len;
    for (; i + 8 <= end; i += 8) {
      long w = 0;
      for (int k = 7; k >= 0; k--) {
        w = (w << 8) | (b[i + k] & 0xffL);
      }
      h = Long.rotateLeft(h ^ (w * 0x9E3779B97F4A7C15L), 29) * 0xC2B2AE3D27D4EB4FL;
    }
    long tail = 0;
    for (int s = 0; i < end; i++, s += 8) {
      tail |= (b[i] & 0xffL) << s;
    }
    h = Long.rotateLeft(h ^ (tail * 0x9E3779B97F4A7C15L), 29) * 0xC2B2AE3D27D4EB4FL;
    h ^= h >>> 32;
    h *= 0x9E3779B97F4A7C15L;
    return h ^ (h >>> 29);
  }

  @Test
  void hashIsTheSameAtEveryLengthAndOffset() {
    Random r = new Random(3);
    byte[] b = new byte[64];
    for (int round = 0; round < 200; round++) {
      r.nextBytes(b);
      for (int off = 0; off < 9; off++) {
        for (int len = 0; off + len <= b.length; len++) {
          assertEquals(byteTail(b, off, len), SeriesHash.hash(b, off, len), off + "+" + len);
        }
      }
    }
  }

  @Test
  void hashOfAKnownSeriesIsStable() {
    byte[] b = "up{job=\"a\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertEquals(byteTail(b, 0, b.length), SeriesHash.hash(b, 0, b.length));
    assertEquals(byteTail(b, 2, 0), SeriesHash.hash(b, 2, 0));
  }
}
