package dev.quarry.testing;

import com.google.protobuf.CodedInputStream;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sits between the agent and a real remote write receiver: decodes every request it passes on
 * (snappy block, then {@code WriteRequest}) to record which samples arrived how often, checks the
 * protocol headers, and can answer a number of requests itself with a status (fault injection)
 * instead of forwarding them.
 */
public final class RemoteWriteProxy implements AutoCloseable {
  /** A received sample: the series (labels as {@code a="b",…} sorted) and its timestamp. */
  public record SampleKey(String series, long timestamp) {}

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient client = vertx.createHttpClient();
  private final String upstream;
  private final HttpServer server;
  private final Map<SampleKey, Integer> received = new ConcurrentHashMap<>();
  private final List<String> protocolErrors = new CopyOnWriteArrayList<>();
  private final AtomicInteger rejectNext = new AtomicInteger();
  private volatile int rejectStatus = 400;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger metadataEntries = new AtomicInteger();

  public RemoteWriteProxy(String upstream) throws Exception {
    this.upstream = upstream;
    this.server =
        vertx
            .createHttpServer()
            .requestHandler(this::handle)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/api/v1/write";
  }

  /** The next {@code n} requests are answered with {@code status} and not forwarded. */
  public void reject(int n, int status) {
    rejectStatus = status;
    rejectNext.set(n);
  }

  /** How many of the requests {@link #reject} asked for are still to be answered so. */
  public int rejectionsLeft() {
    return rejectNext.get();
  }

  /** How often each sample was forwarded and acknowledged by the receiver. */
  public Map<SampleKey, Integer> received() {
    return Map.copyOf(received);
  }

  public List<String> protocolErrors() {
    return List.copyOf(protocolErrors);
  }

  public int requests() {
    return requests.get();
  }

  public int metadataEntries() {
    return metadataEntries.get();
  }

  private void handle(HttpServerRequest req) {
    req.body()
        .onSuccess(
            body -> {
              requests.incrementAndGet();
              check(req, "Content-Encoding", "snappy");
              check(req, "Content-Type", "application/x-protobuf");
              check(req, "X-Prometheus-Remote-Write-Version", "0.1.0");
              String ua = req.getHeader("User-Agent");
              if (ua == null || !ua.startsWith("Quarry/")) {
                protocolErrors.add("User-Agent: " + ua);
              }
              List<SampleKey> samples;
              try {
                samples = decode(body.getBytes());
              } catch (IOException | RuntimeException e) {
                protocolErrors.add("undecodable request: " + e);
                req.response().setStatusCode(400).end(e.toString());
                return;
              }
              int reject = rejectNext.getAndUpdate(n -> n > 0 ? n - 1 : 0);
              if (reject > 0) {
                req.response().setStatusCode(rejectStatus).end("injected failure");
                return;
              }
              RequestOptions o =
                  new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(upstream);
              req.headers()
                  .forEach(
                      h -> {
                        if (!h.getKey().equalsIgnoreCase("Host")
                            && !h.getKey().equalsIgnoreCase("Content-Length")) {
                          o.putHeader(h.getKey(), h.getValue());
                        }
                      });
              client
                  .request(o)
                  .compose(r -> r.send(body))
                  .compose(
                      resp ->
                          resp.body()
                              .map(
                                  b -> {
                                    if (resp.statusCode() / 100 == 2) {
                                      for (SampleKey k : samples) {
                                        received.merge(k, 1, Integer::sum);
                                      }
                                    }
                                    req.response().setStatusCode(resp.statusCode()).end(b);
                                    return null;
                                  }))
                  .onFailure(e -> req.response().setStatusCode(502).end(e.toString()));
            });
  }

  private void check(HttpServerRequest req, String header, String expected) {
    if (!expected.equals(req.getHeader(header))) {
      protocolErrors.add(header + ": " + req.getHeader(header));
    }
  }

  private List<SampleKey> decode(byte[] compressed) throws IOException {
    int len = SnappyDecompressor.getUncompressedLength(compressed, 0);
    byte[] raw = new byte[len];
    new SnappyDecompressor().decompress(compressed, 0, compressed.length, raw, 0, len);
    CodedInputStream in = CodedInputStream.newInstance(raw);
    List<SampleKey> out = new ArrayList<>();
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == (1 << 3 | 2)) {
        CodedInputStream ts = CodedInputStream.newInstance(in.readByteArray());
        TreeMap<String, String> labels = new TreeMap<>();
        List<Long> times = new ArrayList<>();
        int t;
        String prev = null;
        while ((t = ts.readTag()) != 0) {
          if (t == (1 << 3 | 2)) {
            CodedInputStream l = CodedInputStream.newInstance(ts.readByteArray());
            String name = null;
            String value = "";
            int lt;
            while ((lt = l.readTag()) != 0) {
              if (lt == (1 << 3 | 2)) {
                name = l.readString();
              } else if (lt == (2 << 3 | 2)) {
                value = l.readString();
              } else {
                l.skipField(lt);
              }
            }
            if (prev != null && prev.compareTo(name) >= 0) {
              protocolErrors.add("labels not sorted: " + prev + " before " + name);
            }
            prev = name;
            labels.put(name, value);
          } else if (t == (2 << 3 | 2)) {
            CodedInputStream s = CodedInputStream.newInstance(ts.readByteArray());
            long time = 0;
            int st;
            while ((st = s.readTag()) != 0) {
              if (st == (2 << 3)) {
                time = s.readInt64();
              } else {
                s.skipField(st);
              }
            }
            times.add(time);
          } else {
            ts.skipField(t);
          }
        }
        StringBuilder key = new StringBuilder();
        labels.forEach(
            (k, v) ->
                key.append(key.length() == 0 ? "" : ",")
                    .append(k)
                    .append("=\"")
                    .append(v)
                    .append('"'));
        for (long time : times) {
          out.add(new SampleKey(key.toString(), time));
        }
      } else if (tag == (3 << 3 | 2)) {
        in.readByteArray();
        metadataEntries.incrementAndGet();
      } else {
        in.skipField(tag);
      }
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
