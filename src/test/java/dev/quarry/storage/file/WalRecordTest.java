package dev.quarry.storage.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.quarry.model.Labels;
import dev.quarry.model.StaleMarker;
import dev.quarry.storage.Metadata;
import dev.quarry.storage.WalRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WalRecordTest {
  @TempDir Path dir;

  static Stream<Arguments> records() {
    return Stream.of(
        arguments(
            named(
                "series with unicode and escapes",
                (WalRecord)
                    new WalRecord.Series(
                        List.of(
                            new WalRecord.RefLabels(1, Labels.of("__name__", "up", "job", "node")),
                            new WalRecord.RefLabels(
                                300_000, Labels.of("__name__", "x", "path", "/ä\"\n\\")))))),
        arguments(
            named(
                "samples with negative deltas and special values",
                (WalRecord)
                    new WalRecord.Samples(
                        new long[] {5, 3, 1_000_000, 5},
                        new long[] {1_700_000_000_000L, 1_700_000_000_000L, 1_699_999_999_000L, -1},
                        new double[] {
                          1.5, StaleMarker.STALE_NAN, Double.NEGATIVE_INFINITY, -0.0
                        }))),
        arguments(
            named(
                "empty samples",
                (WalRecord) new WalRecord.Samples(new long[0], new long[0], new double[0]))),
        arguments(
            named(
                "metadata with empty unit",
                (WalRecord)
                    new WalRecord.MetadataEntries(
                        List.of(
                            new WalRecord.RefMetadata(
                                7, new Metadata("counter", "Requests served.", "")),
                            new WalRecord.RefMetadata(8, new Metadata("gauge", "", "bytes")))))));
  }

  private static Consumer<ByteSink> encoder(WalRecord r) {
    if (r instanceof WalRecord.Series s) {
      return out -> WalCodec.encodeSeries(out, s.series());
    } else if (r instanceof WalRecord.Samples s) {
      return out -> WalCodec.encodeSamples(out, s.refs(), s.timestamps(), s.values(), s.size());
    }
    return out -> WalCodec.encodeMetadata(out, ((WalRecord.MetadataEntries) r).entries());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("records")
  void recordSurvivesWriteAndRead(WalRecord record) throws Exception {
    Path wal = dir.resolve("wal");
    java.nio.file.Files.createDirectories(wal);
    ByteSink buf = new ByteSink(64);
    WalSegment.frame(buf, encoder(record));
    WalSegment.frame(buf, encoder(record));
    try (WalWriter w = new WalWriter(wal, 0, FileStorageSettings.DEFAULTS)) {
      w.write(buf.array(), buf.length());
    }
    List<WalRecord> read = new ArrayList<>();
    WalReader.Result r = WalReader.read(WalSegment.segmentPath(wal, 0), read::add);
    assertEquals(true, r.clean(), r.error());
    assertEquals(2, read.size());
    for (WalRecord got : read) {
      if (record instanceof WalRecord.Samples s) {
        WalRecord.Samples g = (WalRecord.Samples) got;
        assertArrayEquals(s.refs(), g.refs());
        assertArrayEquals(s.timestamps(), g.timestamps());
        for (int i = 0; i < s.size(); i++) {
          assertEquals(
              Double.doubleToRawLongBits(s.values()[i]), Double.doubleToRawLongBits(g.values()[i]));
        }
      } else {
        assertEquals(record, got);
      }
    }
  }

  @org.junit.jupiter.api.Test
  void writerStartsANewSegmentWhenTheCurrentIsFull() throws Exception {
    Path wal = dir.resolve("wal");
    java.nio.file.Files.createDirectories(wal);
    byte[] frame = new byte[3000];
    try (WalWriter w =
        new WalWriter(wal, 3, FileStorageSettings.DEFAULTS.withWalSegmentBytes(4096))) {
      assertEquals(3, w.write(frame, frame.length));
      assertEquals(4, w.write(frame, frame.length));
      assertEquals(4, w.currentSegment());
    }
    assertEquals(List.of(3, 4), WalSegment.list(wal).stream().map(WalSegment::index).toList());
  }
}
