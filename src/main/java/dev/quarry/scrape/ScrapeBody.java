package dev.quarry.scrape;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The body of one scrape being read into a pooled buffer: plain chunks are copied as they come,
 * gzip chunks are queued and inflated by {@link #inflate} a bounded number of bytes at a time.
 *
 * <p>The body never grows past {@code body_size_limit} (Prometheus fails at a size of at least the
 * limit) nor past the pool's {@link BufferPool#maxBufferBytes()}; when it would, or the heap has no
 * room for a bigger buffer, the append fails and {@link #failure()} says why, naming the target's
 * URL. Owned by the scraping loop's context; not thread-safe.
 */
final class ScrapeBody implements Gunzip.Output {
  private final BufferPool pool;
  private final String url;
  private final long limit;
  private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
  private byte[] buf;
  private int len;
  private Gunzip gunzip;
  private ScrapeException failure;

  /**
   * @param limit {@code body_size_limit}, 0 for none
   */
  ScrapeBody(BufferPool pool, String url, long limit) {
    this.pool = pool;
    this.url = url;
    this.limit = limit;
  }

  /**
   * Takes the first buffer: exactly {@code declared} bytes when the length is known (a plain body's
   * Content-Length, -1 when unknown), else {@code sizeHint} (the previous body's size). False when
   * the declared length cannot be taken, so such a page fails before its first byte.
   */
  boolean open(long declared, int sizeHint) {
    if (limit > 0 && declared >= limit) {
      failure = ScrapeException.bodySizeLimit();
      return false;
    }
    if (declared > pool.maxBufferBytes()) {
      failure = tooBig();
      return false;
    }
    long initial = declared >= 0 ? declared : sizeHint;
    if (limit > 0) {
      initial = Math.min(initial, limit);
    }
    initial = Math.min(Math.max(initial, 4096), pool.maxBufferBytes());
    buf = pool.get((int) initial);
    if (buf == null) {
      failure = noRoom(initial);
      return false;
    }
    return true;
  }

  /** Whether the body is gzip: chunks are then {@link #queue}d and {@link #inflate}d. */
  void gunzip() {
    gunzip = new Gunzip(pool.inflaters());
  }

  boolean isGzip() {
    return gunzip != null;
  }

  /** Why the last append or inflate failed. */
  ScrapeException failure() {
    return failure;
  }

  /** Copies a plain chunk; false when it does not fit. */
  boolean append(Buffer chunk) {
    int n = chunk.length();
    if (limit > 0 && (long) len + n >= limit) {
      failure = ScrapeException.bodySizeLimit();
      return false;
    }
    if ((long) len + n > pool.maxBufferBytes()) {
      failure = tooBig();
      return false;
    }
    if (!ensure(len + n)) {
      return false;
    }
    chunk.getBytes(0, n, buf, len);
    len += n;
    return true;
  }

  /** Queues a gzip chunk for {@link #inflate}. */
  void queue(Buffer chunk) {
    pending.add(chunk.getByteBuf().nioBuffer());
  }

  /**
   * Inflates queued chunks until they are used up ({@link Gunzip#CONSUMED}), the body cannot grow
   * ({@link Gunzip#LIMIT}, see {@link #failure()}) or about {@code budget} bytes were written
   * ({@link Gunzip#BUDGET}: call again, the queue keeps its place).
   */
  int inflate(long budget) throws IOException {
    while (!pending.isEmpty()) {
      int status = gunzip.feed(pending.peek(), this, budget);
      if (limit > 0 && len >= limit) {
        failure = ScrapeException.bodySizeLimit();
        return Gunzip.LIMIT;
      }
      if (status != Gunzip.CONSUMED) {
        if (status == Gunzip.LIMIT && failure == null) {
          failure = limit > 0 && len >= limit ? ScrapeException.bodySizeLimit() : tooBig();
        }
        return status;
      }
      pending.poll();
    }
    return Gunzip.CONSUMED;
  }

  /** Checks that a gzip body ended at the end of a member; releases the decoder. */
  void finishGzip() throws IOException {
    try {
      gunzip.finish();
    } finally {
      releaseGunzip();
    }
  }

  /** The body, handed over to the caller (who returns the buffer to the pool). */
  ScrapeResponse response(String contentType) {
    ScrapeResponse r = new ScrapeResponse(buf, len, contentType);
    buf = null;
    return r;
  }

  /** Returns the buffer and the decoder; the body must not be used afterwards. */
  void release() {
    releaseGunzip();
    pending.clear();
    if (buf != null) {
      pool.put(buf);
      buf = null;
    }
  }

  boolean released() {
    return buf == null;
  }

  private void releaseGunzip() {
    if (gunzip != null) {
      gunzip.release();
      gunzip = null;
    }
  }

  private boolean ensure(int size) {
    byte[] bigger = pool.grow(buf, len, size);
    if (bigger == null) {
      failure = size > pool.maxBufferBytes() ? tooBig() : noRoom(size);
      return false;
    }
    buf = bigger;
    return true;
  }

  private ScrapeException tooBig() {
    return ScrapeException.bodySizeLimit(
        "Get \""
            + url
            + "\": the body does not fit in the "
            + pool.maxBufferBytes()
            + " bytes one scrape may buffer");
  }

  private ScrapeException noRoom(long size) {
    return ScrapeException.bodySizeLimit(
        "Get \"" + url + "\": no heap left for a body of " + size + " bytes");
  }

  @Override
  public byte[] buffer() {
    return buf;
  }

  @Override
  public int length() {
    return len;
  }

  @Override
  public void advance(int n) {
    len += n;
  }

  @Override
  public int room() {
    long max = limit > 0 && limit <= pool.maxBufferBytes() ? limit : pool.maxBufferBytes();
    long left = max - len;
    if (left <= 0) {
      return 0;
    }
    if (len == buf.length && !ensure(len + 1)) {
      return 0;
    }
    return (int) Math.min(buf.length - len, left);
  }
}
