package dev.quarry.storage.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.model.Labels;
import dev.quarry.storage.Appender;
import dev.quarry.storage.Matcher;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A damaged WAL tail is cut at the last good record, the store opens, and the loss is reported.
 * Each commit here writes one samples frame (the first also a series frame), so frame k holds
 * commit k-1.
 */
class WalRecoveryTest {
  private static final Labels SERIES = Labels.of("__name__", "requests_total", "job", "api");
  private static final int COMMITS = 10;

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "torn in the last frame's payload,  TRUNCATE_PAYLOAD, 10, 1",
    "torn in the last frame's header,   TRUNCATE_HEADER,  10, 1",
    "bit flip in frame 4's payload,     FLIP_PAYLOAD,     4,  7",
    "bit flip in frame 1's checksum,    FLIP_CRC,         1,  10",
    "bit flip in frame 6's length,      FLIP_LENGTH,      6,  1",
  })
  void damagedTailIsTruncatedAndCounted(String name, String damage, int frame, long dropped)
      throws Exception {
    FileStorageSettings settings = FileStorageSettings.DEFAULTS;
    try (FileStorage fs = FileStorage.open(dir, settings)) {
      for (int i = 0; i < COMMITS; i++) {
        Appender a = fs.appender();
        a.append(0, SERIES, 1000L * i, i);
        a.commit();
      }
    }
    Path segment = WalSegment.list(dir.resolve("wal")).get(0).path();
    List<Long> offsets = frameOffsets(segment);
    assertEquals(COMMITS + 1, offsets.size());
    long at = offsets.get(frame);
    try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
      switch (damage) {
        case "TRUNCATE_PAYLOAD" -> f.setLength(f.length() - 3);
        case "TRUNCATE_HEADER" -> f.setLength(at + 5);
        case "FLIP_PAYLOAD" -> flip(f, at + 12);
        case "FLIP_CRC" -> flip(f, at + 6);
        case "FLIP_LENGTH" -> flip(f, at + 1);
        default -> throw new IllegalArgumentException(damage);
      }
    }

    try (FileStorage fs = FileStorage.open(dir, settings)) {
      WalReplay.Outcome out = fs.replayOutcome();
      assertEquals(dropped, out.dropped(), out.warning());
      assertTrue(out.warning().contains(segment.toString()), out.warning());
      assertTrue(out.warning().contains("at byte " + at), out.warning());
      List<Sample> got = samples(fs);
      assertEquals(frame - 1, got.size(), "commits before the damaged frame survive");
      assertEquals(at, Files.size(segment), "segment truncated at the last good frame");
      Appender a = fs.appender();
      a.append(0, SERIES, 1_000_000, 99);
      a.commit();
    }
    try (FileStorage fs = FileStorage.open(dir, settings)) {
      assertNull(fs.replayOutcome().warning());
      List<Sample> got = samples(fs);
      assertEquals(frame, got.size());
      assertEquals(99.0, got.get(got.size() - 1).value());
    }
  }

  @org.junit.jupiter.api.Test
  void rolledBackAppenderWritesNothing() throws Exception {
    try (FileStorage fs = FileStorage.open(dir, FileStorageSettings.DEFAULTS)) {
      long before = fs.walBytes();
      Appender a = fs.appender();
      a.append(0, SERIES, 1, 1);
      a.rollback();
      assertEquals(before, fs.walBytes());
      a = fs.appender();
      a.append(0, SERIES, 1, 1);
      a.commit();
      assertTrue(fs.walBytes() > before);
    }
  }

  private static List<Sample> samples(FileStorage fs) {
    List<SeriesData> s = fs.querier().select(List.of(Matcher.eq("job", "api")), 0, Long.MAX_VALUE);
    return s.isEmpty() ? List.of() : s.get(0).samples();
  }

  private static void flip(RandomAccessFile f, long pos) throws IOException {
    f.seek(pos);
    int b = f.read();
    f.seek(pos);
    f.write(b ^ 0x10);
  }

  private static List<Long> frameOffsets(Path segment) throws IOException {
    byte[] b = Files.readAllBytes(segment);
    List<Long> out = new ArrayList<>();
    int pos = 0;
    while (pos < b.length) {
      out.add((long) pos);
      int len =
          ((b[pos] & 0xFF) << 24)
              | ((b[pos + 1] & 0xFF) << 16)
              | ((b[pos + 2] & 0xFF) << 8)
              | (b[pos + 3] & 0xFF);
      pos += 8 + len;
    }
    return out;
  }
}
