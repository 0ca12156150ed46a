package dev.quarry.storage.file;

/**
 * An immutable, sealed chunk of samples with its time range and sample count so readers can skip it
 * without decoding. {@code encoding} is {@link #XOR} (floats, encoded by {@link ChunkEncoder}) or
 * one of {@link HistogramChunk}'s ({@link HistogramChunk#INT}, {@link HistogramChunk#FLOAT}),
 * numbered as Prometheus numbers its chunk encodings.
 */
public record XorChunk(byte[] data, long minTime, long maxTime, int count, byte encoding) {
  public static final byte XOR = 1;

  public XorChunk(byte[] data, long minTime, long maxTime, int count) {
    this(data, minTime, maxTime, count, XOR);
  }

  /** Whether this chunk holds native histograms (read with {@link #histogramIterator()}). */
  public boolean isHistogram() {
    return encoding != XOR;
  }

  public ChunkIterator iterator() {
    return new ChunkIterator(data);
  }

  HistogramChunk.Iterator histogramIterator() {
    return new HistogramChunk.Iterator(this);
  }

  static XorChunk seal(ChunkEncoder enc) {
    return new XorChunk(enc.bytes(), enc.minTime(), enc.maxTime(), enc.count());
  }
}
