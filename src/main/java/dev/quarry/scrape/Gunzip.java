package dev.quarry.scrape;

import dev.quarry.util.IdlePool;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Streaming gzip decoding of a scraped body, fed the compressed chunks as they arrive and inflating
 * straight into the body buffer. Like Go's {@code gzip.Reader}, which Prometheus uses: concatenated
 * members are read one after another, each member's CRC-32 and length are checked, and the errors
 * read {@code gzip: invalid header}, {@code gzip: invalid checksum}, {@code unexpected EOF} (a body
 * cut short) and {@code EOF} (an empty body).
 *
 * <p>Decoding can stop after a budget of output bytes and resume with the same input, so one call
 * never inflates more than the caller allows. Inflaters are pooled (the engine's pool is in its
 * {@link BufferPool}): one decoder per scrape in flight, returned by {@link #release()}. An
 * instance is used by one thread at a time.
 */
final class Gunzip {
  /** Where inflated bytes go: a growable buffer with a size limit. */
  interface Output {
    /** The buffer to write into at {@link #length()}. */
    byte[] buffer();

    int length();

    void advance(int n);

    /**
     * Makes room for more bytes and returns how many may be written now (at least one), or 0 when
     * the size limit is reached.
     */
    int room();
  }

  private static final int HEADER = 0;
  private static final int DATA = 1;
  private static final int TRAILER = 2;

  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;

  private Inflater inflater;
  private final CRC32 crc = new CRC32();
  private int state = HEADER;
  private byte[] pend = new byte[64];
  private int pendLen;
  private int members;
  private long memberOut;
  private boolean sawInput;

  /** What followed the last member header in the collected bytes, decoded before new input. */
  private ByteBuffer head;

  private final IdlePool<Inflater> idle;

  /** A decoder with its own inflater. */
  Gunzip() {
    this(new IdlePool<>(1));
  }

  /** A decoder taking its inflater from, and returning it to, {@code idle}. */
  Gunzip(IdlePool<Inflater> idle) {
    this.idle = idle;
    Inflater i = idle.take();
    if (i != null) {
      i.reset();
    } else {
      i = new Inflater(true);
    }
    inflater = i;
  }

  /** {@link #feed(ByteBuffer, Output, long)}: all of the input was decoded. */
  static final int CONSUMED = 0;

  /** {@link #feed(ByteBuffer, Output, long)}: the output's size limit was reached. */
  static final int LIMIT = 1;

  /**
   * {@link #feed(ByteBuffer, Output, long)}: the budget of output bytes is spent; call again with
   * the same input buffer (its position marks what was decoded) to go on.
   */
  static final int BUDGET = 2;

  /**
   * Decodes {@code in} into {@code out} without an output budget. Returns false when the output's
   * size limit was reached (the rest is not decoded).
   */
  boolean feed(ByteBuffer in, Output out) throws IOException {
    return feed(in, out, Long.MAX_VALUE) != LIMIT;
  }

  /**
   * Decodes {@code in} into {@code out} until the input is used up ({@link #CONSUMED}), the output
   * is full ({@link #LIMIT}) or about {@code budget} bytes were written ({@link #BUDGET}). A few
   * kilobytes of gzip can inflate to gigabytes; the budget bounds the work of one call so that an
   * event loop decoding a body stays responsive.
   */
  int feed(ByteBuffer in, Output out, long budget) throws IOException {
    if (in.hasRemaining()) {
      sawInput = true;
    }
    long produced = 0;
    while (true) {
      // Bytes that came after a member's header are decoded before the rest of the input.
      ByteBuffer cur = head != null && head.hasRemaining() ? head : in;
      if (!cur.hasRemaining()) {
        return CONSUMED;
      }
      switch (state) {
        case HEADER -> {
          collect(cur, cur.remaining());
          int h = headerLength(pend, pendLen);
          if (h < 0) {
            continue; // incomplete: wait for more
          }
          head = ByteBuffer.wrap(Arrays.copyOfRange(pend, h, pendLen));
          pendLen = 0;
          inflater.reset();
          crc.reset();
          memberOut = 0;
          state = DATA;
        }
        case DATA -> {
          inflater.setInput(cur);
          while (!inflater.finished()) {
            if (produced >= budget) {
              return BUDGET;
            }
            int room = out.room();
            if (room == 0) {
              return LIMIT;
            }
            int n;
            try {
              int want = (int) Math.min(room, budget - produced);
              n = inflater.inflate(out.buffer(), out.length(), want);
            } catch (DataFormatException e) {
              throw new ZipException(
                  "flate: corrupt input before offset " + inflater.getBytesRead());
            }
            if (n > 0) {
              crc.update(out.buffer(), out.length(), n);
              out.advance(n);
              memberOut += n;
              produced += n;
            } else if (inflater.needsInput()) {
              break;
            } else if (inflater.needsDictionary()) {
              throw new ZipException(
                  "flate: corrupt input before offset " + inflater.getBytesRead());
            }
          }
          if (inflater.finished()) {
            state = TRAILER;
          }
        }
        default -> { // TRAILER
          collect(cur, Math.min(8 - pendLen, cur.remaining()));
          if (pendLen < 8) {
            continue;
          }
          long sum = le32(pend, 0);
          long size = le32(pend, 4);
          if (sum != crc.getValue() || size != (memberOut & 0xffffffffL)) {
            throw new ZipException("gzip: invalid checksum");
          }
          pendLen = 0;
          members++;
          state = HEADER;
        }
      }
    }
  }

  /** Checks that the body ended at the end of a member. */
  void finish() throws IOException {
    if (!sawInput) {
      throw new EOFException("EOF");
    }
    if (state != HEADER || pendLen != 0 || members == 0) {
      throw new EOFException("unexpected EOF");
    }
  }

  /** Returns the inflater to the pool; the decoder must not be used afterwards. */
  void release() {
    Inflater i = inflater;
    inflater = null;
    if (i == null) {
      return;
    }
    if (!idle.give(i)) {
      i.end();
    }
  }

  private void collect(ByteBuffer from, int n) {
    if (pendLen + n > pend.length) {
      pend = Arrays.copyOf(pend, Math.max(pend.length * 2, pendLen + n));
    }
    from.get(pend, pendLen, n);
    pendLen += n;
  }

  /**
   * The length of the gzip member header at the start of {@code h[0, n)}, or -1 when it is not
   * complete yet (RFC 1952: magic, method 8, flags, mtime, xfl, os, then the optional extra field,
   * name, comment and header CRC).
   */
  static int headerLength(byte[] h, int n) throws ZipException {
    if (n >= 1 && (h[0] & 0xff) != 0x1f || n >= 2 && (h[1] & 0xff) != 0x8b || n >= 3 && h[2] != 8) {
      throw new ZipException("gzip: invalid header");
    }
    if (n < 10) {
      return -1;
    }
    int flags = h[3] & 0xff;
    if ((flags & 0xe0) != 0) {
      throw new ZipException("gzip: invalid header");
    }
    int p = 10;
    if ((flags & FEXTRA) != 0) {
      if (n < p + 2) {
        return -1;
      }
      p += 2 + ((h[p] & 0xff) | (h[p + 1] & 0xff) << 8);
      if (n < p) {
        return -1;
      }
    }
    for (int f : new int[] {FNAME, FCOMMENT}) {
      if ((flags & f) != 0) {
        while (p < n && h[p] != 0) {
          p++;
        }
        if (p >= n) {
          return -1;
        }
        p++;
      }
    }
    if ((flags & FHCRC) != 0) {
      if (n < p + 2) {
        return -1;
      }
      CRC32 c = new CRC32();
      c.update(h, 0, p);
      int want = (h[p] & 0xff) | (h[p + 1] & 0xff) << 8;
      if (((int) c.getValue() & 0xffff) != want) {
        throw new ZipException("gzip: invalid header");
      }
      p += 2;
    }
    return p;
  }

  private static long le32(byte[] b, int o) {
    return (b[o] & 0xffL)
        | (b[o + 1] & 0xffL) << 8
        | (b[o + 2] & 0xffL) << 16
        | (b[o + 3] & 0xffL) << 24;
  }
}
