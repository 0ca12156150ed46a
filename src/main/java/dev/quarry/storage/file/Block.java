package dev.quarry.storage.file;

import dev.quarry.model.Labels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * An immutable block opened for reading: its meta, its index decoded into memory (labels, chunk
 * locations, postings) and its chunks file, read on demand with positional reads. Thread-safe.
 */
public final class Block implements AutoCloseable {
  static final String CHUNKS = "chunks";
  static final String INDEX = "index";

  private final Path dir;
  private final BlockMeta meta;
  private final long sizeBytes;
  private final Labels[] series;
  private final ChunkMeta[][] chunkMetas;
  private final Map<String, Map<String, int[]>> postings;
  private final FileChannel chunks;

  private Block(
      Path dir,
      BlockMeta meta,
      long size,
      Labels[] series,
      ChunkMeta[][] chunkMetas,
      Map<String, Map<String, int[]>> postings,
      FileChannel chunks) {
    this.dir = dir;
    this.meta = meta;
    this.sizeBytes = size;
    this.series = series;
    this.chunkMetas = chunkMetas;
    this.postings = postings;
    this.chunks = chunks;
  }

  /** Opens a block directory; an unreadable or corrupt block is an IOException naming the file. */
  static Block open(Path dir) throws IOException {
    BlockMeta meta = BlockMeta.read(dir);
    Path indexFile = dir.resolve(INDEX);
    byte[] idx = Files.readAllBytes(indexFile);
    Labels[] series;
    ChunkMeta[][] metas;
    Map<String, Map<String, int[]>> postings = new HashMap<>();
    try {
      if (idx.length < 9) {
        throw new CorruptDataException("file too short");
      }
      CRC32C crc = new CRC32C();
      crc.update(idx, 0, idx.length - 4);
      ByteSource tail = new ByteSource(idx, idx.length - 4, 4);
      if ((int) crc.getValue() != tail.getInt()) {
        throw new CorruptDataException("checksum mismatch");
      }
      ByteSource in = new ByteSource(idx, 0, idx.length - 4);
      for (byte b : IndexWriter.MAGIC) {
        if (in.get() != b) {
          throw new CorruptDataException("bad magic");
        }
      }
      if (in.get() != IndexWriter.VERSION) {
        throw new CorruptDataException("unsupported version");
      }
      String[] symbols = new String[in.getCount()];
      for (int i = 0; i < symbols.length; i++) {
        symbols[i] = in.getString();
      }
      series = new Labels[in.getCount()];
      metas = new ChunkMeta[series.length][];
      Labels.Builder b = Labels.builder();
      for (int id = 0; id < series.length; id++) {
        int nl = in.getCount();
        b.reset(Labels.EMPTY);
        for (int j = 0; j < nl; j++) {
          b.set(symbol(symbols, in.getCount()), symbol(symbols, in.getCount()));
        }
        series[id] = b.build();
        ChunkMeta[] cs = new ChunkMeta[in.getCount()];
        for (int c = 0; c < cs.length; c++) {
          long mint = in.getVarint();
          long maxt = mint + in.getUvarint();
          long off = in.getUvarint();
          int count = in.getCount();
          byte enc = XorChunk.XOR;
          if (count == 0) {
            enc = (byte) in.get();
            if (enc != HistogramChunk.INT && enc != HistogramChunk.FLOAT) {
              throw new CorruptDataException("unknown chunk encoding " + enc);
            }
            count = in.getCount();
          }
          cs[c] = new ChunkMeta(mint, maxt, off, count, enc);
        }
        metas[id] = cs;
      }
      int pairs = in.getCount();
      for (int p = 0; p < pairs; p++) {
        String name = symbol(symbols, in.getCount());
        String value = symbol(symbols, in.getCount());
        int[] ids = new int[in.getCount()];
        int prev = 0;
        for (int i = 0; i < ids.length; i++) {
          prev += in.getCount();
          ids[i] = prev;
        }
        postings.computeIfAbsent(name, k -> new HashMap<>()).put(value, ids);
      }
    } catch (CorruptDataException e) {
      throw new IOException(indexFile + ": corrupt index: " + e.getMessage(), e);
    }
    long size;
    try (Stream<Path> files = Files.list(dir)) {
      size = files.mapToLong(p -> p.toFile().length()).sum();
    }
    FileChannel ch = FileChannel.open(dir.resolve(CHUNKS));
    return new Block(dir, meta, size, series, metas, postings, ch);
  }

  private static String symbol(String[] symbols, int i) {
    if (i >= symbols.length) {
      throw new CorruptDataException("symbol " + i + " out of range");
    }
    return symbols[i];
  }

  public Path dir() {
    return dir;
  }

  public BlockMeta meta() {
    return meta;
  }

  /** Bytes on disk of the block's files. */
  public long sizeBytes() {
    return sizeBytes;
  }

  int numSeries() {
    return series.length;
  }

  Labels labels(int id) {
    return series[id];
  }

  /** Ids of the series carrying {@code name=value}, sorted. */
  int[] postings(String name, String value) {
    int[] p = postings.getOrDefault(name, Map.of()).get(value);
    return p == null ? Postings.EMPTY : p;
  }

  /** Label values of {@code name} in this block, with their postings. */
  Map<String, int[]> values(String name) {
    return Collections.unmodifiableMap(postings.getOrDefault(name, Map.of()));
  }

  boolean overlaps(long mint, long maxt) {
    return meta.minTime() <= maxt && meta.maxTime() > mint;
  }

  /** Feeds the samples of series {@code id} with {@code mint <= t <= maxt} to {@code out}. */
  void samples(int id, long mint, long maxt, Consumer<Sample> out) {
    for (ChunkMeta c : chunkMetas[id]) {
      if (c.maxTime() < mint || c.minTime() > maxt) {
        continue;
      }
      ChunkIterator it = new ChunkIterator(readChunk(c.offset()));
      while (it.next()) {
        long t = it.timestamp();
        if (t > maxt) {
          break;
        }
        if (t >= mint) {
          out.accept(new Sample(t, it.value()));
        }
      }
    }
  }

  /** The encoded chunks of series {@code id} overlapping {@code [mint, maxt]}, oldest first. */
  List<XorChunk> chunks(int id, long mint, long maxt) {
    List<XorChunk> out = new ArrayList<>();
    for (ChunkMeta c : chunkMetas[id]) {
      if (c.maxTime() >= mint && c.minTime() <= maxt) {
        out.add(
            new XorChunk(readChunk(c.offset()), c.minTime(), c.maxTime(), c.count(), c.encoding()));
      }
    }
    return out;
  }

  private byte[] readChunk(long offset) {
    Path file = dir.resolve(CHUNKS);
    try {
      ByteBuffer header = ByteBuffer.allocate(WalSegment.HEADER_BYTES);
      readFully(header, offset);
      int len = header.getInt(0);
      int crc = header.getInt(4);
      if (len < 2 || len > WalReader.MAX_FRAME_BYTES) {
        throw new CorruptDataException(file + ": bad chunk length " + len + " at byte " + offset);
      }
      ByteBuffer data = ByteBuffer.allocate(len);
      readFully(data, offset + WalSegment.HEADER_BYTES);
      CRC32C c = new CRC32C();
      c.update(data.array(), 0, len);
      if ((int) c.getValue() != crc) {
        throw new CorruptDataException(file + ": chunk checksum mismatch at byte " + offset);
      }
      return data.array();
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot read chunk at byte " + offset, e);
    }
  }

  private void readFully(ByteBuffer bb, long pos) throws IOException {
    while (bb.hasRemaining()) {
      if (chunks.read(bb, pos + bb.position()) < 0) {
        throw new CorruptDataException(dir.resolve(CHUNKS) + ": truncated at byte " + pos);
      }
    }
  }

  @Override
  public void close() throws IOException {
    chunks.close();
  }
}
