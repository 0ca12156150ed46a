package dev.quarry.scrape;

import dev.quarry.util.InternTable;
import java.util.Arrays;

/**
 * Raw series texts (metric name and label block as exposed) shared between the scrape caches of all
 * targets of one engine ({@link ScrapeTables}): the targets of a job mostly expose the same series,
 * so a text added by one cache is the same array in the others. Consulted only when a cache adds an
 * entry.
 *
 * <p>At most two generations of (by default) {@value #GENERATION} texts are kept for sharing (see
 * {@link InternTable}); the caches hold the texts they use.
 */
final class SeriesTexts {
  static final int GENERATION = 1 << 15;

  private final InternTable<byte[]> table;

  SeriesTexts() {
    this(GENERATION);
  }

  SeriesTexts(int generation) {
    this.table = new InternTable<>(generation);
  }

  /**
   * The shared array holding {@code buf[off, off+len)}, whose {@code SeriesHash} is {@code hash}.
   */
  byte[] intern(byte[] buf, int off, int len, long hash) {
    return table.intern(
        Long.hashCode(hash),
        t -> Arrays.equals(t, 0, t.length, buf, off, off + len),
        () -> Arrays.copyOfRange(buf, off, off + len));
  }
}
