package dev.quarry.storage.file;

/**
 * Iterates the samples of a chunk written by {@link ChunkEncoder}: call {@link #next()} and, while
 * it returns true, read {@link #timestamp()} and {@link #value()}. A malformed chunk throws {@link
 * CorruptDataException}. Not thread-safe; the bytes must not change while iterating.
 */
public final class ChunkIterator {
  private final BitReader in;
  private final int count;
  private int read;
  private long t;
  private long tDelta;
  private long vBits;
  private int leading;
  private int trailing;

  public ChunkIterator(byte[] chunk) {
    this(chunk, 0, chunk.length);
  }

  public ChunkIterator(byte[] buf, int off, int len) {
    if (len < 2) {
      throw new CorruptDataException("chunk shorter than its header: " + len + " bytes");
    }
    in = new BitReader(buf, off, len);
    count = (int) in.readBits(16);
  }

  /** The number of samples in the chunk. */
  public int count() {
    return count;
  }

  public boolean next() {
    if (read >= count) {
      return false;
    }
    if (read == 0) {
      t = in.readVarint();
      vBits = in.readBits(64);
    } else if (read == 1) {
      tDelta = in.readVarint();
      t += tDelta;
      readValue();
    } else {
      tDelta += readDod();
      t += tDelta;
      readValue();
    }
    read++;
    return true;
  }

  private long readDod() {
    int n;
    if (!in.readBit()) {
      return 0;
    } else if (!in.readBit()) {
      n = 14;
    } else if (!in.readBit()) {
      n = 17;
    } else if (!in.readBit()) {
      n = 20;
    } else {
      return in.readBits(64);
    }
    long raw = in.readBits(n);
    return (raw << (64 - n)) >> (64 - n); // sign-extend
  }

  private void readValue() {
    if (!in.readBit()) {
      return; // same value as before
    }
    if (in.readBit()) {
      leading = (int) in.readBits(5);
      int sig = (int) in.readBits(6);
      if (sig == 0) {
        sig = 64;
      }
      trailing = 64 - leading - sig;
      if (trailing < 0) {
        throw new CorruptDataException("bad XOR window in chunk at sample " + read);
      }
    }
    int sig = 64 - leading - trailing;
    vBits ^= in.readBits(sig) << trailing;
  }

  public long timestamp() {
    return t;
  }

  public double value() {
    return Double.longBitsToDouble(vBits);
  }
}
