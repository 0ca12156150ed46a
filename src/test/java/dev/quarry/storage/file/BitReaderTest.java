package dev.quarry.storage.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BitReaderTest {
  @Test
  void readsBackWhatWasWrittenAcrossWordBoundariesWithinAnOffsetRange() {
    Random r = new Random(11);
    for (int round = 0; round < 500; round++) {
      int pad = r.nextInt(9);
      BitWriter w = new BitWriter(8);
      w.writeBits(r.nextLong(), pad * 8); // bytes before the range
      int[] widths = new int[100];
      long[] values = new long[100];
      for (int k = 0; k < widths.length; k++) {
        widths[k] = r.nextInt(4) == 0 ? -1 : r.nextInt(65); // -1: one bit through readBit
        values[k] = r.nextLong();
        if (widths[k] < 0) {
          w.writeBit(values[k] < 0);
        } else {
          w.writeBits(values[k], widths[k]);
        }
      }
      int len = w.byteLength() - pad;
      BitReader in = new BitReader(w.array(), pad, len);
      for (int k = 0; k < widths.length; k++) {
        int n = widths[k];
        if (n < 0) {
          assertEquals(values[k] < 0, in.readBit(), "round " + round + " bit " + k);
        } else {
          long want = n == 64 ? values[k] : values[k] & ((1L << n) - 1);
          assertEquals(want, in.readBits(n), "round " + round + " field " + k + " of " + n);
        }
      }
    }
  }

  @Test
  void readingPastTheRangeFailsEvenWhenTheArrayGoesOn() {
    byte[] b = {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    BitReader in = new BitReader(b, 1, 2);
    assertEquals(0xC, in.readBits(4));
    assertEquals(0xDEF >>> 1, in.readBits(11));
    assertEquals(true, in.readBit());
    assertThrows(CorruptDataException.class, in::readBit);
    BitReader wide = new BitReader(b, 0, 9);
    assertEquals(0xABCDEF0102030405L, wide.readBits(64));
    assertThrows(CorruptDataException.class, () -> wide.readBits(9));
  }
}
