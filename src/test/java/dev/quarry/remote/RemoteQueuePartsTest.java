package dev.quarry.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import dev.quarry.model.Labels;
import dev.quarry.model.StaleMarker;
import dev.quarry.storage.Metadata;
import io.airlift.compress.snappy.SnappyDecompressor;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RemoteQueuePartsTest {
  @TempDir Path dir;

  @Test
  void positionMovesOnlyOverAPrefixOfFinishedRecordsAndIsSaved() throws Exception {
    Path file = dir.resolve("remote/x.position");
    Progress p = new Progress(file);
    assertNull(p.load(), "a new remote has no position");
    p.start(new Progress.Position(3, 100));
    Progress.Mark a = p.open(3, 200, 2);
    Progress.Mark b = p.open(3, 300, 1);
    Progress.Mark c = p.open(4, 50, 0); // a series record: nothing to send
    p.done(new Progress.Mark[] {b}, 1);
    assertEquals(new Progress.Position(3, 100), p.acked(), "b is done but a is not");
    p.done(new Progress.Mark[] {a}, 1);
    assertEquals(new Progress.Position(3, 100), p.acked());
    p.done(new Progress.Mark[] {a}, 1);
    assertEquals(new Progress.Position(4, 50), p.acked(), "a, b and c are done");
    assertEquals("4 50", Files.readString(file).trim());
    assertEquals(new Progress.Position(4, 50), new Progress(file).load());
    assertTrue(c.pending == 0);

    Progress.Mark d = p.open(5, 1234567890123L, 2);
    p.done(d, 2);
    assertEquals("5 1234567890123", Files.readString(file).trim(), "every move is written at once");
    Progress.Mark e = p.open(6, 7, 1);
    p.done(e, 1);
    assertEquals(
        "6 7",
        Files.readString(file).trim(),
        "a shorter position leaves nothing of the longer one");
    assertEquals(new Progress.Position(6, 7), new Progress(file).load());
    p.close();
  }

  @Test
  void aPositionFileOfTheEarlierFormatIsReadAndReplaced() throws Exception {
    Path file = dir.resolve("remote/y.position");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "12 34567890123456789\n");
    Progress p = new Progress(file);
    assertEquals(new Progress.Position(12, 34567890123456789L), p.load());
    p.start(new Progress.Position(12, 34567890123456789L));
    p.done(p.open(13, 5, 1), 1);
    assertEquals("13 5", Files.readString(file).trim());
    p.close();
  }

  @Test
  void unreadablePositionStartsAfresh() throws Exception {
    Path file = dir.resolve("bad.position");
    Files.writeString(file, "garbage");
    assertNull(new Progress(file).load());
  }

  @ParameterizedTest
  @CsvSource({
    "node_cpu_seconds_total, counter, node_cpu_seconds",
    "http_request_duration_seconds_bucket, histogram, http_request_duration_seconds",
    "http_request_duration_seconds_count, histogram, http_request_duration_seconds",
    "rpc_duration_seconds_sum, summary, rpc_duration_seconds",
    "build_info, gauge, build_info",
    "total, counter, total",
    "up, '', up",
  })
  void metadataIsSentPerFamily(String series, String type, String family) {
    assertEquals(family, MetadataSender.familyName(series, type));
  }

  @Test
  void aSeriesNameIsReadBackFromItsEncodedLabels() {
    byte[][] parts = {
      WriteRequestEncoder.encodeLabel("Zone", "é-1"),
      WriteRequestEncoder.encodeLabel("__name__", "node_cpu_seconds_total"),
      WriteRequestEncoder.encodeLabel("job", "x".repeat(300)), // a length over one varint byte
    };
    assertEquals("node_cpu_seconds_total", SeriesLabels.metricName(parts));
    assertEquals("x".repeat(300), WriteRequestEncoder.decodeLabel(parts[2])[1]);
    assertEquals("é-1", WriteRequestEncoder.decodeLabel(parts[0])[1]);
    assertNull(SeriesLabels.metricName(new byte[][] {parts[0]}));
  }

  @Test
  void retryAfterInSecondsOrAsADate() {
    assertEquals(3000, BackoffPolicy.retryAfterMillis("3"));
    assertEquals(-1, BackoffPolicy.retryAfterMillis(null));
    assertEquals(-1, BackoffPolicy.retryAfterMillis("soon"));
    String in5s =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.now(ZoneOffset.UTC).plus(Duration.ofSeconds(5)));
    long ms = BackoffPolicy.retryAfterMillis(in5s);
    assertTrue(ms > 2000 && ms <= 5000, "date in 5 s gave " + ms);
  }

  @Test
  void writeRequestRoundTripsThroughSnappyAndProtobuf() throws Exception {
    WriteRequestEncoder enc = new WriteRequestEncoder();
    Labels l = Labels.of("__name__", "up", "instance", "a:1", "job", "j");
    byte[] fields = WriteRequestEncoder.encodeLabels(l);
    enc.addSeries(
        fields, new long[] {1000, 2000, 0}, new double[] {1, StaleMarker.STALE_NAN, -0.5}, 0, 3);
    enc.addMetadata("http_requests", new Metadata("counter", "Requests.", "requests"));
    byte[] compressed = HttpSender.compress(enc.array(), enc.length());
    byte[] raw = new byte[SnappyDecompressor.getUncompressedLength(compressed, 0)];
    new SnappyDecompressor().decompress(compressed, 0, compressed.length, raw, 0, raw.length);
    assertArrayEquals(enc.toByteArray(), raw);

    CodedInputStream in = CodedInputStream.newInstance(raw);
    List<String> labels = new ArrayList<>();
    List<Long> ts = new ArrayList<>();
    List<Long> bits = new ArrayList<>();
    List<String> md = new ArrayList<>();
    int tag;
    while ((tag = in.readTag()) != 0) {
      CodedInputStream m = CodedInputStream.newInstance(in.readByteArray());
      if (tag >>> 3 == 1) {
        int t;
        while ((t = m.readTag()) != 0) {
          CodedInputStream f = CodedInputStream.newInstance(m.readByteArray());
          int ft;
          long time = 0;
          while ((ft = f.readTag()) != 0) {
            if (t >>> 3 == 1) {
              labels.add(f.readString());
            } else if (ft >>> 3 == 1) {
              bits.add(f.readFixed64());
            } else {
              time = f.readInt64();
            }
          }
          if (t >>> 3 == 2) {
            ts.add(time);
          }
        }
      } else {
        int t;
        while ((t = m.readTag()) != 0) {
          md.add((t >>> 3) + "=" + (t >>> 3 == 1 ? String.valueOf(m.readEnum()) : m.readString()));
        }
      }
    }
    assertEquals(List.of("__name__", "up", "instance", "a:1", "job", "j"), labels);
    assertEquals(List.of(1000L, 2000L, 0L), ts);
    assertEquals(Double.doubleToRawLongBits(1), bits.get(0));
    assertEquals(StaleMarker.STALE_NAN_BITS, bits.get(1), "the staleness marker's bits survive");
    assertEquals(Double.doubleToRawLongBits(-0.5), bits.get(2));
    assertEquals(List.of("1=1", "2=http_requests", "4=Requests.", "5=requests"), md);
  }

  /** A {@code TimeSeries} as protobuf's own writer encodes it, to compare the encoder with. */
  private static byte[] referenceSeries(
      byte[] labels, long[] ts, double[] vs, long[] ets, double[] evs, Labels[] els)
      throws Exception {
    ByteArrayOutputStream inner = new ByteArrayOutputStream();
    CodedOutputStream in = CodedOutputStream.newInstance(inner);
    in.writeRawBytes(labels);
    for (int i = 0; i < ts.length; i++) {
      ByteArrayOutputStream sample = new ByteArrayOutputStream();
      CodedOutputStream s = CodedOutputStream.newInstance(sample);
      s.writeFixed64(1, Double.doubleToRawLongBits(vs[i]));
      if (ts[i] != 0) {
        s.writeInt64(2, ts[i]);
      }
      s.flush();
      in.writeByteArray(2, sample.toByteArray());
    }
    for (int i = 0; i < ets.length; i++) {
      ByteArrayOutputStream ex = new ByteArrayOutputStream();
      CodedOutputStream e = CodedOutputStream.newInstance(ex);
      e.writeRawBytes(WriteRequestEncoder.encodeLabels(els[i]));
      e.writeFixed64(2, Double.doubleToRawLongBits(evs[i]));
      if (ets[i] != 0) {
        e.writeInt64(3, ets[i]);
      }
      e.flush();
      in.writeByteArray(3, ex.toByteArray());
    }
    in.flush();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    o.writeByteArray(1, inner.toByteArray());
    o.flush();
    return out.toByteArray();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "'millisecond timestamps', 1700000000000, 1700000002000, 0",
    "'zero, small and negative timestamps', 0, 1, -1",
    "'extreme timestamps', 9223372036854775807, -9223372036854775808, 127",
  })
  void encodedSeriesMatchProtobufsOwnEncoding(String name, long t0, long t1, long t2)
      throws Exception {
    byte[] labels =
        WriteRequestEncoder.encodeLabels(
            Labels.of("__name__", "m", "long", "v".repeat(200), "job", "j"));
    long[] ts = {t0, t1, t2};
    double[] vs = {1.5, StaleMarker.STALE_NAN, -0.0};
    long[] ets = {t1, 0};
    double[] evs = {42, Double.NaN};
    Labels[] els = {Labels.of("trace_id", "abc"), Labels.EMPTY};
    WriteRequestEncoder enc = new WriteRequestEncoder();
    enc.addSeries(labels, new long[] {5}, new double[] {5}, 0, 1); // a series before
    int before = enc.length();
    enc.addSeries(new byte[][] {labels}, labels.length, ts, vs, 0, 3, ets, evs, els, 0, 2);
    byte[] got = java.util.Arrays.copyOfRange(enc.toByteArray(), before, enc.length());
    assertArrayEquals(referenceSeries(labels, ts, vs, ets, evs, els), got);
    enc.reset();
    enc.addSeries(labels, ts, vs, 1, 2);
    assertArrayEquals(
        referenceSeries(
            labels,
            new long[] {t1, t2},
            new double[] {vs[1], vs[2]},
            new long[0],
            new double[0],
            new Labels[0]),
        enc.toByteArray());
  }
}
