package dev.quarry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedOutputStream;
import io.airlift.compress.snappy.SnappyCompressor;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The loader and timer behind {@code bench/query.sh}: writes the same counter series into two
 * remote-write receivers (Prometheus and Quarry), then times the same PromQL queries on both,
 * checks that the answers agree and prints the median times and the peak RSS of both processes.
 *
 * <p>Arguments: {@code promUrl promPid quarryUrl quarryPid}. Environment: {@code SERIES} (default
 * 100000), {@code REPEAT} (default 5), {@code BATCH} (series-samples per request, default 5000).
 * Single-threaded apart from the HTTP client's own threads.
 */
public final class QueryBench {
  private static final int JOBS = 10;
  private static final int SAMPLES = 240;
  private static final long STEP_MS = 15_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public static void main(String[] args) throws Exception {
    int series = Integer.parseInt(env("SERIES", "100000"));
    int repeat = Integer.parseInt(env("REPEAT", "5"));
    int batch = Integer.parseInt(env("BATCH", "5000"));
    String prom = args[0];
    long promPid = Long.parseLong(args[1]);
    String quarry = args[2];
    long quarryPid = Long.parseLong(args[3]);
    new QueryBench().run(series, repeat, batch, prom, promPid, quarry, quarryPid);
  }

  private static String env(String name, String def) {
    String v = System.getenv(name);
    return v == null || v.isEmpty() ? def : v;
  }

  private void run(
      int series, int repeat, int batch, String prom, long promPid, String quarry, long quarryPid)
      throws Exception {
    // The last sample a minute before now, aligned to the step.
    long end = (System.currentTimeMillis() - 60_000) / STEP_MS * STEP_MS;
    long start = end - (SAMPLES - 1) * STEP_MS;
    long t0 = System.nanoTime();
    load(series, batch, start, prom, quarry);
    double loadS = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "load: %d series x %d samples into both in %.1f s (%.0f samples/s each)%n",
        series, SAMPLES, loadS, series * (double) SAMPLES / loadS);
    System.out.printf(
        "rss after load: prometheus %s, quarry %s%n",
        status(promPid, "VmRSS"), status(quarryPid, "VmRSS"));

    String rangeQ = "sum by (job) (rate(x[5m]))";
    String range =
        "query_range?query="
            + enc(rangeQ)
            + "&start="
            + secs(start)
            + "&end="
            + secs(end)
            + "&step=15";
    String instantQ = "topk(10, rate(x[5m]))";
    String instant = "query?query=" + enc(instantQ) + "&time=" + secs(end);
    String[][] queries = {{rangeQ + " (1 h, step 15s)", range}, {instantQ + " (instant)", instant}};
    List<String> rows = new ArrayList<>();
    for (String[] q : queries) {
      double[] p = time(prom, q[1], repeat);
      double[] m = time(quarry, q[1], repeat);
      compare(q[0], get(prom, q[1]), get(quarry, q[1]));
      rows.add(
          String.format(
              "| `%s` | %.1f | %.1f | %.2f |", q[0], median(p), median(m), median(m) / median(p)));
      System.out.printf("%s: prometheus %s ms, quarry %s ms%n", q[0], fmt(p), fmt(m));
    }
    long promHwm = kb(status(promPid, "VmHWM"));
    long quarryHwm = kb(status(quarryPid, "VmHWM"));
    System.out.println();
    System.out.println(
        "| query | Prometheus 2.42 median ms | Quarry median ms | Quarry/Prometheus |");
    System.out.println("| --- | ---: | ---: | ---: |");
    rows.forEach(System.out::println);
    System.out.printf(
        "| peak RSS (VmHWM) after the queries | %.0f MiB | %.0f MiB | %.2f |%n",
        promHwm / 1024.0, quarryHwm / 1024.0, quarryHwm / (double) promHwm);
  }

  // ---- load ----

  private void load(int series, int batch, long start, String prom, String quarry)
      throws Exception {
    byte[][] labels = new byte[series][];
    int longest = 0;
    for (int s = 0; s < series; s++) {
      labels[s] = labelFields("x", "j" + (s % JOBS), "i" + (s / JOBS));
      longest = Math.max(longest, labels[s].length);
    }
    double[] value = new double[series];
    SplittableRandom rnd = new SplittableRandom(42);
    SnappyCompressor snappy = new SnappyCompressor();
    byte[] buf = new byte[batch * (longest + 32)]; // + sample and lengths
    byte[] out = new byte[snappy.maxCompressedLength(buf.length)];
    CompletableFuture<?> inFlight = CompletableFuture.completedFuture(null);
    for (int i = 0; i < SAMPLES; i++) {
      long ts = start + i * STEP_MS;
      for (int s = 0; s < series; s++) {
        // Counters: a random increase per step, a reset about once every 500 samples.
        value[s] = rnd.nextInt(500) == 0 ? rnd.nextDouble() : value[s] + rnd.nextDouble() * 10;
      }
      for (int from = 0; from < series; from += batch) {
        int to = Math.min(series, from + batch);
        CodedOutputStream cos = CodedOutputStream.newInstance(buf);
        for (int s = from; s < to; s++) {
          int sample =
              2
                  + CodedOutputStream.computeDoubleSize(1, value[s])
                  + CodedOutputStream.computeInt64Size(2, ts);
          cos.writeTag(1, 2);
          cos.writeUInt32NoTag(labels[s].length + sample);
          cos.writeRawBytes(labels[s]);
          cos.writeTag(2, 2);
          cos.writeUInt32NoTag(sample - 2);
          cos.writeDouble(1, value[s]);
          cos.writeInt64(2, ts);
        }
        int n = cos.getTotalBytesWritten();
        int c = snappy.compress(buf, 0, n, out, 0, out.length);
        byte[] body = Arrays.copyOf(out, c);
        // One request in flight per receiver: the next waits for both answers, so every
        // series' samples arrive in time order.
        inFlight.join();
        inFlight = CompletableFuture.allOf(write(prom, body), write(quarry, body));
      }
    }
    inFlight.join();
  }

  private static byte[] labelFields(String name, String job, String instance) throws IOException {
    String[][] pairs = {{"__name__", name}, {"instance", instance}, {"job", job}};
    byte[] b = new byte[256];
    CodedOutputStream cos = CodedOutputStream.newInstance(b);
    for (String[] p : pairs) {
      cos.writeTag(1, 2);
      cos.writeUInt32NoTag(
          CodedOutputStream.computeStringSize(1, p[0])
              + CodedOutputStream.computeStringSize(2, p[1]));
      cos.writeString(1, p[0]);
      cos.writeString(2, p[1]);
    }
    return Arrays.copyOf(b, cos.getTotalBytesWritten());
  }

  private CompletableFuture<Void> write(String base, byte[] body) {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(base + "/api/v1/write"))
            .header("Content-Type", "application/x-protobuf")
            .header("Content-Encoding", "snappy")
            .header("X-Prometheus-Remote-Write-Version", "0.1.0")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofString())
        .thenAccept(
            r -> {
              if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException(
                    base + " write: " + r.statusCode() + " " + r.body());
              }
            });
  }

  // ---- queries ----

  private double[] time(String base, String path, int repeat) throws Exception {
    get(base, path); // warm-up
    double[] ms = new double[repeat];
    for (int i = 0; i < repeat; i++) {
      long t = System.nanoTime();
      get(base, path);
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    return ms;
  }

  private JsonNode get(String base, String path) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(base + "/api/v1/" + path))
            .timeout(Duration.ofMinutes(5))
            .build();
    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(base + " " + path + ": " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /** Same series (by labels), same timestamps, values within 1e-6 relative. */
  private static void compare(String what, JsonNode prom, JsonNode quarry) {
    Map<String, JsonNode> p = bySeries(prom);
    Map<String, JsonNode> q = bySeries(quarry);
    if (!p.keySet().equals(q.keySet())) {
      throw new IllegalStateException(
          what + ": series differ: prometheus " + p.keySet() + " quarry " + q.keySet());
    }
    int points = 0;
    for (var e : p.entrySet()) {
      List<double[]> a = points(e.getValue());
      List<double[]> b = points(q.get(e.getKey()));
      if (a.size() != b.size()) {
        throw new IllegalStateException(
            what + " " + e.getKey() + ": " + a.size() + " points vs " + b.size());
      }
      for (int i = 0; i < a.size(); i++) {
        double[] x = a.get(i);
        double[] y = b.get(i);
        double tol = 1e-6 * Math.max(Math.abs(x[1]), Math.abs(y[1]));
        if (x[0] != y[0] || Math.abs(x[1] - y[1]) > tol) {
          throw new IllegalStateException(
              what
                  + " "
                  + e.getKey()
                  + ": prometheus "
                  + Arrays.toString(x)
                  + " quarry "
                  + Arrays.toString(y));
        }
        points++;
      }
    }
    System.out.printf("%s: answers agree (%d series, %d points)%n", what, p.size(), points);
  }

  private static Map<String, JsonNode> bySeries(JsonNode body) {
    Map<String, JsonNode> m = new TreeMap<>();
    for (JsonNode r : body.path("data").path("result")) {
      m.put(new TreeMap<>(JSON.convertValue(r.get("metric"), Map.class)).toString(), r);
    }
    return m;
  }

  private static List<double[]> points(JsonNode r) {
    List<double[]> out = new ArrayList<>();
    JsonNode values =
        r.has("values") ? r.get("values") : JSON.createArrayNode().add(r.get("value"));
    for (JsonNode v : values) {
      out.add(new double[] {v.get(0).asDouble(), Double.parseDouble(v.get(1).asText())});
    }
    return out;
  }

  // ---- helpers ----

  private static String status(long pid, String key) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(key + ":")) {
        return line.substring(key.length() + 1).trim();
      }
    }
    throw new IllegalStateException("no " + key + " for pid " + pid);
  }

  private static long kb(String v) {
    return Long.parseLong(v.replace("kB", "").trim());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String secs(long ms) {
    return String.format(java.util.Locale.ROOT, "%.3f", ms / 1000.0);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static String fmt(double[] v) {
    StringBuilder b = new StringBuilder();
    for (double d : v) {
      b.append(b.length() == 0 ? "" : " ").append(String.format("%.1f", d));
    }
    return b.toString();
  }
}
