package dev.quarry.storage.file;

/**
 * An immutable, sealed chunk of samples encoded by {@link ChunkEncoder}, with its time range and
 * sample count so readers can skip it without decoding.
 */
public record XorChunk(byte[] data, long minTime, long maxTime, int count) {
  public ChunkIterator iterator() {
    return new ChunkIterator(data);
  }

  static XorChunk seal(ChunkEncoder enc) {
    return new XorChunk(enc.bytes(), enc.minTime(), enc.maxTime(), enc.count());
  }
}
