package dev.quarry.storage.file;

import dev.quarry.storage.WalRecord;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.zip.CRC32C;

/**
 * Reads the frames of one WAL file (segment or checkpoint) in order and hands each decoded record
 * to a consumer, stopping at the first frame that is incomplete, fails its checksum or does not
 * decode. Past that point nothing is trusted: the frames that can still be delimited by their
 * length are counted as dropped, so recovery can report how much it lost.
 */
final class WalReader {
  /** A sane upper bound for one frame: larger lengths are corruption, not data. */
  static final int MAX_FRAME_BYTES = 1 << 30;

  /**
   * What reading a file found.
   *
   * @param goodBytes length of the valid prefix (where to truncate when {@code error} is set)
   * @param records records read (delivered, or skipped by type)
   * @param dropped frames at and after the first bad one (0 when the file is clean)
   * @param error why reading stopped early, or null
   */
  record Result(long goodBytes, long records, long dropped, String error) {
    boolean clean() {
      return error == null;
    }
  }

  private WalReader() {}

  static Result read(Path file, Consumer<WalRecord> sink) throws IOException {
    return read(file, type -> true, sink);
  }

  /**
   * Like {@link #read(Path, Consumer)}, but a record whose type byte fails {@code decodeType} is
   * checked (frame and checksum) and skipped without being decoded or delivered.
   */
  static Result read(Path file, IntPredicate decodeType, Consumer<WalRecord> sink)
      throws IOException {
    long fileSize = Files.size(file);
    long offset = 0;
    long records = 0;
    byte[] header = new byte[WalSegment.HEADER_BYTES];
    byte[] payload = new byte[64 * 1024];
    CRC32C crc = new CRC32C();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      while (offset < fileSize) {
        String error;
        int n = in.readNBytes(header, 0, header.length);
        if (n < header.length) {
          error = "torn frame header (" + n + " of 8 bytes)";
        } else {
          int len = readInt(header, 0);
          int expected = readInt(header, 4);
          if (len <= 0 || len > MAX_FRAME_BYTES || len > fileSize - offset - header.length) {
            error =
                len <= 0 || len > MAX_FRAME_BYTES
                    ? "invalid frame length " + len
                    : "torn frame ("
                        + len
                        + " payload bytes announced, "
                        + (fileSize - offset - header.length)
                        + " present)";
          } else {
            if (payload.length < len) {
              payload = new byte[Math.max(len, payload.length * 2)];
            }
            in.readNBytes(payload, 0, len);
            crc.reset();
            crc.update(payload, 0, len);
            if ((int) crc.getValue() != expected) {
              error = "checksum mismatch";
            } else if (!decodeType.test(payload[0])) {
              records++;
              offset += header.length + len;
              continue;
            } else {
              WalRecord rec = null;
              try {
                rec = WalCodec.decode(payload, 0, len);
                error = null;
              } catch (CorruptDataException e) {
                error = "undecodable record: " + e.getMessage();
              }
              if (rec != null) {
                sink.accept(rec);
                records++;
                offset += header.length + len;
                continue;
              }
            }
          }
        }
        return new Result(offset, records, countFrames(file, offset, fileSize), error);
      }
    }
    return new Result(offset, records, 0, null);
  }

  /** Counts frames from {@code offset} on by their length fields alone (at least one). */
  static long countFrames(Path file, long offset, long fileSize) throws IOException {
    long count = 0;
    byte[] header = new byte[WalSegment.HEADER_BYTES];
    try (var ch = java.nio.channels.FileChannel.open(file)) {
      long pos = offset;
      while (pos < fileSize) {
        count++;
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(header);
        while (bb.hasRemaining() && ch.read(bb, pos + bb.position()) > 0) {
          // keep reading
        }
        if (bb.hasRemaining()) {
          break;
        }
        int len = readInt(header, 0);
        if (len <= 0 || len > MAX_FRAME_BYTES) {
          break;
        }
        pos += WalSegment.HEADER_BYTES + (long) len;
      }
    }
    return Math.max(1, count);
  }

  private static int readInt(byte[] b, int off) {
    return ((b[off] & 0xFF) << 24)
        | ((b[off + 1] & 0xFF) << 16)
        | ((b[off + 2] & 0xFF) << 8)
        | (b[off + 3] & 0xFF);
  }
}
