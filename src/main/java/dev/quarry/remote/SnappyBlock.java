package dev.quarry.remote;

import io.airlift.compress.snappy.SnappyCompressor;
import java.util.Arrays;

/**
 * Snappy block compression of remote write requests, with the compressor (it keeps its hash table
 * between calls) and its output buffer reused. Owned by the one thread that sends with it (a
 * shard's, or the metadata sender's); not thread-safe.
 */
final class SnappyBlock {
  private final SnappyCompressor compressor = new SnappyCompressor();
  private byte[] out = new byte[0];

  /** Snappy block compression of {@code len} bytes of {@code raw}. */
  byte[] compress(byte[] raw, int len) {
    int max = compressor.maxCompressedLength(len);
    if (out.length < max) {
      out = new byte[max];
    }
    int n = compressor.compress(raw, 0, len, out, 0, out.length);
    return Arrays.copyOf(out, n);
  }
}
