package dev.quarry.storage.file;

import dev.quarry.model.Labels;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.CRC32C;

/**
 * Writes a block's {@code index}: {@code "QIDX", version 1}, then
 *
 * <ol>
 *   <li>the symbol table: every label name and value once, sorted;
 *   <li>the series, in label order: label pairs as symbol numbers, then per chunk its minimum time,
 *       length of its time range, offset in the chunks file and sample count;
 *   <li>the postings: for every label pair, sorted, the ids (positions in the series list) of the
 *       series carrying it, delta-encoded;
 *   <li>a CRC32C of all of the above.
 * </ol>
 *
 * <p>Series must be added in label order. Not thread-safe.
 */
final class IndexWriter {
  static final byte[] MAGIC = {'Q', 'I', 'D', 'X'};
  static final int VERSION = 1;

  private final List<Labels> series = new ArrayList<>();
  private final List<List<ChunkMeta>> chunks = new ArrayList<>();
  private final TreeSet<String> symbols = new TreeSet<>();

  void add(Labels labels, List<ChunkMeta> seriesChunks) {
    if (!series.isEmpty() && series.get(series.size() - 1).compareTo(labels) >= 0) {
      throw new IllegalArgumentException("series added out of order: " + labels);
    }
    series.add(labels);
    chunks.add(seriesChunks);
    labels.forEach(
        (n, v) -> {
          symbols.add(n);
          symbols.add(v);
        });
  }

  int numSeries() {
    return series.size();
  }

  void write(Path file) throws IOException {
    ByteSink out = new ByteSink(1 << 16);
    out.put(MAGIC, 0, 4);
    out.put(VERSION);
    Map<String, Integer> symIdx = new HashMap<>();
    out.putUvarint(symbols.size());
    for (String s : symbols) {
      symIdx.put(s, symIdx.size());
      out.putString(s);
    }
    TreeMap<String, TreeMap<String, int[]>> postings = new TreeMap<>();
    Map<String, Map<String, Integer>> postingLen = new HashMap<>();
    out.putUvarint(series.size());
    for (int id = 0; id < series.size(); id++) {
      Labels l = series.get(id);
      out.putUvarint(l.size());
      for (int i = 0; i < l.size(); i++) {
        out.putUvarint(symIdx.get(l.name(i)));
        out.putUvarint(symIdx.get(l.value(i)));
        addPosting(postings, postingLen, l.name(i), l.value(i), id);
      }
      List<ChunkMeta> cs = chunks.get(id);
      out.putUvarint(cs.size());
      for (ChunkMeta c : cs) {
        out.putVarint(c.minTime());
        out.putUvarint(c.maxTime() - c.minTime());
        out.putUvarint(c.offset());
        if (c.encoding() != XorChunk.XOR) {
          out.putUvarint(0); // no float chunk is empty: a marker, then the encoding
          out.put(c.encoding());
        }
        out.putUvarint(c.count());
      }
    }
    int pairs = 0;
    for (TreeMap<String, int[]> m : postings.values()) {
      pairs += m.size();
    }
    out.putUvarint(pairs);
    for (var byName : postings.entrySet()) {
      Map<String, Integer> lens = postingLen.get(byName.getKey());
      for (var byValue : byName.getValue().entrySet()) {
        int[] ids = byValue.getValue();
        int len = lens.get(byValue.getKey());
        out.putUvarint(symIdx.get(byName.getKey()));
        out.putUvarint(symIdx.get(byValue.getKey()));
        out.putUvarint(len);
        int prev = 0;
        for (int i = 0; i < len; i++) {
          out.putUvarint(ids[i] - prev);
          prev = ids[i];
        }
      }
    }
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, out.length());
    out.putInt((int) crc.getValue());
    try (OutputStream os = Files.newOutputStream(file)) {
      os.write(out.array(), 0, out.length());
    }
  }

  private static void addPosting(
      TreeMap<String, TreeMap<String, int[]>> postings,
      Map<String, Map<String, Integer>> lens,
      String name,
      String value,
      int id) {
    TreeMap<String, int[]> byValue = postings.computeIfAbsent(name, k -> new TreeMap<>());
    Map<String, Integer> len = lens.computeIfAbsent(name, k -> new HashMap<>());
    int[] ids = byValue.get(value);
    int n = len.getOrDefault(value, 0);
    if (ids == null) {
      ids = new int[4];
    } else if (n == ids.length) {
      ids = Arrays.copyOf(ids, n * 2);
    }
    ids[n] = id;
    byValue.put(value, ids);
    len.put(value, n + 1);
  }
}
