package dev.quarry.remote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import org.jboss.logging.Logger;

/**
 * A remote's acknowledged position in the WAL: the end of the last record all of whose samples
 * were acknowledged by the receiver (or given up on), with every earlier record done too. Shards
 * finish batches out of order; the position only moves over a prefix of finished records, so after
 * a crash at most the batches in flight are sent again. The position is written to a small file
 * (replaced atomically) at most once a second while it moves, and on {@link #persist()}; after a
 * crash the samples of that last second are sent again.
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
  private volatile long lastWriteNanos = System.nanoTime() - WRITE_EVERY_NANOS;
  private static final long WRITE_EVERY_NANOS = 1_000_000_000L;

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
      LOG.warnf("remote write position %s is unreadable (%s); starting at the end of the WAL",
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
      persistIfDue();
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
      persistIfDue();
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
      persistIfDue();
    }
  }

  /** Writes the position when it changed and the last write is a second old. */
  void persistIfDue() {
    if (System.nanoTime() - lastWriteNanos >= WRITE_EVERY_NANOS) {
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
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, p.segment() + " " + p.offset() + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        written = p;
        lastWriteNanos = System.nanoTime();
      } catch (IOException e) {
        LOG.warnf("cannot save remote write position to %s: %s", file, e.toString());
      }
    }
  }
}
