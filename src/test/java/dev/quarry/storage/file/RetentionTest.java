package dev.quarry.storage.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.quarry.model.Labels;
import dev.quarry.storage.Appender;
import dev.quarry.storage.Matcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Five 10 s blocks [0, 50 s) and a head from 50 s; retention deletes whole blocks only. */
class RetentionTest {
  static final FileStorageSettings SETTINGS =
      FileStorageSettings.DEFAULTS.withBlockRange(Duration.ofSeconds(10));

  @TempDir Path dir;

  private void fiveBlocks() throws IOException {
    try (FileStorage fs = FileStorage.open(dir, SETTINGS)) {
      long ref = 0;
      for (long t = 0; t < 60_000; t += 1000) {
        Appender a = fs.appender();
        ref = a.append(ref, Labels.of("__name__", "x", "job", "j"), t, t);
        a.commit();
      }
      fs.cutIfNeeded(60_000);
      assertEquals(5, fs.blocks().size());
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "nothing old enough,               60,  60000, 0;10000;20000;30000;40000",
    "blocks ended by the cutoff go,    25,  60000, 30000;40000",
    "a block ending after cutoff stays, 25, 54999, 20000;30000;40000",
    "everything expired,               1,   120000, ''",
  })
  void byTime(String name, long retentionSeconds, long now, String remaining) throws Exception {
    fiveBlocks();
    FileStorageSettings s = SETTINGS.withRetention(Duration.ofSeconds(retentionSeconds), 0);
    try (FileStorage fs = FileStorage.open(dir, s)) {
      fs.applyRetention(now);
      assertEquals(remaining, mins(fs));
      // the head is untouched: the newest samples stay readable
      assertEquals(59_000L, last(fs));
    }
    try (FileStorage fs = FileStorage.open(dir, s)) {
      assertEquals(remaining, mins(fs), "deleted blocks stay deleted");
    }
  }

  @Test
  void bySizeDeletesOldestUntilBlocksAndWalFit() throws Exception {
    fiveBlocks();
    long newestTwo;
    try (FileStorage fs = FileStorage.open(dir, SETTINGS)) {
      List<BlockMeta> b = fs.blocks();
      newestTwo = size(dir.resolve(b.get(3).ulid())) + size(dir.resolve(b.get(4).ulid()));
      long limit = newestTwo + fs.walBytes();
      fs.close(); // settings are fixed per open: reopen with the limit
      try (FileStorage limited =
          FileStorage.open(dir, SETTINGS.withRetention(Duration.ofDays(15), limit))) {
        assertEquals(3, limited.applyRetention(60_000));
        assertEquals("30000;40000", mins(limited));
        assertEquals(0, limited.applyRetention(60_000), "fits now");
      }
    }
    try (Stream<Path> left = Files.list(dir)) {
      assertFalse(left.anyMatch(p -> p.toString().endsWith(".deleted")));
    }
  }

  private static String mins(FileStorage fs) {
    return String.join(";", fs.blocks().stream().map(m -> String.valueOf(m.minTime())).toList());
  }

  private static long last(FileStorage fs) {
    List<Sample> s =
        fs.querier().select(List.of(Matcher.eq("job", "j")), 0, 100_000).get(0).samples();
    return s.get(s.size() - 1).timestampMillis();
  }

  private static long size(Path p) throws IOException {
    try (Stream<Path> files = Files.list(p)) {
      return files.mapToLong(f -> f.toFile().length()).sum();
    }
  }
}
