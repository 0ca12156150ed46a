package dev.quarry.scrape;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/**
 * A gzip bomb served as a stream: one gzip member of zeros (about a thousandth of its inflated
 * size) written again and again as concatenated members, with back-pressure, so a few MB on the
 * wire inflate to gigabytes without the test holding either in memory.
 */
final class GzipBomb {
  private GzipBomb() {}

  /** One gzip member inflating to {@code mebibytes} MiB of zeros, built 1 MiB at a time. */
  static byte[] member(int mebibytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] zeros = new byte[1 << 20];
    try (GZIPOutputStream z = new GZIPOutputStream(out, 1 << 16)) {
      for (int i = 0; i < mebibytes; i++) {
        z.write(zeros);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Writes {@code member} {@code count} times as a gzip-encoded page, then ends it. */
  static void serve(HttpServerResponse r, byte[] member, int count) {
    r.setChunked(true)
        .putHeader("Content-Type", "text/plain; version=0.0.4")
        .putHeader("Content-Encoding", "gzip");
    Buffer m = Buffer.buffer(member);
    int[] left = {count};
    Runnable[] pump = new Runnable[1];
    pump[0] =
        () -> {
          while (left[0] > 0 && !r.closed() && !r.writeQueueFull()) {
            r.write(m);
            left[0]--;
          }
          if (r.closed()) {
            return;
          }
          if (left[0] == 0) {
            r.end();
          } else {
            r.drainHandler(v -> pump[0].run());
          }
        };
    pump[0].run();
  }
}
