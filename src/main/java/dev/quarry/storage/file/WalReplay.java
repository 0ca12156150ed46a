package dev.quarry.storage.file;

import dev.quarry.storage.WalRecord;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Replays a WAL directory on open: the newest checkpoint, then every later segment in order. At the
 * first bad frame the segment is truncated to its last good frame and every later segment is
 * deleted (their records cannot be trusted to follow in order), with one warning that names the
 * file, the byte offset and the number of records dropped. Opening never fails because of a damaged
 * tail.
 */
final class WalReplay {
  private static final Logger LOG = Logger.getLogger(WalReplay.class);

  /**
   * What replay did.
   *
   * @param lastSegment the highest segment index seen (or the checkpoint's), -1 for an empty WAL
   * @param records records replayed
   * @param dropped records dropped at a damaged tail
   * @param warning the warning logged, or null
   */
  record Outcome(int lastSegment, long records, long dropped, String warning) {}

  private WalReplay() {}

  static Outcome replay(Path walDir, Consumer<WalRecord> sink) throws IOException {
    Files.createDirectories(walDir);
    int last = -1;
    long records = 0;
    WalSegment cp = WalSegment.latestCheckpoint(walDir);
    if (cp != null) {
      WalReader.Result r = WalReader.read(cp.path(), sink);
      records += r.records();
      last = cp.index();
      if (!r.clean()) {
        return damaged(walDir, cp, r, List.of(), records, last);
      }
    }
    List<WalSegment> segments = WalSegment.list(walDir);
    for (int i = 0; i < segments.size(); i++) {
      WalSegment s = segments.get(i);
      if (cp != null && s.index() <= cp.index()) {
        Files.deleteIfExists(s.path()); // left over from a truncation interrupted by a crash
        continue;
      }
      WalReader.Result r = WalReader.read(s.path(), sink);
      records += r.records();
      last = s.index();
      if (!r.clean()) {
        return damaged(walDir, s, r, segments.subList(i + 1, segments.size()), records, last);
      }
    }
    return new Outcome(last, records, 0, null);
  }

  private static Outcome damaged(
      Path walDir,
      WalSegment at,
      WalReader.Result r,
      List<WalSegment> later,
      long records,
      int last)
      throws IOException {
    long dropped = r.dropped();
    for (WalSegment s : later) {
      dropped += WalReader.countFrames(s.path(), 0, Files.size(s.path()));
      Files.deleteIfExists(s.path());
      last = Math.max(last, s.index());
    }
    try (FileChannel ch = FileChannel.open(at.path(), StandardOpenOption.WRITE)) {
      ch.truncate(r.goodBytes());
      ch.force(true);
    }
    String warning =
        String.format(
            "WAL %s damaged at byte %d (%s): truncated there, %d record(s) dropped%s",
            at.path(),
            r.goodBytes(),
            r.error(),
            dropped,
            later.isEmpty() ? "" : ", " + later.size() + " later segment(s) deleted");
    LOG.warn(warning);
    return new Outcome(last, records, dropped, warning);
  }
}
