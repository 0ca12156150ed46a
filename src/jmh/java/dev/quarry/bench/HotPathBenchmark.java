package dev.quarry.bench;

import dev.quarry.model.Labels;
import dev.quarry.relabel.RelabelAction;
import dev.quarry.relabel.RelabelConfig;
import dev.quarry.relabel.Relabeler;
import dev.quarry.scrape.ScrapeCache;
import dev.quarry.storage.Appender;
import dev.quarry.storage.file.ChunkEncoder;
import dev.quarry.storage.file.FileStorage;
import dev.quarry.storage.file.FileStorageSettings;
import dev.quarry.textparse.Entry;
import dev.quarry.textparse.ParseException;
import dev.quarry.textparse.PromTextParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The per-sample steps of a steady-state scrape after parsing, over the farm page's 1,348 series
 * (one invocation = the whole page, reported per series): the scrape-cache lookup of a series' raw
 * text, metric relabelling of its labels with a typical rule list, the WAL append and commit of the
 * page through the file store (agent mode, fsync once a second as by default), and XOR-chunk
 * encoding, streamed as the head does and known in advance as a block cut does (one invocation =
 * 120 samples of a counter, reported per sample).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HotPathBenchmark {
  static final int SERIES = 1348;

  byte[] page;
  final PromTextParser parser = new PromTextParser();
  final ScrapeCache cache = new ScrapeCache();
  int[] offsets;
  int[] lengths;
  long[] hashes;
  Labels[] labels;
  long[] refs;
  Relabeler relabeler;
  final Labels.Builder builder = Labels.builder();
  Path dir;
  FileStorage storage;
  long now;

  @Setup
  public void setUp() throws IOException, ParseException {
    page = Fixtures.text("farm_payload.prom");
    List<Integer> off = new ArrayList<>();
    List<Integer> len = new ArrayList<>();
    List<Long> hash = new ArrayList<>();
    List<Labels> ls = new ArrayList<>();
    parser.reset(page, 0, page.length);
    for (Entry e = parser.next(); e != Entry.EOF; e = parser.next()) {
      if (e == Entry.SERIES) {
        off.add(parser.seriesOffset());
        len.add(parser.seriesLength());
        hash.add(parser.seriesHash());
        Labels.Builder b = Labels.builder();
        parser.labels(b);
        b.set("instance", "127.0.0.1:23000").set("job", "farm");
        ls.add(b.build());
      }
    }
    if (ls.size() != SERIES) {
      throw new IllegalStateException("farm page has " + ls.size() + " series, expected " + SERIES);
    }
    offsets = off.stream().mapToInt(Integer::intValue).toArray();
    lengths = len.stream().mapToInt(Integer::intValue).toArray();
    hashes = hash.stream().mapToLong(Long::longValue).toArray();
    labels = ls.toArray(new Labels[0]);
    for (int i = 0; i < SERIES; i++) {
      cache.add(page, offsets[i], lengths[i], hashes[i], i + 1, labels[i]);
    }
    relabeler =
        Relabeler.compile(
            List.of(
                RelabelConfig.of(
                    List.of("__name__"), null, "go_gc_.*", null, null, null, RelabelAction.DROP),
                RelabelConfig.of(
                    null,
                    null,
                    "pod_template_hash|controller_revision",
                    null,
                    null,
                    null,
                    RelabelAction.LABELDROP),
                RelabelConfig.of(
                    List.of("instance"),
                    null,
                    "([^:]+):\\d+",
                    null,
                    "host",
                    "$1",
                    RelabelAction.REPLACE)));
    dir = Files.createTempDirectory("quarry-jmh");
    storage =
        FileStorage.open(
            dir,
            FileStorageSettings.DEFAULTS
                .withAgentMode(true)
                .withWalSync(new FileStorageSettings.WalSync(1000)));
    refs = new long[SERIES];
    now = System.currentTimeMillis();
    Appender a = storage.appender();
    for (int i = 0; i < SERIES; i++) {
      refs[i] = a.append(0, labels[i], now, i);
    }
    a.commit();
  }

  @TearDown
  public void tearDown() throws IOException {
    storage.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  @OperationsPerInvocation(SERIES)
  public long cacheLookup() {
    long acc = 0;
    for (int i = 0; i < SERIES; i++) {
      acc += cache.get(page, offsets[i], lengths[i], hashes[i]).ref();
    }
    return acc;
  }

  @Benchmark
  @OperationsPerInvocation(SERIES)
  public long metricRelabel() {
    long acc = 0;
    for (int i = 0; i < SERIES; i++) {
      builder.reset(labels[i]);
      if (relabeler.process(builder)) {
        acc += builder.size();
      }
    }
    return acc;
  }

  @Benchmark
  @OperationsPerInvocation(SERIES)
  public long walAppendCommit() {
    now += 15_000;
    Appender a = storage.appender();
    long acc = 0;
    for (int i = 0; i < SERIES; i++) {
      acc += a.append(refs[i], labels[i], now, now * 0.5 + i);
    }
    a.commit();
    return acc;
  }

  @Benchmark
  @OperationsPerInvocation(120)
  public int chunkEncode() {
    ChunkEncoder enc = new ChunkEncoder();
    long t = now;
    double v = 1000;
    for (int i = 0; i < 120; i++) {
      t += 15_000 + (i % 7 == 0 ? 3 : 0);
      v += i % 5;
      enc.append(t, v);
    }
    return enc.size();
  }

  final long[] chunkTs = new long[120];
  final double[] chunkVs = new double[120];
  final long[] chunkScratch = new long[120];

  /** The same samples encoded as a block cut does, all known in advance (window lookahead). */
  @Benchmark
  @OperationsPerInvocation(120)
  public int chunkEncodeKnownInAdvance() {
    long t = now;
    double v = 1000;
    for (int i = 0; i < 120; i++) {
      t += 15_000 + (i % 7 == 0 ? 3 : 0);
      v += i % 5;
      chunkTs[i] = t;
      chunkVs[i] = v;
    }
    ChunkEncoder enc = new ChunkEncoder();
    enc.appendAll(chunkTs, chunkVs, 0, 120, chunkScratch);
    return enc.size();
  }
}
