package dev.quarry.storage.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.model.Labels;
import dev.quarry.storage.Appender;
import dev.quarry.storage.WalRecord;
import dev.quarry.storage.WalSource;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalTailerTest {
  @TempDir Path dir;

  private static FileStorage agent(Path dir, long segmentBytes) throws Exception {
    return FileStorage.open(
        dir,
        FileStorageSettings.DEFAULTS
            .withAgentMode(true)
            .withWalSegmentBytes(segmentBytes)
            .withWalSync(FileStorageSettings.WalSync.EVERY_COMMIT));
  }

  private static void commit(FileStorage fs, long t, double... values) {
    Appender app = fs.appender();
    for (int i = 0; i < values.length; i++) {
      app.append(0, Labels.of("__name__", "m", "i", String.valueOf(i)), t, values[i]);
    }
    app.commit();
  }

  /** Drains the tailer: sample values in order. */
  private static List<Double> samples(WalTailer t) throws Exception {
    List<Double> out = new ArrayList<>();
    WalSource.Entry e;
    while ((e = t.next()) != null) {
      if (e.record() instanceof WalRecord.Samples s) {
        for (double v : s.values()) {
          out.add(v);
        }
      }
    }
    return out;
  }

  @Test
  void followsTheWalAcrossSegmentsAsItIsWritten() throws Exception {
    try (FileStorage fs = agent(dir, 4096);
        WalTailer t = new WalTailer(fs.walDir(), 0, 0)) {
      commit(fs, 1000, 1, 2);
      assertEquals(List.of(1.0, 2.0), samples(t));
      assertNull(t.next(), "nothing more yet");
      for (int i = 0; i < 20; i++) {
        double[] vs = new double[100];
        for (int j = 0; j < vs.length; j++) {
          vs[j] = i * 1000 + j;
        }
        commit(fs, 2000 + i, vs);
      }
      assertTrue(fs.currentWalSegment() > 1, "small segments rolled");
      List<Double> got = samples(t);
      assertEquals(2000, got.size());
      for (int k = 0; k < got.size(); k++) {
        assertEquals((k / 100) * 1000 + k % 100, got.get(k), "sample " + k + " in order");
      }
    }
  }

  @Test
  void resumesAtASavedPosition() throws Exception {
    int seg;
    long off;
    try (FileStorage fs = agent(dir, 1 << 20)) {
      commit(fs, 1000, 1);
      try (WalTailer t = new WalTailer(fs.walDir(), 0, 0)) {
        samples(t);
        seg = t.segment();
        off = t.offset();
      }
      commit(fs, 2000, 2);
    }
    try (FileStorage fs = agent(dir, 1 << 20);
        WalTailer t = new WalTailer(fs.walDir(), seg, off)) {
      commit(fs, 3000, 3);
      assertEquals(List.of(2.0, 3.0), samples(t), "only what came after the position");
    }
  }

  @Test
  void incompleteFrameWaitsAndCorruptFrameInFinishedSegmentIsSkipped() throws Exception {
    Path wal = dir.resolve("wal");
    try (FileStorage fs = agent(dir, 1 << 20)) {
      commit(fs, 1000, 1);
    }
    Path seg0 = WalSegment.segmentPath(wal, 0);
    long good = Files.size(seg0);
    // A frame announcing 100 bytes of which only 4 are there: the writer is not done yet.
    try (FileChannel ch = FileChannel.open(seg0, StandardOpenOption.APPEND)) {
      ch.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 100, 1, 2, 3, 4, 9, 9, 9, 9}));
    }
    try (WalTailer t = new WalTailer(wal, 0, 0)) {
      assertEquals(List.of(1.0), samples(t));
      assertNull(t.next());
      assertEquals(good, t.offset(), "waits at the incomplete frame");
      // A next segment appears (here a copy of the good frames): the torn frame is given up.
      byte[] frames = java.util.Arrays.copyOf(Files.readAllBytes(seg0), (int) good);
      Files.write(WalSegment.segmentPath(wal, 1), frames);
      assertEquals(List.of(1.0), samples(t));
      assertEquals(1, t.segment());
      assertEquals(1, t.skippedFrames());
    }
  }

  @Test
  void checkpointGivesTheSeriesOfTruncatedSegments() throws Exception {
    try (FileStorage fs = agent(dir, 4096)) {
      for (int i = 0; i < 30; i++) {
        double[] vs = new double[40];
        java.util.Arrays.fill(vs, i);
        commit(fs, 1000 + i, vs);
      }
      fs.truncateWalBefore(fs.currentWalSegment());
      List<WalRecord> cp = new ArrayList<>();
      int last = WalTailer.readCheckpoint(fs.walDir(), cp::add);
      assertEquals(fs.currentWalSegment() - 1, last);
      long series =
          cp.stream()
              .filter(r -> r instanceof WalRecord.Series)
              .mapToLong(r -> ((WalRecord.Series) r).series().size())
              .sum();
      assertEquals(40, series, "every series is in the checkpoint");
      assertEquals(fs.currentWalSegment(), WalTailer.firstSegment(fs.walDir()));
    }
  }
}
