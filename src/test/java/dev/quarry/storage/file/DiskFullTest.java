package dev.quarry.storage.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.model.Labels;
import dev.quarry.storage.Appender;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk: commits fail with the kernel's message, the store says since when and why, and the
 * first commit written again clears it.
 */
class DiskFullTest {
  private static final Labels L = Labels.of("__name__", "up", "job", "a");

  @TempDir Path dir;

  @Test
  void failingCommitsAreReportedUntilAWriteSucceeds() throws Exception {
    DiskFullChannels disk = new DiskFullChannels();
    AtomicLong now = new AtomicLong(1_000_000);
    InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    try (FileStorage fs = FileStorage.open(dir, FileStorageSettings.DEFAULTS, clock, disk)) {
      commit(fs, 1000, 1);
      assertNull(fs.writeHealth().failure(), "writable");

      disk.fill(true);
      UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> commit(fs, 2000, 2));
      assertTrue(e.getMessage().contains(DiskFullChannels.ENOSPC), e.getMessage());
      WriteHealth.Failure first = fs.writeHealth().failure();
      assertNotNull(first, "a failed commit shows");
      assertTrue(first.reason().contains("No space left on device"), first.reason());
      assertTrue(first.reason().contains(dir.resolve("wal").toString()), "names the WAL file");
      now.addAndGet(5000);
      assertThrows(UncheckedIOException.class, () -> commit(fs, 3000, 3));
      WriteHealth.Failure second = fs.writeHealth().failure();
      assertEquals(first.since(), second.since(), "failing since the first failure");
      assertEquals(Instant.ofEpochMilli(1_005_000), second.last());
      assertTrue(second.describe().startsWith("appends failing since " + first.since()));

      disk.fill(false);
      commit(fs, 4000, 4);
      assertNull(fs.writeHealth().failure(), "recovers with the next written commit");
      assertEquals(2, fs.stats().walWriteFailures());
    }
  }

  private static void commit(FileStorage fs, long t, double v) {
    Appender a = fs.appender();
    a.append(0, L, t, v);
    a.commit();
  }
}
