package dev.quarry.remote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import org.jboss.logging.Logger;

/**
 * A remote's acknowledged position in the WAL: the end of the last record all of whose samples were
 * acknowledged by the receiver (or given up on), with every earlier record done too. Shards finish
 * batches out of order; the position only moves over a prefix of finished records, so after a crash
 * at most the batches in flight are sent again. The position is written after every change to a
 * small file kept open, as one fixed-size write at its start (a single system call, which a killed
 * process either made or did not; the file is read back by {@link #load()}).
 */
final class Progress {
  private static final Logger LOG = Logger.getLogger(Progress.class);

  /** One WAL record's samples in flight. */
  static final class Mark {
    final int segment;
    final long end;
    int pending; // guarded by Progress.this

    Mark(int segment, long end, int pending) {
      this.segment = segment;
      this.end = end;
      this.pending = pending;
    }
  }

  /** A WAL position. */
  record Position(int segment, long offset) {
    boolean before(int seg, long off) {
      return segment < seg || (segment == seg && offset < off);
    }
  }

  private final Path file;
  private final ArrayDeque<Mark> marks = new ArrayDeque<>();
  private final Object writeLock = new Object();
  private Position acked; // guarded by this
  private Position written; // guarded by writeLock
  private java.nio.channels.FileChannel channel; // guarded by writeLock

  /** The record's size: "segment offset", padded with spaces, and a newline. */
  private static final int RECORD = 40;

  Progress(Path file) {
    this.file = file;
  }

  /** The saved position, or null when there is none (a new remote) or it is unreadable. */
  Position load() {
    if (!Files.exists(file)) {
      return null;
    }
    try {
      String[] f = Files.readString(file, StandardCharsets.US_ASCII).trim().split("\\s+");
      return new Position(Integer.parseInt(f[0]), Long.parseLong(f[1]));
    } catch (IOException | RuntimeException e) {
      LOG.warnf(
          "remote write position %s is unreadable (%s); starting at the end of the WAL",
          file, e.toString());
      return null;
    }
  }

  /** Sets the starting position (after the reader found where to resume). */
  synchronized void start(Position p) {
    marks.clear();
    acked = p;
  }

  synchronized Position acked() {
    return acked;
  }

  /** Registers a record read from the WAL with {@code pending} samples handed to shards. */
  Mark open(int segment, long end, int pending) {
    Mark m = new Mark(segment, end, pending);
    boolean moved;
    synchronized (this) {
      marks.add(m);
      moved = advance();
    }
    if (moved) {
      persist();
    }
    return m;
  }

  /** Counts {@code n} samples of {@code m} as done (sent, or dropped for good). */
  void done(Mark m, int n) {
    boolean moved;
    synchronized (this) {
      m.pending -= n;
      moved = advance();
    }
    if (moved) {
      persist();
    }
  }

  /** Counts {@code n} samples of {@code m} as done (sent, or dropped for good). */
  void done(Mark[] ms, int n) {
    boolean moved;
    synchronized (this) {
      for (int i = 0; i < n; i++) {
        ms[i].pending--;
      }
      moved = advance();
    }
    if (moved) {
      persist();
    }
  }

  private boolean advance() {
    boolean moved = false;
    Mark head;
    while ((head = marks.peek()) != null && head.pending <= 0) {
      marks.poll();
      acked = new Position(head.segment, head.end);
      moved = true;
    }
    return moved;
  }

  /** Writes the acknowledged position if it changed since the last write. */
  void persist() {
    synchronized (writeLock) {
      Position p = acked();
      if (p == null || p.equals(written)) {
        return;
      }
      try {
        if (channel == null) {
          Files.createDirectories(file.getParent());
          channel =
              java.nio.channels.FileChannel.open(
                  file,
                  java.nio.file.StandardOpenOption.CREATE,
                  java.nio.file.StandardOpenOption.WRITE);
          channel.truncate(RECORD); // a shorter record of an earlier format leaves nothing behind
        }
        String text = p.segment() + " " + p.offset();
        byte[] rec = new byte[RECORD];
        java.util.Arrays.fill(rec, (byte) ' ');
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, rec, 0, t.length);
        rec[RECORD - 1] = '\n';
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(rec);
        long at = 0;
        while (b.hasRemaining()) {
          at += channel.write(b, at);
        }
        written = p;
      } catch (IOException e) {
        LOG.warnf("cannot save remote write position to %s: %s", file, e.toString());
        close();
      }
    }
  }

  /** Closes the position file (after a last {@link #persist()}). */
  void close() {
    synchronized (writeLock) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // nothing was pending: every write completed
        }
        channel = null;
      }
    }
  }
}
