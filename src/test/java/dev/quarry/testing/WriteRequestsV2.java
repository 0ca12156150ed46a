package dev.quarry.testing;

import io.prometheus.write.v2.Types;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Remote write 2.0 requests for tests, built with the classes protoc generates from the published
 * {@code io/prometheus/write/v2/types.proto} (src/test/proto), with a symbols table that starts
 * with "" as the spec requires; and a sender that POSTs them with 2.0's headers.
 */
public final class WriteRequestsV2 {
  public static final String CONTENT_TYPE =
      "application/x-protobuf;proto=io.prometheus.write.v2.Request";

  private final List<String> symbols = new ArrayList<>(List.of(""));
  private final Map<String, Integer> index = new HashMap<>(Map.of("", 0));
  private final Types.Request.Builder req = Types.Request.newBuilder();

  public static WriteRequestsV2 request() {
    return new WriteRequestsV2();
  }

  /** The index of {@code s} in the symbols table, added if new. */
  public int ref(String s) {
    return index.computeIfAbsent(
        s,
        k -> {
          symbols.add(k);
          return symbols.size() - 1;
        });
  }

  /** The references of label pairs, in the order given. */
  public List<Integer> refs(String... namesAndValues) {
    List<Integer> out = new ArrayList<>();
    for (String s : namesAndValues) {
      out.add(ref(s));
    }
    return out;
  }

  /** A series with these labels; fill it and {@link #add} it. */
  public Types.TimeSeries.Builder series(String... namesAndValues) {
    return Types.TimeSeries.newBuilder().addAllLabelsRefs(refs(namesAndValues));
  }

  public static Types.Sample sample(long t, double v) {
    return Types.Sample.newBuilder().setTimestamp(t).setValue(v).build();
  }

  public WriteRequestsV2 add(Types.TimeSeries.Builder s) {
    req.addTimeseries(s);
    return this;
  }

  public int symbolCount() {
    return symbols.size();
  }

  /** The uncompressed protobuf bytes: symbols, then the series. */
  public byte[] proto() {
    return req.clone().clearSymbols().addAllSymbols(symbols).build().toByteArray();
  }

  /** The body as sent: snappy block format. */
  public byte[] body() {
    return WriteRequests.snappy(proto());
  }

  /** POSTs a body with the given {@code Content-Type} and {@code Content-Encoding}. */
  public static HttpResponse<String> post(
      String url, byte[] body, String contentType, String encoding) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .header("X-Prometheus-Remote-Write-Version", "2.0.0")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** POSTs a 2.0 body as a 2.0 sender does. */
  public static HttpResponse<String> post(String url, byte[] body) throws Exception {
    return post(url, body, CONTENT_TYPE, "snappy");
  }
}
