package dev.quarry.scrape;

import java.util.Arrays;

/**
 * Raw series texts (metric name and label block as exposed) shared between the scrape caches of
 * all targets: the targets of a job mostly expose the same series, so a text added by one cache
 * is the same array in the others. Consulted only when a cache adds an entry, under one lock.
 *
 * <p>Texts live in two generations of at most {@value #GENERATION} each: new texts go into the
 * young one, a text found in the old one moves to the young one, and a full young generation
 * becomes the old one. The caches hold the texts they use, so this table only decides what can
 * still be shared, and keeps at most two generations of texts no cache uses any more.
 */
final class SeriesTexts {
  static final int GENERATION = 1 << 15;
  static final SeriesTexts SHARED = new SeriesTexts();

  private Generation young = new Generation();
  private Generation old = new Generation();

  /** The shared array holding {@code buf[off, off+len)}, whose {@code SeriesHash} is {@code hash}. */
  synchronized byte[] intern(byte[] buf, int off, int len, long hash) {
    int h = (int) (hash ^ (hash >>> 32));
    byte[] t = young.find(buf, off, len, h);
    if (t != null) {
      return t;
    }
    t = old.find(buf, off, len, h);
    if (t == null) {
      t = Arrays.copyOfRange(buf, off, off + len);
    }
    if (young.size == GENERATION) {
      old = young;
      young = new Generation();
    }
    young.put(t, h);
    return t;
  }

  /** An open-addressing table of texts by hash, at most half full. */
  private static final class Generation {
    byte[][] texts = new byte[64][];
    int[] hashes = new int[64];
    int size;

    byte[] find(byte[] buf, int off, int len, int h) {
      int mask = texts.length - 1;
      for (int i = h & mask; texts[i] != null; i = (i + 1) & mask) {
        byte[] t = texts[i];
        if (hashes[i] == h && Arrays.equals(t, 0, t.length, buf, off, off + len)) {
          return t;
        }
      }
      return null;
    }

    void put(byte[] t, int h) {
      if (++size * 2 > texts.length) {
        byte[][] oldTexts = texts;
        int[] oldHashes = hashes;
        texts = new byte[oldTexts.length * 2][];
        hashes = new int[oldTexts.length * 2];
        for (int i = 0; i < oldTexts.length; i++) {
          if (oldTexts[i] != null) {
            insert(oldTexts[i], oldHashes[i]);
          }
        }
      }
      insert(t, h);
    }

    private void insert(byte[] t, int h) {
      int mask = texts.length - 1;
      int i = h & mask;
      while (texts[i] != null) {
        i = (i + 1) & mask;
      }
      texts[i] = t;
      hashes[i] = h;
    }
  }
}
