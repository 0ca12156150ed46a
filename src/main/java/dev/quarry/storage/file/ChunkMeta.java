package dev.quarry.storage.file;

/**
 * Where a chunk of a block lives in its chunks file, the time range it covers, and its encoding
 * ({@link XorChunk#XOR} or a {@link HistogramChunk} one).
 */
record ChunkMeta(long minTime, long maxTime, long offset, int count, byte encoding) {
  ChunkMeta(long minTime, long maxTime, long offset, int count) {
    this(minTime, maxTime, offset, count, XorChunk.XOR);
  }
}
