package dev.quarry.storage.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.model.Labels;
import dev.quarry.storage.Appender;
import dev.quarry.storage.Metadata;
import dev.quarry.storage.WalRecord;
import dev.quarry.storage.WalSource;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The WAL cursor remote write reads with: records from memory when it keeps up, else the file. */
class FedCursorTest {
  @TempDir Path dir;

  private static FileStorage agent(Path dir, long segmentBytes) throws Exception {
    return FileStorage.open(
        dir,
        FileStorageSettings.DEFAULTS
            .withAgentMode(true)
            .withWalSegmentBytes(segmentBytes)
            .withWalSync(FileStorageSettings.WalSync.EVERY_COMMIT));
  }

  private static void commit(FileStorage fs, long t, int series) {
    Appender app = fs.appender();
    for (int i = 0; i < series; i++) {
      Labels l = Labels.of("__name__", "m", "i", String.valueOf(i));
      app.append(0, l, t, t + i);
      if (t == 1000) {
        app.updateMetadata(0, l, new Metadata("gauge", "help", ""));
      }
    }
    app.commit();
  }

  /** Every entry until the cursor has nothing more, as text: position and record. */
  private static List<String> drain(WalSource.Cursor c) throws Exception {
    List<String> out = new ArrayList<>();
    WalSource.Entry e;
    while ((e = c.next()) != null) {
      out.add(e.segment() + ":" + e.endOffset() + " " + describe(e.record()));
    }
    return out;
  }

  private static String describe(WalRecord r) {
    if (r instanceof WalRecord.Samples s) {
      return "samples "
          + Arrays.toString(s.refs())
          + Arrays.toString(s.timestamps())
          + Arrays.toString(s.values());
    }
    return r.toString();
  }

  private static FedCursor open(FileStorage fs) {
    return (FedCursor) fs.walSource().open(0, 0);
  }

  @Test
  void aReaderThatKeepsUpGetsTheFileRecordsFromMemory() throws Exception {
    try (FileStorage fs = agent(dir, 1 << 20);
        FedCursor fed = open(fs)) {
      List<String> got = new ArrayList<>();
      for (int t = 1000; t <= 5000; t += 1000) {
        commit(fs, t, 3);
        got.addAll(drain(fed));
      }
      try (WalTailer file = new WalTailer(fs.walDir(), 0, 0)) {
        assertEquals(drain(file), got);
      }
      assertEquals(0, fed.fromFile());
      assertEquals(7, fed.fromMemory()); // series, samples, metadata, then 4 x samples
      assertEquals(fed.segment() + ":" + fed.offset(), got.get(got.size() - 1).split(" ")[0]);
    }
  }

  @Test
  void aReaderFarBehindReadsTheFileThenMemoryAgain() throws Exception {
    int commits = WalFeed.MAX_RECORDS + 100;
    try (FileStorage fs = agent(dir, 1 << 20);
        FedCursor fed = open(fs)) {
      for (int i = 0; i < commits; i++) {
        commit(fs, 1000 + i, 1);
      }
      List<String> got = drain(fed);
      for (int i = 0; i < 10; i++) {
        commit(fs, 1_000_000 + i, 1);
        got.addAll(drain(fed));
      }
      try (WalTailer file = new WalTailer(fs.walDir(), 0, 0)) {
        assertEquals(drain(file), got);
      }
      assertTrue(fed.fromFile() >= 100, "records the feed did not keep: " + fed.fromFile());
      assertTrue(fed.fromMemory() >= WalFeed.MAX_RECORDS, "from memory: " + fed.fromMemory());
    }
  }

  @Test
  void segmentRollsAndAReaderStartingLateLoseNothing() throws Exception {
    try (FileStorage fs = agent(dir, 4096)) {
      commit(fs, 1000, 20);
      try (FedCursor fed = open(fs)) {
        List<String> got = new ArrayList<>();
        for (int t = 2000; t <= 100_000; t += 1000) {
          commit(fs, t, 40);
          got.addAll(drain(fed));
        }
        assertTrue(fs.currentWalSegment() > 3, "segments rolled: " + fs.currentWalSegment());
        try (WalTailer file = new WalTailer(fs.walDir(), 0, 0)) {
          assertEquals(drain(file), got);
        }
        assertTrue(fed.fromMemory() > fed.fromFile(), fed.fromMemory() + " " + fed.fromFile());
      }
    }
  }

  @Test
  void aClosedCursorNoLongerCollectsRecords() throws Exception {
    try (FileStorage fs = agent(dir, 1 << 20)) {
      FedCursor fed = open(fs);
      assertTrue(fs.walFeed().hasSubscribers());
      fed.close();
      assertTrue(!fs.walFeed().hasSubscribers());
      commit(fs, 1000, 2);
      try (WalTailer file = new WalTailer(fs.walDir(), 0, 0)) {
        assertEquals(3, drain(file).size());
        assertNull(file.next());
      }
    }
  }

  @Test
  void aDrainedReaderDoesNotLookAtTheFileUntilTheWriterWritesAgain() throws Exception {
    try (FileStorage fs = agent(dir, 1 << 20);
        FedCursor fed = open(fs)) {
      commit(fs, 1000, 2);
      assertEquals(3, drain(fed).size());
      // A frame the writer did not write (nothing does this but the test): a reader of the file
      // sees it, the drained cursor does not even look.
      ByteSink extra = new ByteSink(64);
      WalSegment.frame(
          extra,
          out -> WalCodec.encodeSamples(out, new long[] {1}, new long[] {9}, new double[] {9}, 1));
      try (FileChannel ch =
          FileChannel.open(WalSegment.segmentPath(fs.walDir(), 0), StandardOpenOption.APPEND)) {
        ch.write(ByteBuffer.wrap(extra.array(), 0, extra.length()));
      }
      assertNull(fed.next());
      try (WalTailer file = new WalTailer(fs.walDir(), fed.segment(), fed.offset())) {
        assertEquals(1, drain(file).size());
      }
    }
  }

  @Test
  void aReaderFollowsTheWriterIntoTheSegmentATruncationStarted() throws Exception {
    try (FileStorage fs = agent(dir, 1 << 20);
        FedCursor fed = open(fs)) {
      commit(fs, 1000, 2);
      assertEquals(3, drain(fed).size());
      fs.truncateWalBefore(fs.currentWalSegment() + 1); // rolls: the next write is in segment 1
      assertNull(fed.next());
      commit(fs, 2000, 2);
      commit(fs, 3000, 2);
      List<String> got = drain(fed);
      assertEquals(2, got.size());
      assertTrue(got.get(0).startsWith("1:"), got.get(0));
      assertTrue(got.get(1).contains("[3000, 3000]"), got.get(1));
    }
  }
}
