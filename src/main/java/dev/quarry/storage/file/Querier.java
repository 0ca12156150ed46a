package dev.quarry.storage.file;

import dev.quarry.model.Labels;
import dev.quarry.storage.Matcher;
import dev.quarry.storage.Queryable;
import dev.quarry.storage.Series;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.Lock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;
import java.util.function.Supplier;

/**
 * Reads raw series from the blocks and the head, merged: series sorted by labels, samples by time,
 * a timestamp present in both a block and the head reported once. Time bounds are inclusive
 * milliseconds. Thread-safe; each call sees the blocks present when it starts (blocks are not
 * deleted while a call reads them). As a {@link Queryable}, a selection copies the encoded chunks
 * it needs (never whole blocks) and decodes them while its series are iterated.
 */
public final class Querier implements Queryable {
  private final Head head;
  private final Supplier<List<Block>> blocks;
  private final Lock readLock;

  Querier(Head head, Supplier<List<Block>> blocks, Lock readLock) {
    this.head = head;
    this.blocks = blocks;
    this.readLock = readLock;
  }

  /** The series matching every matcher with at least one sample in {@code [mint, maxt]}. */
  public List<SeriesData> select(List<Matcher> matchers, long mint, long maxt) {
    TreeMap<Labels, List<Sample>> out = new TreeMap<>();
    forEachBlockSeries(
        matchers,
        mint,
        maxt,
        (b, id, l) -> {
          List<Sample> list = new ArrayList<>();
          b.samples(id, mint, maxt, list::add);
          if (!list.isEmpty()) {
            out.computeIfAbsent(l, k -> new ArrayList<>()).addAll(list);
          }
        });
    forEachHeadSeries(
        matchers,
        mint,
        maxt,
        (s, headMin) -> {
          List<Sample> list = new ArrayList<>();
          s.samples(headMin, maxt, list::add);
          if (!list.isEmpty()) {
            out.computeIfAbsent(s.labels, k -> new ArrayList<>()).addAll(list);
          }
        });
    List<SeriesData> result = new ArrayList<>(out.size());
    for (Map.Entry<Labels, List<Sample>> e : out.entrySet()) {
      result.add(new SeriesData(e.getKey(), mergeSorted(e.getValue())));
    }
    return result;
  }

  @Override
  public List<Series> select(long mint, long maxt, List<Matcher> matchers) {
    // One run per source (block or head) of a series; sorted by labels, then merged. Blocks come
    // before the head, and the sort is stable, so a series' runs keep that order.
    List<Run> runs = new ArrayList<>();
    forEachBlockSeries(
        matchers,
        mint,
        maxt,
        (b, id, l) -> {
          List<XorChunk> chunks = b.chunks(id, mint, maxt);
          if (!chunks.isEmpty()) {
            runs.add(new Run(l, chunks));
          }
        });
    forEachHeadRun(matchers, mint, maxt, (l, chunks) -> runs.add(new Run(l, chunks)));
    // Each source lists its series in label order, so this merges a few sorted runs.
    runs.sort((a, b) -> a.labels().compareTo(b.labels()));
    List<Series> out = new ArrayList<>(runs.size());
    for (int i = 0; i < runs.size(); ) {
      Labels l = runs.get(i).labels();
      int j = i + 1;
      while (j < runs.size() && runs.get(j).labels().equals(l)) {
        j++;
      }
      List<List<XorChunk>> chunks = new ArrayList<>(j - i);
      for (int k = i; k < j; k++) {
        chunks.add(runs.get(k).chunks());
      }
      ChunkSeries cs = new ChunkSeries(l, chunks, mint, maxt);
      if (cs.hasSamples()) {
        out.add(cs);
      }
      i = j;
    }
    return out;
  }

  /**
   * Streams the head's series when no block overlaps the range (the usual case for recent data):
   * each series is built from its chunks only when handed on, so none outlives {@code fn}'s use of
   * it. With blocks in range, the series of {@link #select(long, long, List)}, one by one.
   */
  @Override
  public void select(long mint, long maxt, List<Matcher> matchers, Consumer<Series> fn) {
    boolean blocksInRange = false;
    readLock.lock();
    try {
      for (Block b : blocks.get()) {
        blocksInRange |= b.overlaps(mint, maxt);
      }
    } finally {
      readLock.unlock();
    }
    if (blocksInRange) {
      select(mint, maxt, matchers).forEach(fn);
      return;
    }
    forEachHeadRun(
        matchers,
        mint,
        maxt,
        (l, chunks) -> {
          ChunkSeries cs = new ChunkSeries(l, List.of(chunks), mint, maxt);
          if (cs.hasSamples()) {
            fn.accept(cs);
          }
        });
  }

  /** Calls {@code visitor} with each matching head series' chunks in range, when it has some. */
  private void forEachHeadRun(
      List<Matcher> matchers, long mint, long maxt, BiConsumer<Labels, List<XorChunk>> visitor) {
    forEachHeadSeries(
        matchers,
        mint,
        maxt,
        (s, headMin) -> {
          List<XorChunk> chunks = s.chunks(headMin, maxt);
          if (!chunks.isEmpty()) {
            visitor.accept(s.labels, chunks);
          }
        });
  }

  /** The chunks of one series from one source, overlapping the selected range. */
  private record Run(Labels labels, List<XorChunk> chunks) {}

  @Override
  public List<String> labelNames(long mint, long maxt, List<Matcher> matchers) {
    return labelNames(matchers, mint, maxt);
  }

  @Override
  public List<String> labelValues(String name, long mint, long maxt, List<Matcher> matchers) {
    return labelValues(name, matchers, mint, maxt);
  }

  /** Label names of the matching series (all series without matchers), sorted. */
  public List<String> labelNames(List<Matcher> matchers, long mint, long maxt) {
    TreeSet<String> names = new TreeSet<>();
    for (SeriesData s : select(matchers, mint, maxt)) {
      s.labels().forEach((n, v) -> names.add(n));
    }
    return List.copyOf(names);
  }

  /** Label names over all time. */
  public List<String> labelNames(Matcher... matchers) {
    return labelNames(Arrays.asList(matchers), Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** Values of label {@code name} among the matching series, sorted. */
  public List<String> labelValues(String name, List<Matcher> matchers, long mint, long maxt) {
    TreeSet<String> values = new TreeSet<>();
    for (SeriesData s : select(matchers, mint, maxt)) {
      String v = s.labels().get(name);
      if (!v.isEmpty()) {
        values.add(v);
      }
    }
    return List.copyOf(values);
  }

  /** Values of label {@code name} over all time. */
  public List<String> labelValues(String name, Matcher... matchers) {
    return labelValues(name, Arrays.asList(matchers), Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** One series of a block: the block, its id there and its labels. */
  private interface BlockSeriesVisitor {
    void visit(Block b, int id, Labels labels);
  }

  /**
   * Calls {@code visitor} with each series matching every matcher in the blocks that overlap {@code
   * [mint, maxt]}, under the read lock, so blocks are not deleted meanwhile.
   */
  private void forEachBlockSeries(
      List<Matcher> matchers, long mint, long maxt, BlockSeriesVisitor visitor) {
    readLock.lock();
    try {
      for (Block b : blocks.get()) {
        if (!b.overlaps(mint, maxt)) {
          continue;
        }
        for (int id : candidates(b, matchers)) {
          Labels l = b.labels(id);
          if (matchesAll(l, matchers)) {
            visitor.visit(b, id, l);
          }
        }
      }
    } finally {
      readLock.unlock();
    }
  }

  /**
   * Calls {@code visitor} with each head series matching every matcher and the first time to read
   * from it: {@code mint}, or later where the head holds nothing valid before; no call when that is
   * after {@code maxt}.
   */
  private void forEachHeadSeries(
      List<Matcher> matchers, long mint, long maxt, ObjLongConsumer<HeadSeries> visitor) {
    long headMin = Math.max(mint, head.minValidTime());
    if (headMin > maxt) {
      return;
    }
    for (HeadSeries s : head.sortedSeries()) {
      if (matchesAll(s.labels, matchers)) {
        visitor.accept(s, headMin);
      }
    }
  }

  private static boolean matchesAll(Labels l, List<Matcher> matchers) {
    for (Matcher m : matchers) {
      if (!m.matches(l.get(m.name()))) {
        return false;
      }
    }
    return true;
  }

  /** Narrows a block's series with the postings of non-empty equality matchers. */
  private static int[] candidates(Block b, List<Matcher> matchers) {
    int[] ids = null;
    for (Matcher m : matchers) {
      if (m.type() == Matcher.Type.EQ && !m.value().isEmpty()) {
        int[] p = b.postings(m.name(), m.value());
        ids = ids == null ? p : Postings.intersect(ids, p);
      }
    }
    return ids == null ? Postings.all(b.numSeries()) : ids;
  }

  /** Sorts by time and keeps the first sample of each timestamp. */
  private static List<Sample> mergeSorted(List<Sample> in) {
    in.sort((a, b) -> Long.compare(a.timestampMillis(), b.timestampMillis()));
    List<Sample> out = new ArrayList<>(in.size());
    long prev = 0;
    for (Sample s : in) {
      if (out.isEmpty() || s.timestampMillis() != prev) {
        out.add(s);
        prev = s.timestampMillis();
      }
    }
    return out;
  }
}
