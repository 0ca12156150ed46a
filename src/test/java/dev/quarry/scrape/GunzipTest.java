package dev.quarry.scrape;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class GunzipTest {
  static final byte[] PAGE = page();

  static byte[] page() {
    try {
      return Files.readAllBytes(Path.of("src/test/resources/fixtures/farm_payload.prom"));
    } catch (IOException e) {
      return "# TYPE x counter\nx_total{a=\"1\"} 1\n".repeat(3000).getBytes(StandardCharsets.UTF_8);
    }
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A growable output with an optional limit, as the scraper's body is. */
  static final class Out implements Gunzip.Output {
    byte[] buf = new byte[16];
    int len;
    final long limit;

    Out(long limit) {
      this.limit = limit;
    }

    public byte[] buffer() {
      return buf;
    }

    public int length() {
      return len;
    }

    public void advance(int n) {
      len += n;
    }

    public int room() {
      long left = limit > 0 ? limit - len : Integer.MAX_VALUE;
      if (left <= 0) {
        return 0;
      }
      if (len == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      return (int) Math.min(buf.length - len, left);
    }

    byte[] bytes() {
      return Arrays.copyOf(buf, len);
    }
  }

  /** Feeds {@code z} in chunks of {@code chunk} bytes and finishes. */
  static byte[] gunzip(byte[] z, int chunk) throws IOException {
    Gunzip g = new Gunzip();
    Out out = new Out(0);
    try {
      for (int i = 0; i < z.length; i += chunk) {
        assertTrue(g.feed(ByteBuffer.wrap(z, i, Math.min(chunk, z.length - i)).slice(), out));
      }
      g.finish();
    } finally {
      g.release();
    }
    return out.bytes();
  }

  @Test
  void inflatesWhateverTheChunking() throws IOException {
    byte[] z = gzip(PAGE);
    for (int chunk : new int[] {1, 3, 10, 11, 1000, 16384, z.length}) {
      assertArrayEquals(PAGE, gunzip(z, chunk), "chunks of " + chunk);
    }
  }

  @Test
  void readsConcatenatedMembersAsOneBody() throws IOException {
    byte[] a = gzip("a 1\n".getBytes(StandardCharsets.UTF_8));
    byte[] b = gzip("b 2\n".getBytes(StandardCharsets.UTF_8));
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    for (int chunk : new int[] {1, 7, both.length}) {
      assertEquals("a 1\nb 2\n", new String(gunzip(both, chunk), StandardCharsets.UTF_8));
    }
  }

  @Test
  void skipsOptionalHeaderFields() throws IOException {
    byte[] data = "up 1\n".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    h.write(new byte[] {0x1f, (byte) 0x8b, 8, 4 | 8 | 16 | 2, 0, 0, 0, 0, 0, (byte) 255});
    h.write(new byte[] {3, 0, 'x', 'y', 'z'}); // FEXTRA, 3 bytes
    h.writeBytes("page.prom\0".getBytes(StandardCharsets.ISO_8859_1)); // FNAME
    h.writeBytes("a comment\0".getBytes(StandardCharsets.ISO_8859_1)); // FCOMMENT
    CRC32 hc = new CRC32();
    hc.update(h.toByteArray());
    h.write((int) hc.getValue() & 0xff);
    h.write((int) (hc.getValue() >>> 8) & 0xff); // FHCRC
    ByteArrayOutputStream deflated = new ByteArrayOutputStream();
    try (DeflaterOutputStream d = new DeflaterOutputStream(deflated, new Deflater(6, true))) {
      d.write(data);
    }
    h.writeBytes(deflated.toByteArray());
    CRC32 c = new CRC32();
    c.update(data);
    for (long v : new long[] {c.getValue(), data.length}) {
      for (int i = 0; i < 4; i++) {
        h.write((int) (v >>> (8 * i)) & 0xff);
      }
    }
    byte[] z = h.toByteArray();
    for (int chunk : new int[] {1, 2, 5, z.length}) {
      assertArrayEquals(data, gunzip(z, chunk), "chunks of " + chunk);
    }
  }

  @Test
  void errorsReadAsGosGzipReaderWordsThem() {
    byte[] z = gzip(PAGE);
    assertEquals(
        "gzip: invalid header",
        assertThrows(
                IOException.class, () -> gunzip("up 1\n".getBytes(StandardCharsets.UTF_8), 100))
            .getMessage());
    assertEquals(
        "unexpected EOF",
        assertThrows(IOException.class, () -> gunzip(Arrays.copyOf(z, z.length - 3), 100))
            .getMessage());
    assertEquals(
        "unexpected EOF",
        assertThrows(IOException.class, () -> gunzip(Arrays.copyOf(z, 5), 100)).getMessage());
    assertEquals(
        "EOF", assertThrows(IOException.class, () -> gunzip(new byte[0], 100)).getMessage());
    byte[] badCrc = z.clone();
    badCrc[badCrc.length - 6] ^= 1;
    assertEquals(
        "gzip: invalid checksum",
        assertThrows(IOException.class, () -> gunzip(badCrc, 100)).getMessage());
    byte[] badSize = z.clone();
    badSize[badSize.length - 1] ^= 1;
    assertEquals(
        "gzip: invalid checksum",
        assertThrows(IOException.class, () -> gunzip(badSize, 100)).getMessage());
    byte[] corrupt = z.clone();
    for (int i = 20; i < 60; i++) {
      corrupt[i] = (byte) 0xff;
    }
    assertTrue(
        assertThrows(IOException.class, () -> gunzip(corrupt, 100))
            .getMessage()
            .startsWith("flate: corrupt input before offset"));
  }

  @Test
  void stopsAtTheLimitWithoutInflatingTheRest() throws IOException {
    byte[] bomb = gzip(new byte[50_000_000]);
    Gunzip g = new Gunzip();
    Out out = new Out(1 << 20);
    assertFalse(g.feed(ByteBuffer.wrap(bomb), out));
    assertEquals(1 << 20, out.len);
    assertTrue(out.buf.length <= 2 << 20, "the body grew past the limit: " + out.buf.length);
    g.release();
  }

  @Test
  void budgetBoundsWhatOneCallInflatesAndDecodingResumesWhereItStopped() throws IOException {
    // Two members, each inflating ~8 MB from a few KB: one chunk holds millions of bytes.
    byte[] member = gzip(PAGE);
    byte[] zeros = gzip(new byte[8 << 20]);
    byte[] z = new byte[zeros.length * 2 + member.length];
    System.arraycopy(zeros, 0, z, 0, zeros.length);
    System.arraycopy(member, 0, z, zeros.length, member.length);
    System.arraycopy(zeros, 0, z, zeros.length + member.length, zeros.length);
    Gunzip g = new Gunzip();
    Out out = new Out(0);
    long budget = 64 << 10;
    int calls = 0;
    for (int i = 0; i < z.length; i += 5000) {
      ByteBuffer chunk = ByteBuffer.wrap(z, i, Math.min(5000, z.length - i)).slice();
      int status;
      do {
        int before = out.len;
        status = g.feed(chunk, out, budget);
        calls++;
        assertTrue(out.len - before <= budget, (out.len - before) + " bytes in one call");
      } while (status == Gunzip.BUDGET);
      assertEquals(Gunzip.CONSUMED, status);
    }
    g.finish();
    g.release();
    assertEquals((16 << 20) + PAGE.length, out.len);
    assertTrue(calls > (16 << 20) / budget, calls + " calls");
    assertTrue(Arrays.equals(PAGE, Arrays.copyOfRange(out.buf, 8 << 20, (8 << 20) + PAGE.length)));
  }
}
