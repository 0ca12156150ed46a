package dev.quarry.testing;

import com.google.protobuf.CodedOutputStream;
import io.airlift.compress.snappy.SnappyCompressor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Hand-built remote write 1.0 requests for tests, written field by field so a test can send what no
 * well-behaved sender would (duplicate or unsorted labels, native histograms, garbage), and a
 * sender that POSTs them with the standard headers.
 */
public final class WriteRequests {
  private final List<byte[]> fields = new ArrayList<>();

  public static WriteRequests request() {
    return new WriteRequests();
  }

  /** One {@code TimeSeries}, built by the returned object; call {@link Series#done()}. */
  public Series series(String... namesAndValues) {
    return new Series(this, namesAndValues);
  }

  /** A {@code MetricMetadata} entry (type as in prompb: 1 counter, 2 gauge, ...). */
  public WriteRequests metadata(int type, String family, String help, String unit) {
    fields.add(
        message(
            3,
            out -> {
              out.writeEnum(1, type);
              out.writeString(2, family);
              out.writeString(4, help);
              out.writeString(5, unit);
            }));
    return this;
  }

  /** The uncompressed protobuf bytes. */
  public byte[] proto() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    fields.forEach(out::writeBytes);
    return out.toByteArray();
  }

  /** The body as sent: snappy block format. */
  public byte[] body() {
    return snappy(proto());
  }

  public static byte[] snappy(byte[] raw) {
    SnappyCompressor c = new SnappyCompressor();
    byte[] out = new byte[c.maxCompressedLength(raw.length)];
    int n = c.compress(raw, 0, raw.length, out, 0, out.length);
    return Arrays.copyOf(out, n);
  }

  /** POSTs a body to {@code url} as Prometheus does; returns the response. */
  public static HttpResponse<String> post(String url, byte[] body) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/x-protobuf")
            .header("Content-Encoding", "snappy")
            .header("X-Prometheus-Remote-Write-Version", "0.1.0")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
  }

  /** One series under construction. */
  public static final class Series {
    private final WriteRequests parent;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    Series(WriteRequests parent, String... namesAndValues) {
      this.parent = parent;
      for (int i = 0; i < namesAndValues.length; i += 2) {
        body.writeBytes(label(1, namesAndValues[i], namesAndValues[i + 1]));
      }
    }

    public Series sample(long t, double v) {
      body.writeBytes(
          message(
              2,
              out -> {
                out.writeFixed64(1, Double.doubleToRawLongBits(v));
                out.writeInt64(2, t);
              }));
      return this;
    }

    public Series exemplar(long t, double v, String... namesAndValues) {
      body.writeBytes(
          message(
              3,
              out -> {
                for (int i = 0; i < namesAndValues.length; i += 2) {
                  out.writeRawBytes(label(1, namesAndValues[i], namesAndValues[i + 1]));
                }
                out.writeFixed64(2, Double.doubleToRawLongBits(v));
                out.writeInt64(3, t);
              }));
      return this;
    }

    /** A native histogram sample (only its count and timestamp). */
    public Series histogram(long t, long count) {
      body.writeBytes(
          message(
              4,
              out -> {
                out.writeUInt64(1, count);
                out.writeInt64(15, t);
              }));
      return this;
    }

    public WriteRequests done() {
      byte[] b = body.toByteArray();
      parent.fields.add(message(1, out -> out.writeRawBytes(b)));
      return parent;
    }
  }

  private interface Writer {
    void write(CodedOutputStream out) throws IOException;
  }

  private static byte[] label(int field, String name, String value) {
    return message(
        field,
        out -> {
          out.writeString(1, name);
          out.writeString(2, value);
        });
  }

  /** A length-delimited field {@code field} holding what {@code w} writes. */
  private static byte[] message(int field, Writer w) {
    try {
      ByteArrayOutputStream inner = new ByteArrayOutputStream();
      CodedOutputStream cos = CodedOutputStream.newInstance(inner);
      w.write(cos);
      cos.flush();
      ByteArrayOutputStream outer = new ByteArrayOutputStream();
      CodedOutputStream o = CodedOutputStream.newInstance(outer);
      o.writeByteArray(field, inner.toByteArray());
      o.flush();
      return outer.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
