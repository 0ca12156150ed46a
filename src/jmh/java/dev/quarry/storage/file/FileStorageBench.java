package dev.quarry.storage.file;

// A figure for BENCHMARKS.md, not a test: bench/blocks.sh builds it with -Pjmh and runs
//   dev.quarry.storage.file.FileStorageBench [targets=1000] [scrapes=10] [cutTargets=50]
// [random|farm]

import dev.quarry.model.Labels;
import dev.quarry.storage.Appender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Appends scrapes of 1,348 series per target (one appender and commit per target per scrape, on one
 * thread) and prints samples/s into the head with the WAL on; then, for a smaller set of targets,
 * 1.5 block ranges of 15 s scrapes, cuts a block and prints its bytes per sample on disk.
 *
 * <p>Two kinds of values: {@code random} (70 % counters that grow by a random 0 to 19 or stand
 * still, 30 % gauges that wander randomly with two decimals: close to the worst case for XOR
 * chunks) and {@code farm} (the series and values of {@code farm_payload.prom}, changing as {@code
 * bench/farm.sh} changes them: counters grow by a per-series step, a third of the other series
 * wander by whole numbers, the rest stay).
 */
public final class FileStorageBench {
  static final int SERIES_PER_TARGET = 1348;
  static final long INTERVAL = 15_000;

  private FileStorageBench() {}

  public static void main(String[] args) throws Exception {
    int targets = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int scrapes = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int cutTargets = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    boolean farm = args.length > 3 && args[3].equals("farm");
    FileStorageSettings settings =
        FileStorageSettings.DEFAULTS.withWalSync(new FileStorageSettings.WalSync(1000));

    Path dir = Files.createTempDirectory("quarry-bench");
    try (FileStorage fs = FileStorage.open(dir, settings)) {
      Load load = farm ? new FarmLoad(targets) : new Load(targets);
      load.scrape(fs, 0); // first scrape creates the series; not timed
      long samples = 0;
      long start = System.nanoTime();
      for (int s = 1; s <= scrapes; s++) {
        samples += load.scrape(fs, s * INTERVAL);
      }
      double secs = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "append (%s values): %d targets x %d series, %d scrapes: %,.0f samples/s (%.1f s)%n",
          farm ? "farm" : "random", targets, SERIES_PER_TARGET, scrapes, samples / secs, secs);
    }
    delete(dir);

    dir = Files.createTempDirectory("quarry-bench-cut");
    try (FileStorage fs = FileStorage.open(dir, settings)) {
      Load load = farm ? new FarmLoad(cutTargets) : new Load(cutTargets);
      long range = settings.blockRangeMillis();
      for (long t = 0; t <= range + range / 2; t += INTERVAL) {
        load.scrape(fs, t);
      }
      fs.cutIfNeeded(0);
      if (System.getenv("KEEP_BLOCK") != null) {
        System.out.println("block kept in " + dir);
      }
      String om = System.getenv("OPENMETRICS_OUT");
      if (om != null && !om.isEmpty() && load instanceof FarmLoad f) {
        f.writeOpenMetrics(Path.of(om), range);
        System.out.println(
            "the block's samples as OpenMetrics (for promtool tsdb create-blocks-from): " + om);
      }
      BlockMeta m = fs.blocks().get(0);
      long bytes = size(dir.resolve(m.ulid()));
      System.out.printf(
          "block: %d series, %d samples, %d bytes on disk: %.3f bytes/sample%n",
          m.stats().numSeries(),
          m.stats().numSamples(),
          bytes,
          bytes / (double) m.stats().numSamples());
    }
    if (System.getenv("KEEP_BLOCK") == null) {
      delete(dir);
    }
  }

  /** The series of every target with their last values and refs. */
  private static class Load {
    final Labels[][] labels;
    final long[][] refs;
    final double[][] values;
    final Random rnd = new Random(1);

    Load(int targets, boolean init) {
      labels = new Labels[targets][SERIES_PER_TARGET];
      refs = new long[targets][SERIES_PER_TARGET];
      values = new double[targets][SERIES_PER_TARGET];
    }

    Load(int targets) {
      labels = new Labels[targets][SERIES_PER_TARGET];
      refs = new long[targets][SERIES_PER_TARGET];
      values = new double[targets][SERIES_PER_TARGET];
      for (int t = 0; t < targets; t++) {
        String instance = "node-" + t + ":9100";
        for (int i = 0; i < SERIES_PER_TARGET; i++) {
          boolean counter = i % 10 < 7;
          String name = (counter ? "farm_requests_total_" : "farm_temperature_") + (i / 20);
          labels[t][i] =
              Labels.of(
                  "__name__",
                  name,
                  "instance",
                  instance,
                  "job",
                  "farm",
                  "shard",
                  Integer.toString(i % 20));
          values[t][i] = counter ? rnd.nextInt(100_000) : 20 + rnd.nextInt(1000) / 100.0;
        }
      }
    }

    /** Sets {@code v} to the values of scrape {@code ts}. */
    void next(double[] v, long ts) {
      for (int i = 0; i < SERIES_PER_TARGET; i++) {
        if (i % 10 < 7) {
          // counters: most move by a small varying amount, some stand still
          v[i] += (i % 3 == 0) ? 0 : rnd.nextInt(20);
        } else {
          v[i] = Math.round((v[i] + (rnd.nextInt(21) - 10) / 100.0) * 100) / 100.0;
        }
      }
    }

    long scrape(FileStorage fs, long ts) {
      long n = 0;
      for (int t = 0; t < labels.length; t++) {
        Appender a = fs.appender();
        long[] r = refs[t];
        double[] v = values[t];
        next(v, ts);
        for (int i = 0; i < SERIES_PER_TARGET; i++) {
          r[i] = a.append(r[i], labels[t][i], ts, v[i]);
          n++;
        }
        a.commit();
      }
      return n;
    }
  }

  /** The farm page's series and values, changing as bench/farm.sh's generator changes them. */
  private static final class FarmLoad extends Load {
    final double[] base = new double[SERIES_PER_TARGET];
    final int[] line = new int[SERIES_PER_TARGET];
    final boolean[] counter = new boolean[SERIES_PER_TARGET];

    FarmLoad(int targets) throws Exception {
      super(targets, false);
      java.util.List<String> lines =
          Files.readAllLines(Path.of("src/test/resources/fixtures/farm_payload.prom"));
      byte[] page =
          String.join("\n", lines).concat("\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      dev.quarry.textparse.PromTextParser parser = new dev.quarry.textparse.PromTextParser();
      parser.reset(page, 0, page.length);
      int i = 0;
      int nr = 0;
      for (dev.quarry.textparse.Entry e = parser.next();
          e != dev.quarry.textparse.Entry.EOF;
          e = parser.next()) {
        if (e != dev.quarry.textparse.Entry.SERIES) {
          continue;
        }
        Labels l = parser.labels();
        String name = l.get("__name__");
        base[i] = parser.value();
        counter[i] = name.matches(".*(_total|_count|_sum|_bucket)");
        String text =
            new String(
                page,
                parser.seriesOffset(),
                parser.seriesLength(),
                java.nio.charset.StandardCharsets.UTF_8);
        while (!lines.get(nr).startsWith(text)) {
          nr++;
        }
        line[i] = ++nr; // awk's NR of the line
        for (int t = 0; t < targets; t++) {
          labels[t][i] =
              l.toBuilder().set("instance", "node-" + t + ":9100").set("job", "farm").build();
        }
        i++;
      }
      if (i != SERIES_PER_TARGET) {
        throw new IllegalStateException("farm page has " + i + " series");
      }
    }

    /**
     * Writes every series' samples with timestamps below {@code until} as OpenMetrics text, series
     * by series, grouped by metric name (Prometheus' backfill wants families contiguous).
     */
    void writeOpenMetrics(Path file, long until) throws Exception {
      java.util.List<Integer> order = new java.util.ArrayList<>();
      for (int i = 0; i < SERIES_PER_TARGET; i++) {
        order.add(i);
      }
      order.sort(java.util.Comparator.comparing(i -> labels[0][i].get("__name__")));
      try (java.io.Writer w = Files.newBufferedWriter(file)) {
        String family = null;
        for (int i : order) {
          String name = labels[0][i].get("__name__");
          if (!name.equals(family)) {
            w.write("# TYPE " + name + " unknown\n");
            family = name;
          }
          for (int t = 0; t < labels.length; t++) {
            StringBuilder sb = new StringBuilder(name).append('{');
            Labels l = labels[t][i];
            for (int k = 0; k < l.size(); k++) {
              if (!l.name(k).equals("__name__")) {
                sb.append(l.name(k))
                    .append("=\"")
                    .append(
                        l.value(k).replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
                    .append("\",");
              }
            }
            sb.setLength(sb.length() - 1);
            String series = sb.append("} ").toString();
            for (long ts = 0; ts < until; ts += INTERVAL) {
              w.write(series + value(i, ts) + " " + ts / 1000 + "\n");
            }
          }
        }
        w.write("# EOF\n");
      }
    }

    @Override
    void next(double[] v, long ts) {
      for (int i = 0; i < SERIES_PER_TARGET; i++) {
        v[i] = value(i, ts);
      }
    }

    /** Series {@code i}'s value at {@code ts}, as the farm generator's awk program computes it. */
    double value(int i, long ts) {
      long it = ts / INTERVAL + 1;
      int nr = line[i];
      if (counter[i]) {
        return base[i] + (nr % 7 + 1) * it;
      }
      return nr % 3 == 0 ? base[i] + (it + nr) % 11 - 5 : base[i];
    }
  }

  private static long size(Path p) throws Exception {
    try (Stream<Path> f = Files.list(p)) {
      return f.mapToLong(x -> x.toFile().length()).sum();
    }
  }

  private static void delete(Path p) throws Exception {
    BlockWriter.deleteRecursively(p);
  }
}
