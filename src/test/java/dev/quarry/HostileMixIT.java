package dev.quarry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.quarry.testing.PromQueries;
import dev.quarry.testing.PrometheusServer;
import dev.quarry.testing.QuarryProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/**
 * The packaged agent under a hostile mix for a minute, beside a healthy job: a target that answers
 * with a gzip bomb (no {@code body_size_limit}), an {@code http_sd} endpoint that sends one byte a
 * second, a job whose {@code metric_relabel_configs} holds a backtracking-prone regex, a client
 * looping pathological regex queries and series look-ups, and a data directory whose file system
 * fills up. The healthy target must be scraped on every tick, the agent must stay healthy, never
 * report a blocked event loop, recover its readiness once space is back, and stop cleanly.
 */
class HostileMixIT {
  private static final Duration MIX = Duration.ofSeconds(60);
  private static final String LONG_VALUE = "a".repeat(64);

  @Test
  void healthyJobIsScrapedOnEveryTickUnderTheMix() throws Exception {
    Path dir = Files.createTempDirectory("quarry-hostile-mix");
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    boolean tmpfs = mountTmpfs(data, "48m");
    ConcurrentLinkedQueue<Long> healthyHits = new ConcurrentLinkedQueue<>();
    AtomicBoolean done = new AtomicBoolean();
    byte[] page =
        ("# TYPE healthy gauge\nhealthy 1\n# TYPE long_value gauge\nlong_value{v=\""
                + LONG_VALUE
                + "\"} 1\n")
            .getBytes(UTF_8);
    byte[] bomb = gzipOfZeros(1L << 30);
    ExecutorService pool = Executors.newCachedThreadPool();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.setExecutor(pool);
    server.createContext(
        "/healthy",
        ex -> {
          healthyHits.add(System.nanoTime());
          reply(ex, page, null);
        });
    server.createContext("/page", ex -> reply(ex, page, null));
    server.createContext("/bomb", ex -> reply(ex, bomb, "gzip"));
    server.createContext("/sd", ex -> dribble(ex, done));
    server.start();
    String addr = "127.0.0.1:" + server.getAddress().getPort();
    Path cfg = dir.resolve("prometheus.yml");
    Files.writeString(
        cfg,
        String.join(
            "\n",
            "global:",
            "  scrape_interval: 1s",
            "  scrape_timeout: 900ms",
            "scrape_configs:",
            "  - job_name: healthy",
            "    metrics_path: /healthy",
            "    static_configs: [{targets: ['" + addr + "']}]",
            "  - job_name: bomb",
            "    metrics_path: /bomb",
            "    scrape_interval: 5s",
            "    scrape_timeout: 4s",
            "    static_configs: [{targets: ['" + addr + "']}]",
            "  - job_name: redos",
            "    metrics_path: /page",
            "    static_configs: [{targets: ['" + addr + "']}]",
            "    metric_relabel_configs:",
            "      - source_labels: [v]",
            "        regex: '((a+)+)+b'",
            "        action: drop",
            "  - job_name: dribbling",
            "    http_sd_configs: [{url: 'http://" + addr + "/sd', refresh_interval: 10s}]",
            ""));
    AtomicInteger queries = new AtomicInteger();
    List<String> failures = new ArrayList<>();
    try (QuarryProcess quarry =
        QuarryProcess.start(
            cfg,
            data,
            PrometheusServer.freePort(),
            Map.of("QUARRY_STORAGE_MODE", "server"),
            dir.resolve("quarry.log"))) {
      Thread redos = new Thread(() -> queryLoop(quarry, done, queries, failures), "redos-client");
      redos.setDaemon(true);
      redos.start();
      long start = System.nanoTime();
      Thread.sleep(5_000);
      Path filler = tmpfs ? fill(data) : null;
      List<Integer> healthy = new ArrayList<>();
      while (System.nanoTime() - start < MIX.toNanos()) {
        healthy.add(quarry.get("/-/healthy").statusCode());
        Thread.sleep(1_000);
      }
      long mixEnd = System.nanoTime();
      done.set(true);
      redos.join(30_000);

      // The healthy job: one scrape a second throughout the minute.
      List<Long> hits = new ArrayList<>();
      for (long t : healthyHits) {
        if (t >= start && t <= mixEnd) {
          hits.add(t);
        }
      }
      long seconds = (mixEnd - start) / 1_000_000_000L;
      assertTrue(
          hits.size() >= seconds - 2,
          "healthy target scraped " + hits.size() + " times in " + seconds + " s");
      for (int i = 1; i < hits.size(); i++) {
        long gapMs = (hits.get(i) - hits.get(i - 1)) / 1_000_000;
        assertTrue(gapMs < 2_500, "a missed tick: " + gapMs + " ms between two scrapes");
      }
      assertFalse(
          healthy.contains(503) || healthy.stream().anyMatch(c -> c != 200),
          "/-/healthy answered " + healthy);
      assertTrue(queries.get() > 0, "the regex queries never answered");
      assertTrue(failures.isEmpty(), "regex queries failed: " + failures);

      if (filler != null) {
        Files.delete(filler);
        PromQueries.await(
            "ready again once space is back", Duration.ofSeconds(60), () -> ready(quarry));
      }
      // The bomb fails its own scrape, with the reason on the target.
      var bombTarget =
          quarry
              .getJson("/api/v1/targets?scrapePool=bomb")
              .path("data")
              .path("activeTargets")
              .get(0);
      assertEquals("down", bombTarget.path("health").asText(), bombTarget.toString());
      assertFalse(bombTarget.path("lastError").asText().isEmpty(), bombTarget.toString());
      String log = quarry.log();
      assertFalse(log.contains("has been blocked for"), "a blocked thread was reported");
      assertFalse(log.contains("OutOfMemoryError"), "the agent ran out of memory");
    } finally {
      done.set(true);
      server.stop(0);
      pool.shutdownNow();
      if (tmpfs) {
        new ProcessBuilder("umount", "-l", data.toString()).inheritIO().start().waitFor();
      }
    }
    String log = Files.readString(dir.resolve("quarry.log"));
    assertEquals(-1, log.indexOf("Exception in thread"), "an uncaught exception");
  }

  /** Loops pathological regex look-ups; each must answer, whatever it answers. */
  private static void queryLoop(
      QuarryProcess quarry, AtomicBoolean done, AtomicInteger answered, List<String> failures) {
    HttpClient client = HttpClient.newHttpClient();
    String[] paths = {
      "/api/v1/query?query=" + enc("{__name__=~\"((.+)+)+x\"}"),
      "/api/v1/series?match[]=" + enc("{v=~\"((a+)+)+b\"}"),
      "/api/v1/query?query=" + enc("long_value{v=~\"((a+)+)+b\"}"),
    };
    int i = 0;
    while (!done.get()) {
      String path = paths[i++ % paths.length];
      try {
        HttpResponse<String> r =
            client.send(
                HttpRequest.newBuilder(URI.create(quarry.baseUrl() + path))
                    .timeout(Duration.ofSeconds(20))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 500) {
          synchronized (failures) {
            failures.add(path + " -> " + r.statusCode() + " " + r.body());
          }
        }
        answered.incrementAndGet();
      } catch (Exception e) {
        synchronized (failures) {
          failures.add(path + " -> " + e);
        }
      }
    }
  }

  /** An http_sd answer that never completes: one byte a second until the client goes. */
  private static void dribble(HttpExchange ex, AtomicBoolean done) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(200, 0);
    try (OutputStream out = ex.getResponseBody()) {
      out.write('[');
      out.flush();
      while (!done.get()) {
        Thread.sleep(1_000);
        out.write(' ');
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // the client gave up, as it should
    }
  }

  private static void reply(HttpExchange ex, byte[] body, String encoding) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
    if (encoding != null) {
      ex.getResponseHeaders().set("Content-Encoding", encoding);
    }
    try {
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    } catch (IOException e) {
      // the scraper gave up on the body, as it should for the bomb
    } finally {
      ex.close();
    }
  }

  /**
   * A gzip member that inflates to {@code size} zero bytes (a thousandth of it on the wire). One
   * mebibyte of zeros is deflated once and ended with a full flush, which resets the dictionary and
   * aligns to a byte: the same bytes then stand for every further mebibyte.
   */
  static byte[] gzipOfZeros(long size) throws IOException {
    byte[] zeros = new byte[1 << 20];
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    deflater.setInput(zeros);
    ByteArrayOutputStream segment = new ByteArrayOutputStream();
    byte[] buf = new byte[1 << 16];
    int n;
    do {
      n = deflater.deflate(buf, 0, buf.length, Deflater.FULL_FLUSH);
      segment.write(buf, 0, n);
    } while (n == buf.length);
    deflater.finish();
    ByteArrayOutputStream tail = new ByteArrayOutputStream();
    while (!deflater.finished()) {
      tail.write(buf, 0, deflater.deflate(buf));
    }
    deflater.end();
    long count = size / zeros.length;
    CRC32 crc = new CRC32();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});
    byte[] seg = segment.toByteArray();
    for (long i = 0; i < count; i++) {
      out.write(seg);
      crc.update(zeros);
    }
    tail.writeTo(out);
    long isize = count * zeros.length;
    for (long v : new long[] {crc.getValue(), isize}) {
      for (int b = 0; b < 4; b++) {
        out.write((int) (v >>> (8 * b)) & 0xff);
      }
    }
    return out.toByteArray();
  }

  /** Mounts a small tmpfs on {@code dir} (root only); false where that is not allowed. */
  private static boolean mountTmpfs(Path dir, String size) throws Exception {
    Process p =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString())
            .redirectErrorStream(true)
            .start();
    boolean ok = p.waitFor() == 0;
    if (!ok) {
      System.err.println(
          "HostileMixIT: no tmpfs ("
              + new String(p.getInputStream().readAllBytes(), UTF_8).trim()
              + "): the data directory does not fill up in this run");
    }
    return ok;
  }

  /** Fills the file system of {@code dir} with one file; returns it. */
  private static Path fill(Path dir) throws IOException {
    Path filler = dir.resolve("filler");
    byte[] block = new byte[1 << 16];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("No space left")) {
        throw e;
      }
    }
    return filler;
  }

  private static boolean ready(QuarryProcess quarry) {
    try {
      return quarry.get("/-/ready").statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, UTF_8);
  }
}
