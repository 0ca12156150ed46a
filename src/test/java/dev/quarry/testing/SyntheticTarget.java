package dev.quarry.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A scrape target on loopback whose page evolves with time: counters, gauges, a classic histogram
 * and a summary over several label combinations, and a series that comes and goes every 10 seconds
 * (so staleness markers are written). Values are a function of the second the page is served in, so
 * two scrapers see plausible, different-looking but related data.
 */
public final class SyntheticTarget implements AutoCloseable {
  private static final String[] METHODS = {"get", "post"};
  private static final String[] CODES = {"200", "404", "500"};
  private static final double[] BUCKETS = {0.05, 0.1, 0.25, 0.5, 1, 2.5};
  private static final double[] QUANTILES = {0.5, 0.9, 0.99};

  private final HttpServer server;
  private final long start = System.currentTimeMillis() / 1000;

  public SyntheticTarget() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext("/metrics", this::serve);
    server.start();
  }

  public String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private void serve(HttpExchange ex) throws IOException {
    byte[] body = page(System.currentTimeMillis() / 1000 - start).getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
    ex.sendResponseHeaders(200, body.length);
    ex.getResponseBody().write(body);
    ex.close();
  }

  /** The page at {@code s} seconds after start. */
  static String page(long s) {
    StringBuilder sb = new StringBuilder();
    sb.append("# HELP synth_requests_total Requests handled.\n")
        .append("# TYPE synth_requests_total counter\n");
    for (int m = 0; m < METHODS.length; m++) {
      for (int c = 0; c < CODES.length; c++) {
        long rate = (m + 1) * (3 - c) + 1;
        sb.append("synth_requests_total{method=\"")
            .append(METHODS[m])
            .append("\",code=\"")
            .append(CODES[c])
            .append("\"} ")
            .append(rate * s + c)
            .append('\n');
      }
    }
    sb.append("# HELP synth_temperature_celsius A gauge.\n")
        .append("# TYPE synth_temperature_celsius gauge\n");
    for (String room : new String[] {"lab", "office", "cellar"}) {
      double v = 20 + room.length() * Math.sin(s / 7.0) + (s % 3) * 0.125;
      sb.append("synth_temperature_celsius{room=\"")
          .append(room)
          .append("\"} ")
          .append(v)
          .append('\n');
    }
    sb.append("# HELP synth_queue_length A gauge that goes negative.\n")
        .append("# TYPE synth_queue_length gauge\nsynth_queue_length ")
        .append((s % 11) - 5)
        .append('\n');
    sb.append("# HELP synth_latency_seconds A classic histogram.\n")
        .append("# TYPE synth_latency_seconds histogram\n");
    for (String route : new String[] {"/a", "/b"}) {
      long total = 0;
      double sum = 0;
      for (int i = 0; i < BUCKETS.length; i++) {
        total += (i + 1) * s + (route.equals("/a") ? i : 2 * i);
        sum += BUCKETS[i] * ((i + 1) * s);
        sb.append("synth_latency_seconds_bucket{route=\"")
            .append(route)
            .append("\",le=\"")
            .append(BUCKETS[i])
            .append("\"} ")
            .append(total)
            .append('\n');
      }
      long inf = total + s / 2;
      sb.append("synth_latency_seconds_bucket{route=\"")
          .append(route)
          .append("\",le=\"+Inf\"} ")
          .append(inf)
          .append('\n');
      sb.append("synth_latency_seconds_sum{route=\"")
          .append(route)
          .append("\"} ")
          .append(sum)
          .append('\n');
      sb.append("synth_latency_seconds_count{route=\"")
          .append(route)
          .append("\"} ")
          .append(inf)
          .append('\n');
    }
    sb.append("# HELP synth_rpc_seconds A summary.\n# TYPE synth_rpc_seconds summary\n");
    for (String service : new String[] {"auth", "db"}) {
      for (double q : QUANTILES) {
        sb.append("synth_rpc_seconds{service=\"")
            .append(service)
            .append("\",quantile=\"")
            .append(q)
            .append("\"} ")
            .append(q * (1 + (s % 5) / 10.0))
            .append('\n');
      }
      sb.append("synth_rpc_seconds_sum{service=\"")
          .append(service)
          .append("\"} ")
          .append(0.75 * s)
          .append('\n');
      sb.append("synth_rpc_seconds_count{service=\"")
          .append(service)
          .append("\"} ")
          .append(2 * s)
          .append('\n');
    }
    if ((s / 10) % 2 == 0) {
      sb.append("# TYPE synth_flapping gauge\nsynth_flapping{phase=\"even\"} ")
          .append(s)
          .append('\n');
    }
    sb.append("synth_special{kind=\"nan\"} NaN\nsynth_special{kind=\"inf\"} +Inf\n")
        .append("synth_special{kind=\"tiny\"} 1.5e-9\n");
    return sb.toString();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
