import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Two builds' JMH benchmark methods in one JVM, each build through its own class loader, timed in
 * alternating slices of the thread's CPU time. Both builds see the same machine at nearly the same
 * moment, so load from other processes shifts both alike, and the thread's CPU time leaves out the
 * time the thread waited for a core.
 *
 * <pre>
 *   java ParseAB BEFORE_DIR AFTER_DIR Class.method [ROUNDS] [SLICE_SECONDS] [WARMUP_SECONDS]
 * </pre>
 *
 * <p>Each DIR is a build directory of {@code bench/jmh.sh} ({@code classes/} and {@code
 * classpath.txt}); {@code Class} is a class of {@code dev.quarry.bench} with a no-argument
 * constructor, its {@code @Setup} methods are called once. A round times one slice of each build,
 * in the order before, after on even rounds and after, before on odd ones. Prints per round the
 * ops per CPU second of both and the ratio of time per op after/before, then the medians.
 */
public final class ParseAB {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** Keeps the results alive so no call is dropped as dead code. */
  static volatile long sink;

  private static final String SETUP = "org.openjdk.jmh.annotations.Setup";

  private ParseAB() {}

  /** One build's benchmark: an instance of the benchmark class and its method. */
  record Bench(Object instance, Method method) {
    long call() throws Exception {
      Object r = method.invoke(instance);
      return r instanceof Number n ? n.longValue() : 0;
    }
  }

  static Bench load(Path dir, String spec) throws Exception {
    List<URL> urls = new ArrayList<>();
    urls.add(dir.resolve("classes").toUri().toURL());
    for (String jar : Files.readString(dir.resolve("classpath.txt")).trim().split(":")) {
      if (!jar.isEmpty()) {
        urls.add(Path.of(jar).toUri().toURL());
      }
    }
    ClassLoader loader =
        new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    int dot = spec.lastIndexOf('.');
    Class<?> cls = Class.forName("dev.quarry.bench." + spec.substring(0, dot), true, loader);
    Object instance = cls.getConstructor().newInstance();
    for (Method m : cls.getMethods()) {
      if (Arrays.stream(m.getAnnotations())
          .anyMatch(a -> a.annotationType().getName().equals(SETUP))) {
        m.invoke(instance);
      }
    }
    return new Bench(instance, cls.getMethod(spec.substring(dot + 1)));
  }

  /** Calls {@code b} for {@code sliceNanos} of this thread's CPU time; returns CPU ns per op. */
  static double slice(Bench b, long sliceNanos, int batch) throws Exception {
    long acc = 0;
    long ops = 0;
    long start = THREADS.getCurrentThreadCpuTime();
    long now;
    do {
      for (int i = 0; i < batch; i++) {
        acc += b.call();
      }
      ops += batch;
      now = THREADS.getCurrentThreadCpuTime();
    } while (now - start < sliceNanos);
    sink += acc;
    return (double) (now - start) / ops;
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println(
          "usage: ParseAB BEFORE_DIR AFTER_DIR Class.method [ROUNDS] [SLICE_S] [WARMUP_S]");
      System.exit(2);
    }
    String spec = args[2];
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    long slice = (long) ((args.length > 4 ? Double.parseDouble(args[4]) : 0.5) * 1e9);
    double warmup = args.length > 5 ? Double.parseDouble(args[5]) : 10;
    Bench[] builds = {load(Path.of(args[0]), spec), load(Path.of(args[1]), spec)};

    // Warm-up: both builds in turn until each had its share, then a batch of about 1 ms per
    // clock read so the CPU clock costs nothing next to the calls.
    int batch = 1;
    for (int w = 0; w < Math.max(2, (int) (warmup * 1e9 / slice / 2)); w++) {
      for (Bench b : builds) {
        double ns = slice(b, slice, batch);
        batch = (int) Math.max(1, Math.min(1_000_000, 1e6 / ns));
      }
    }
    double[] before = new double[rounds];
    double[] after = new double[rounds];
    double[] ratio = new double[rounds];
    System.out.printf(
        Locale.ROOT,
        "%s (slices of %.2f s CPU, batch %d)%n%5s %14s %14s %12s%n",
        spec,
        slice / 1e9,
        batch,
        "round",
        "before op/s",
        "after op/s",
        "after/before");
    for (int r = 0; r < rounds; r++) {
      if (r % 2 == 0) {
        before[r] = slice(builds[0], slice, batch);
        after[r] = slice(builds[1], slice, batch);
      } else {
        after[r] = slice(builds[1], slice, batch);
        before[r] = slice(builds[0], slice, batch);
      }
      ratio[r] = after[r] / before[r];
      System.out.printf(
          Locale.ROOT, "%5d %14.1f %14.1f %12.3f%n", r, 1e9 / before[r], 1e9 / after[r], ratio[r]);
    }
    double[] sorted = ratio.clone();
    Arrays.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "median %13.1f %14.1f %12.3f  (ratio quartiles %.3f-%.3f)%n",
        1e9 / median(before),
        1e9 / median(after),
        median(ratio),
        sorted[rounds / 4],
        sorted[(3 * rounds) / 4]);
  }
}
