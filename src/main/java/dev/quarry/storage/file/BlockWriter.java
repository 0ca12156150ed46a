package dev.quarry.storage.file;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes the head's samples of one time range {@code [start, end)} into a new block directory:
 * {@code chunks} ({@code "QCHK"}, then {@code [u32 length][u32 CRC32C][chunk]} entries, a chunk's
 * reference being its byte offset), {@code index} (see {@link IndexWriter}) and {@code meta.json}.
 * Everything is written under {@code <ulid>.tmp}, synced, then renamed, so a crash never leaves a
 * half block that looks complete.
 *
 * <p>A block's samples are re-encoded into chunks of up to {@value #SAMPLES_PER_CHUNK} samples,
 * longer than the head's: each chunk costs about 40 bytes of framing, first sample and index entry,
 * and a block is read in whole chunks anyway. A series scraped every 15 s fills a 2 h block with
 * one chunk.
 */
final class BlockWriter {
  static final byte[] CHUNKS_MAGIC = {'Q', 'C', 'H', 'K'};

  /** Most samples per chunk in a block. */
  private static final int SAMPLES_PER_CHUNK = 1024;

  /** One series' samples of the block's range, in arrays reused from series to series. */
  private static final class SeriesSamples implements java.util.function.Consumer<Sample> {
    long[] ts = new long[1024];
    double[] vs = new double[1024];
    long[] scratch = new long[1024];
    int n;

    @Override
    public void accept(Sample s) {
      if (n == ts.length) {
        ts = java.util.Arrays.copyOf(ts, 2 * n);
        vs = java.util.Arrays.copyOf(vs, 2 * n);
        scratch = new long[2 * n];
      }
      ts[n] = s.timestampMillis();
      vs[n] = s.value();
      n++;
    }
  }

  private BlockWriter() {}

  /** Writes the block; returns its directory, or null when the range holds no sample. */
  static Path write(Path dataDir, List<HeadSeries> headSeries, long start, long end, String ulid)
      throws IOException {
    List<HeadSeries> sorted = new ArrayList<>(headSeries);
    sorted.sort(Comparator.comparing(s -> s.labels));
    Path tmp = dataDir.resolve(ulid + ".tmp");
    Files.createDirectories(tmp);
    IndexWriter index = new IndexWriter();
    long numSamples = 0;
    long numChunks = 0;
    long offset = 0;
    CRC32C crc = new CRC32C();
    ByteSink header = new ByteSink(8);
    SeriesSamples buf = new SeriesSamples();
    try (OutputStream out =
        new BufferedOutputStream(Files.newOutputStream(tmp.resolve(Block.CHUNKS)), 1 << 16)) {
      out.write(CHUNKS_MAGIC);
      offset = CHUNKS_MAGIC.length;
      for (HeadSeries s : sorted) {
        List<ChunkMeta> metas = new ArrayList<>();
        buf.n = 0;
        for (XorChunk c : s.chunks(start, end - 1)) {
          if (!c.isHistogram()) {
            ChunkIterator it = c.iterator();
            while (it.next()) {
              if (it.timestamp() >= start && it.timestamp() < end) {
                buf.accept(new Sample(it.timestamp(), it.value()));
              }
            }
            continue;
          }
          // Floats before this histogram chunk first, so a block's chunks stay in time order.
          for (int from = 0; from < buf.n; from += SAMPLES_PER_CHUNK) {
            ChunkEncoder e = new ChunkEncoder(256);
            e.appendAll(
                buf.ts, buf.vs, from, Math.min(buf.n, from + SAMPLES_PER_CHUNK), buf.scratch);
            offset = put(out, crc, header, XorChunk.seal(e), offset, metas);
          }
          buf.n = 0;
          XorChunk h = within(c, start, end);
          if (h != null) {
            offset = put(out, crc, header, h, offset, metas);
          }
        }
        for (int from = 0; from < buf.n; from += SAMPLES_PER_CHUNK) {
          ChunkEncoder e = new ChunkEncoder(256);
          e.appendAll(buf.ts, buf.vs, from, Math.min(buf.n, from + SAMPLES_PER_CHUNK), buf.scratch);
          offset = put(out, crc, header, XorChunk.seal(e), offset, metas);
        }
        for (ChunkMeta m : metas) {
          numSamples += m.count();
        }
        if (!metas.isEmpty()) {
          index.add(s.labels, metas);
          numChunks += metas.size();
        }
      }
    }
    if (numSamples == 0) {
      deleteRecursively(tmp);
      return null;
    }
    index.write(tmp.resolve(Block.INDEX));
    new BlockMeta(
            ulid, start, end, new BlockMeta.Stats(numSamples, index.numSeries(), numChunks), 1)
        .write(tmp);
    for (String f : new String[] {Block.CHUNKS, Block.INDEX, BlockMeta.FILE}) {
      try (FileChannel ch = FileChannel.open(tmp.resolve(f), StandardOpenOption.WRITE)) {
        ch.force(true);
      }
    }
    Path dir = dataDir.resolve(ulid);
    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    return dir;
  }

  /** Writes one chunk entry; returns the next offset. */
  private static long put(
      OutputStream out, CRC32C crc, ByteSink header, XorChunk c, long offset, List<ChunkMeta> metas)
      throws IOException {
    byte[] data = c.data();
    crc.reset();
    crc.update(data, 0, data.length);
    header.reset();
    header.putInt(data.length);
    header.putInt((int) crc.getValue());
    out.write(header.array(), 0, header.length());
    out.write(data);
    metas.add(new ChunkMeta(c.minTime(), c.maxTime(), offset, c.count(), c.encoding()));
    return offset + header.length() + data.length;
  }

  /**
   * A histogram chunk's samples in {@code [start, end)}: the chunk itself when it lies inside, else
   * its samples in range re-encoded (with float counts), or null when none is.
   */
  private static XorChunk within(XorChunk c, long start, long end) {
    if (c.minTime() >= start && c.maxTime() < end) {
      return c;
    }
    HistogramChunk.Encoder e = new HistogramChunk.Encoder(HistogramChunk.FLOAT);
    HistogramChunk.Iterator it = c.histogramIterator();
    while (it.next()) {
      if (it.timestamp() >= start && it.timestamp() < end) {
        e.append(it.timestamp(), null, it.histogram());
      }
    }
    return e.count() == 0 ? null : e.seal();
  }

  static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }
}
