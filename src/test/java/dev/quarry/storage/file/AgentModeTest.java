package dev.quarry.storage.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.model.Labels;
import dev.quarry.storage.Appender;
import dev.quarry.storage.SampleRejectedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Agent mode keeps only the WAL, until remote write says how far it may be truncated. */
class AgentModeTest {
  static final FileStorageSettings AGENT =
      FileStorageSettings.DEFAULTS
          .withAgentMode(true)
          .withBlockRange(Duration.ofSeconds(1))
          .withWalSegmentBytes(4096);
  static final Labels L = Labels.of("__name__", "x", "job", "j");

  @TempDir Path dir;

  @Test
  void walOnlyNoReadsNoBlocksTruncatedOnRequest() throws Exception {
    long ref;
    try (FileStorage fs = FileStorage.open(dir, AGENT)) {
      UnsupportedOperationException e =
          assertThrows(UnsupportedOperationException.class, fs::querier);
      assertTrue(e.getMessage().contains("not available in agent mode"));
      ref = 0;
      for (long t = 0; t < 2000; t++) {
        Appender a = fs.appender();
        ref = a.append(ref, L, t * 1000, t);
        a.commit();
      }
      Appender a = fs.appender();
      assertThrows(
          SampleRejectedException.class,
          () -> a.append(0, L, 5, 1),
          "out of order is still refused");
      a.rollback();
      assertFalse(fs.cutIfNeeded(10_000_000));
      int segments = WalSegment.list(fs.walDir()).size();
      assertTrue(segments > 3, "small segments roll: " + segments);
      assertEquals(segments, WalSegment.list(fs.walDir()).size(), "nothing truncated by itself");
      int current = fs.currentWalSegment();
      fs.truncateWalBefore(current - 1);
      List<WalSegment> left = WalSegment.list(fs.walDir());
      assertEquals(List.of(current - 1, current), left.stream().map(WalSegment::index).toList());
    }
    try (var files = Files.list(dir)) {
      assertEquals(
          List.of("wal"),
          files.map(p -> p.getFileName().toString()).toList(),
          "no block directories");
    }
    try (FileStorage fs = FileStorage.open(dir, AGENT)) {
      Appender a = fs.appender();
      SampleRejectedException e =
          assertThrows(
              SampleRejectedException.class,
              () -> a.append(0, L, 1_999_000, 0),
              "the last sample was replayed from kept segments");
      assertEquals(SampleRejectedException.Reason.DUPLICATE, e.reason());
      assertEquals(ref, a.append(0, L, 3_000_000, 1), "ref survives truncation and restart");
      a.commit();
    }
  }
}
