package dev.quarry.storage.file;

import dev.quarry.storage.WalRecord;
import dev.quarry.storage.WalSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;
import org.jboss.logging.Logger;

/**
 * Follows the WAL while it is written, record by record, from a position ({@code segment, offset})
 * that callers persist to resume after a restart. A frame is returned only once it is complete and
 * its checksum matches; an incomplete frame at the end of the segment being written is simply not
 * there yet. When a segment ends (a newer one exists and no more complete frames follow) the tailer
 * moves to the next segment; a corrupt frame or torn tail in a finished segment is skipped with a
 * warning naming the segment and byte offset.
 *
 * <p>Not thread-safe: one reader thread per tailer.
 */
public final class WalTailer implements WalSource.Cursor {
  private static final Logger LOG = Logger.getLogger(WalTailer.class);

  private final Path walDir;
  private final CRC32C crc = new CRC32C();
  private final ByteBuffer header = ByteBuffer.allocate(WalSegment.HEADER_BYTES);
  private ByteBuffer payload = ByteBuffer.allocate(64 * 1024);
  private FileChannel channel;
  private int segment;
  private long offset;
  private long skippedFrames;

  public WalTailer(Path walDir, int segment, long offset) {
    this.walDir = walDir;
    this.segment = segment;
    this.offset = offset;
  }

  @Override
  public int segment() {
    return segment;
  }

  @Override
  public long offset() {
    return offset;
  }

  /** Frames given up on because they were corrupt or torn in a finished segment. */
  public long skippedFrames() {
    return skippedFrames;
  }

  /**
   * The next complete record, or null when none is available yet. Never blocks on the writer.
   *
   * @throws IOException when a segment cannot be read
   */
  @Override
  public WalSource.Entry next() throws IOException {
    while (true) {
      if (channel == null && !open()) {
        return null;
      }
      long size = channel.size();
      String problem = null;
      if (size < offset) {
        problem = "segment shorter than the position (truncated by recovery)";
      } else if (size - offset >= WalSegment.HEADER_BYTES) {
        header.clear();
        readFully(header, offset);
        int len = header.getInt(0);
        int expected = header.getInt(4);
        if (len <= 0 || len > WalReader.MAX_FRAME_BYTES) {
          problem = "invalid frame length " + len;
        } else if (size - offset - WalSegment.HEADER_BYTES >= len) {
          if (payload.capacity() < len) {
            payload = ByteBuffer.allocate(Math.max(len, payload.capacity() * 2));
          }
          payload.clear().limit(len);
          readFully(payload, offset + WalSegment.HEADER_BYTES);
          crc.reset();
          crc.update(payload.array(), 0, len);
          if ((int) crc.getValue() != expected) {
            problem = "checksum mismatch";
          } else {
            try {
              WalRecord rec = WalCodec.decode(payload.array(), 0, len);
              offset += WalSegment.HEADER_BYTES + len;
              return new WalSource.Entry(rec, segment, offset);
            } catch (CorruptDataException e) {
              problem = "undecodable record: " + e.getMessage();
            }
          }
        }
      }
      // No complete good frame at the position: wait, unless the writer has moved on.
      int next = nextSegmentAfter(segment);
      if (next < 0) {
        if (problem != null) {
          LOG.debugf(
              "WAL segment %s at byte %d: %s; waiting for the next segment",
              WalSegment.segmentPath(walDir, segment), offset, problem);
        }
        return null;
      }
      if (problem != null || channel.size() != offset) {
        // Re-check the size: the frame may have been completed just before the segment rolled.
        if (problem == null && channel.size() > offset && channel.size() != size) {
          continue;
        }
        skippedFrames++;
        LOG.warnf(
            "WAL segment %s: skipping from byte %d to the next segment (%s)",
            WalSegment.segmentPath(walDir, segment),
            offset,
            problem != null ? problem : "torn frame at the end of a finished segment");
      }
      moveTo(next);
    }
  }

  /**
   * Moves to {@code offset} of {@code segment}, a frame boundary the caller knows of (a reader fed
   * the frames in memory); the segment stays open when it does not change.
   */
  void seek(int segment, long offset) throws IOException {
    if (segment != this.segment) {
      closeChannel();
      this.segment = segment;
    }
    this.offset = offset;
  }

  private boolean open() throws IOException {
    Path p = WalSegment.segmentPath(walDir, segment);
    try {
      channel = FileChannel.open(p, StandardOpenOption.READ);
      return true;
    } catch (NoSuchFileException e) {
      int next = nextSegmentAfter(segment);
      if (next < 0) {
        return false;
      }
      LOG.warnf("WAL segment %s is gone; continuing at segment %d", p, next);
      segment = next;
      offset = 0;
      return open();
    }
  }

  private void moveTo(int next) throws IOException {
    closeChannel();
    segment = next;
    offset = 0;
  }

  /** The smallest segment number above {@code seg} present on disk, or -1. */
  private int nextSegmentAfter(int seg) throws IOException {
    if (Files.exists(WalSegment.segmentPath(walDir, seg + 1))) {
      return seg + 1;
    }
    List<WalSegment> all = WalSegment.list(walDir);
    for (WalSegment s : all) {
      if (s.index() > seg) {
        return s.index();
      }
    }
    return -1;
  }

  private void readFully(ByteBuffer bb, long pos) throws IOException {
    long p = pos;
    while (bb.hasRemaining()) {
      int n = channel.read(bb, p);
      if (n < 0) {
        throw new IOException("unexpected end of " + WalSegment.segmentPath(walDir, segment));
      }
      p += n;
    }
  }

  private void closeChannel() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }

  @Override
  public void close() throws IOException {
    closeChannel();
  }

  /** The first segment on disk (or -1) and the checkpoint, for readers that start from scratch. */
  public static int firstSegment(Path walDir) throws IOException {
    List<WalSegment> all = WalSegment.list(walDir);
    return all.isEmpty() ? -1 : all.get(0).index();
  }

  /**
   * Reads the newest finished checkpoint's records (series and metadata are what readers need) and
   * returns the last segment it covers, or -1 when there is none. Leaves temporary files of a
   * checkpoint being written alone.
   */
  public static int readCheckpoint(Path walDir, java.util.function.Consumer<WalRecord> sink)
      throws IOException {
    for (int attempt = 0; ; attempt++) {
      int best = -1;
      if (Files.isDirectory(walDir)) {
        try (var ds = Files.newDirectoryStream(walDir, WalSegment.CHECKPOINT_PREFIX + "*")) {
          for (Path p : ds) {
            String n = p.getFileName().toString().substring(WalSegment.CHECKPOINT_PREFIX.length());
            if (n.length() == 8 && n.chars().allMatch(Character::isDigit)) {
              best = Math.max(best, Integer.parseInt(n));
            }
          }
        }
      }
      if (best < 0) {
        return -1;
      }
      try {
        WalReader.read(WalSegment.checkpointPath(walDir, best), sink);
        return best;
      } catch (NoSuchFileException e) {
        if (attempt >= 3) {
          throw e; // replaced by a newer checkpoint while being read, repeatedly
        }
      }
    }
  }
}
