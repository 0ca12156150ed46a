package dev.quarry.textparse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TextBytesTest {
  @Test
  void indexOfFindsTheFirstByteAtEveryAlignment() {
    Random r = new Random(42);
    for (int round = 0; round < 2000; round++) {
      byte[] b = new byte[r.nextInt(40)];
      for (int i = 0; i < b.length; i++) {
        // Few distinct values, the high bit included, so matches and near-matches are common.
        b[i] = (byte) new int[] {'\n', 'a', '\\', 0x8a, 0x0b, 0xff, 0}[r.nextInt(7)];
      }
      int s = b.length == 0 ? 0 : r.nextInt(b.length + 1);
      int e = s + (b.length == s ? 0 : r.nextInt(b.length - s + 1));
      for (byte x : new byte[] {'\n', '\\', (byte) 0x8a, 0}) {
        int want = e;
        for (int i = s; i < e; i++) {
          if (b[i] == x) {
            want = i;
            break;
          }
        }
        assertEquals(want, TextBytes.indexOf(b, s, e, x));
        assertEquals(want < e, TextBytes.hasByte(b, s, e, x));
      }
    }
  }

  @Test
  void indexOfOrHighFindsTheFirstByteOrHighByteAtEveryAlignment() {
    Random r = new Random(7);
    for (int round = 0; round < 2000; round++) {
      byte[] b = new byte[r.nextInt(40)];
      for (int i = 0; i < b.length; i++) {
        // Mostly ASCII, with the bytes next to a newline and the smallest and largest high bytes.
        b[i] =
            (byte) new int[] {'\n', 'a', 0x0b, 0x09, 0x7f, 0x80, 0xff, 0x8a, 'z', 0}[r.nextInt(10)];
      }
      int s = b.length == 0 ? 0 : r.nextInt(b.length + 1);
      int e = s + (b.length == s ? 0 : r.nextInt(b.length - s + 1));
      int want = e;
      for (int i = s; i < e; i++) {
        if (b[i] == '\n' || b[i] < 0) {
          want = i;
          break;
        }
      }
      assertEquals(want, TextBytes.indexOfOrHigh(b, s, e, (byte) '\n'));
    }
  }

  @Test
  void nameBytesAreThoseOfPrometheusNameRules() {
    for (int c = -128; c < 256; c++) {
      String ch = c >= 0 && c < 128 ? String.valueOf((char) c) : "\u00e9";
      assertEquals(ch.matches("[a-zA-Z_:]"), TextBytes.isMetricNameStart(c), "byte " + c);
      assertEquals(ch.matches("[a-zA-Z0-9_:]"), TextBytes.isMetricNameChar(c), "byte " + c);
      assertEquals(ch.matches("[a-zA-Z_]"), TextBytes.isLabelNameStart(c), "byte " + c);
      assertEquals(ch.matches("[a-zA-Z0-9_]"), TextBytes.isLabelNameChar(c), "byte " + c);
    }
  }

  @Test
  void validUtf8ChecksTheBytesAfterLongAsciiRuns() {
    String ascii = "abcdefghijklmnopqrstuvwxyz";
    for (int pad = 0; pad < 17; pad++) {
      String prefix = ascii.substring(0, pad);
      assertEquals(true, valid((prefix + "température").getBytes(StandardCharsets.UTF_8)));
      byte[] bad = (prefix + "xx").getBytes(StandardCharsets.ISO_8859_1);
      bad[bad.length - 1] = (byte) 0xc0; // a lead byte with nothing after it
      assertEquals(false, valid(bad), "invalid byte after " + pad + " ASCII bytes");
      byte[] overlong = (prefix + "xx").getBytes(StandardCharsets.ISO_8859_1);
      overlong[overlong.length - 2] = (byte) 0xc0;
      overlong[overlong.length - 1] = (byte) 0x80;
      assertEquals(false, valid(overlong), "overlong form after " + pad + " ASCII bytes");
    }
  }

  private static boolean valid(byte[] b) {
    return TextBytes.validUtf8(b, 0, b.length);
  }
}
