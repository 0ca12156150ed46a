package dev.quarry.promql.engine;

// A figure for profiling, not a test: built with -Pjmh, run as
//   java -cp ... dev.quarry.promql.engine.EngineQueryBench [series=100000] [repeat=5]
// (add -XX:StartFlightRecording=filename=q.jfr,settings=profile to see where the time goes).

import dev.quarry.model.Labels;
import dev.quarry.promql.PromQL;
import dev.quarry.storage.Appender;
import dev.quarry.storage.file.FileStorage;
import dev.quarry.storage.file.FileStorageSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The queries of {@code bench/query.sh} evaluated in process, without HTTP: loads the same counter
 * series (10 jobs, one hour at 15 s, a reset about every 500 samples) into a {@link FileStorage}
 * head, then times {@code sum by (job) (rate(x[5m]))} over the hour at step 15s and {@code topk(10,
 * rate(x[5m]))} at the end through the {@link Engine}, printing each run and the medians.
 */
public final class EngineQueryBench {
  private static final int JOBS = 10;
  private static final int SAMPLES = 240;
  private static final long STEP_MS = 15_000;

  private EngineQueryBench() {}

  public static void main(String[] args) throws Exception {
    int series = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int repeat = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path dir = Files.createTempDirectory("quarry-engine-bench");
    long end = (System.currentTimeMillis() - 60_000) / STEP_MS * STEP_MS;
    long start = end - (SAMPLES - 1) * STEP_MS;
    try (FileStorage fs =
        FileStorage.open(
            dir, FileStorageSettings.DEFAULTS.withWalSync(new FileStorageSettings.WalSync(1000)))) {
      long t0 = System.nanoTime();
      load(fs, series, start);
      System.out.printf(
          "load: %d series x %d samples in %.1f s%n",
          series, SAMPLES, (System.nanoTime() - t0) / 1e9);
      Engine engine = new Engine(fs.querier(), Engine.Settings.DEFAULTS);
      var range = PromQL.parse("sum by (job) (rate(x[5m]))");
      var topk = PromQL.parse("topk(10, rate(x[5m]))");
      double[] r = new double[repeat];
      double[] k = new double[repeat];
      double[] rc = new double[repeat];
      double[] kc = new double[repeat];
      for (int i = -1; i < repeat; i++) {
        long ac = cpu();
        long a = System.nanoTime();
        var m = engine.range(range, start, end, STEP_MS, new AtomicBoolean());
        long bc = cpu();
        long b = System.nanoTime();
        var v = engine.instant(topk, end, new AtomicBoolean());
        long cc = cpu();
        long c = System.nanoTime();
        if (i >= 0) {
          r[i] = (b - a) / 1e6;
          k[i] = (c - b) / 1e6;
          rc[i] = (bc - ac) / 1e6;
          kc[i] = (cc - bc) / 1e6;
        } else {
          System.out.println("range: " + m.series().size() + " series; topk: " + v);
        }
      }
      System.out.printf("range ms %s median %.0f%n", Arrays.toString(r), median(r));
      System.out.printf("topk  ms %s median %.0f%n", Arrays.toString(k), median(k));
      System.out.printf("range process cpu ms median %.0f, topk %.0f%n", median(rc), median(kc));
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** CPU time of the whole process (the query, the collector, the compiler), in ns. */
  private static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static void load(FileStorage fs, int series, long start) {
    Labels[] labels = new Labels[series];
    long[] refs = new long[series];
    double[] value = new double[series];
    for (int s = 0; s < series; s++) {
      labels[s] = Labels.of("__name__", "x", "instance", "i" + (s / JOBS), "job", "j" + (s % JOBS));
    }
    SplittableRandom rnd = new SplittableRandom(42);
    for (int i = 0; i < SAMPLES; i++) {
      long ts = start + i * STEP_MS;
      Appender a = fs.appender();
      for (int s = 0; s < series; s++) {
        value[s] = rnd.nextInt(500) == 0 ? rnd.nextDouble() : value[s] + rnd.nextDouble() * 10;
        refs[s] = a.append(refs[s], labels[s], ts, value[s]);
        if (s % 5000 == 4999) {
          a.commit();
          a = fs.appender();
        }
      }
      a.commit();
    }
  }
}
