package dev.quarry.storage.file;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A WAL segment file ({@code wal/00000042}) or checkpoint ({@code wal/checkpoint.00000041}) and the
 * framing of its records: {@code [u32 payload length][u32 CRC32C of payload][payload]}, all
 * big-endian. A frame is valid only when its whole payload is present and its checksum matches, so
 * a torn write or a flipped bit is detected at the first bad frame.
 *
 * @param index the segment number; for a checkpoint, the last segment it covers
 * @param path the file
 */
public record WalSegment(int index, Path path) {
  static final int HEADER_BYTES = 8;
  static final String CHECKPOINT_PREFIX = "checkpoint.";

  static String segmentName(int index) {
    return String.format("%08d", index);
  }

  static Path segmentPath(Path walDir, int index) {
    return walDir.resolve(segmentName(index));
  }

  static Path checkpointPath(Path walDir, int lastSegment) {
    return walDir.resolve(CHECKPOINT_PREFIX + segmentName(lastSegment));
  }

  /** Appends one frame holding the payload written by {@code payload} to {@code out}. */
  static void frame(ByteSink out, java.util.function.Consumer<ByteSink> payload) {
    int start = out.length();
    out.putInt(0);
    out.putInt(0);
    payload.accept(out);
    int len = out.length() - start - HEADER_BYTES;
    CRC32C crc = new CRC32C();
    crc.update(out.array(), start + HEADER_BYTES, len);
    out.putIntAt(start, len);
    out.putIntAt(start + 4, (int) crc.getValue());
  }

  /** The numbered segments in {@code walDir}, in order; other files are ignored. */
  static List<WalSegment> list(Path walDir) throws IOException {
    List<WalSegment> out = new ArrayList<>();
    if (!Files.isDirectory(walDir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(walDir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.length() == 8 && n.chars().allMatch(Character::isDigit)) {
          out.add(new WalSegment(Integer.parseInt(n), p));
        }
      }
    }
    out.sort((a, b) -> Integer.compare(a.index, b.index));
    return out;
  }

  /** The newest complete checkpoint, or null. Leftover temporary checkpoints are deleted. */
  static WalSegment latestCheckpoint(Path walDir) throws IOException {
    WalSegment best = null;
    if (!Files.isDirectory(walDir)) {
      return null;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(walDir, CHECKPOINT_PREFIX + "*")) {
      for (Path p : ds) {
        String n = p.getFileName().toString().substring(CHECKPOINT_PREFIX.length());
        if (n.endsWith(".tmp")) {
          Files.deleteIfExists(p); // a checkpoint interrupted by a crash
          continue;
        }
        try {
          int idx = Integer.parseInt(n);
          if (best == null || idx > best.index) {
            best = new WalSegment(idx, p);
          }
        } catch (NumberFormatException e) {
          // not ours
        }
      }
    }
    return best;
  }
}
