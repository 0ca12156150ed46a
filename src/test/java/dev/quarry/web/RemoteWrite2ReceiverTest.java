package dev.quarry.web;

import static dev.quarry.testing.WriteRequestsV2.request;
import static dev.quarry.testing.WriteRequestsV2.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import dev.quarry.model.StaleMarker;
import dev.quarry.storage.Matcher;
import dev.quarry.storage.Metadata;
import dev.quarry.storage.WalRecord;
import dev.quarry.storage.WalSource;
import dev.quarry.storage.file.FileStorage;
import dev.quarry.storage.file.FileStorageSettings;
import dev.quarry.storage.file.Sample;
import dev.quarry.storage.file.SeriesData;
import dev.quarry.testing.WriteRequestsV2;
import io.prometheus.write.v2.Types;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote write 2.0 requests, encoded with the classes generated from the published proto, appended
 * to a real file store: what is stored (samples, and exemplars and metadata in the WAL), what the
 * answer says, and what it counts as written.
 */
class RemoteWrite2ReceiverTest {
  @TempDir Path dir;
  private FileStorage store;
  private RemoteWrite2Receiver receiver;

  @BeforeEach
  void open() throws Exception {
    store = FileStorage.open(dir, FileStorageSettings.DEFAULTS.withBlockRange(Duration.ofHours(1)));
    receiver = new RemoteWrite2Receiver(store);
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  @Test
  void floatsStaleMarkersExemplarsAndMetadataAreStored() throws Exception {
    WriteRequestsV2 r = request();
    r.add(
        r.series("__name__", "http_requests_total", "job", "api")
            .addSamples(sample(1000, 1))
            .addSamples(sample(2000, 3))
            .addSamples(sample(3000, StaleMarker.STALE_NAN))
            .addExemplars(
                Types.Exemplar.newBuilder()
                    .addAllLabelsRefs(r.refs("trace_id", "abc123"))
                    .setValue(0.25)
                    .setTimestamp(2000))
            .setMetadata(
                Types.Metadata.newBuilder()
                    .setType(Types.Metadata.MetricType.METRIC_TYPE_COUNTER)
                    .setHelpRef(r.ref("Requests served."))
                    .setUnitRef(r.ref("requests")))
            .setCreatedTimestamp(500));
    // Labels out of order and an empty value, as a careless sender may send them.
    r.add(r.series("zone", "eu", "__name__", "temp", "empty", "").addSamples(sample(1000, -2.5)));
    RemoteWrite2Receiver.Outcome out = receive(r.proto());
    assertEquals(204, out.status(), out.message());
    assertEquals(4, out.samplesWritten());
    assertEquals(1, out.exemplarsWritten());
    assertEquals(0, out.histogramsWritten());
    List<Sample> s = samples("http_requests_total");
    assertEquals(List.of(1000L, 2000L, 3000L), s.stream().map(Sample::timestampMillis).toList());
    assertEquals(3.0, s.get(1).value());
    assertTrue(s.get(2).isStale(), "the staleness marker keeps its bits");
    assertEquals(
        "{__name__=\"temp\", zone=\"eu\"}",
        select("temp").get(0).labels().toString(),
        "labels sorted, the empty one dropped");

    List<WalRecord> wal = wal();
    List<WalRecord.RefExemplar> ex = new ArrayList<>();
    List<Metadata> md = new ArrayList<>();
    for (WalRecord w : wal) {
      if (w instanceof WalRecord.Exemplars e) {
        ex.addAll(e.exemplars());
      } else if (w instanceof WalRecord.MetadataEntries m) {
        m.entries().forEach(e -> md.add(e.metadata()));
      }
    }
    assertEquals(1, ex.size(), wal.toString());
    assertEquals(2000, ex.get(0).timestamp());
    assertEquals(0.25, ex.get(0).value());
    assertEquals("{trace_id=\"abc123\"}", ex.get(0).labels().toString());
    assertEquals(List.of(new Metadata("counter", "Requests served.", "requests")), md);

    // Durable: a store reopened from the WAL alone has the samples.
    store.close();
    store = FileStorage.open(dir, FileStorageSettings.DEFAULTS);
    assertEquals(3, samples("http_requests_total").size());
  }

  @Test
  void badSymbolReferencesFailTheirSeriesOnly() {
    WriteRequestsV2 r = request();
    r.add(r.series("__name__", "good").addSamples(sample(1000, 1)));
    r.add(
        Types.TimeSeries.newBuilder()
            .addAllLabelsRefs(List.of(r.ref("__name__"), 999))
            .addSamples(sample(1000, 1)));
    r.add(
        Types.TimeSeries.newBuilder()
            .addAllLabelsRefs(List.of(1, 2, 1))
            .addSamples(sample(1000, 1))
            .addSamples(sample(2000, 1)));
    r.add(Types.TimeSeries.newBuilder().addSamples(sample(1000, 1)));
    r.add(r.series("__name__", "no_samples"));
    int size = r.symbolCount();
    RemoteWrite2Receiver.Outcome out = receive(r.proto());
    assertEquals(400, out.status());
    assertEquals(
        String.join(
            "\n",
            "parsing labels for series [1 999]: labelRefs 1 (name) = 999 (value) outside of"
                + " symbols table (size "
                + size
                + ")",
            "parsing labels for series [1 2 1]: invalid labelRefs length 3",
            "no metric name (__name__) in {}",
            "TimeSeries must contain at least one sample or histogram for series"
                + " {__name__=\"no_samples\"}"),
        out.message());
    assertEquals(1, out.samplesWritten(), "the good series is written");
    assertEquals(4, out.refused());
    assertEquals(1, samples("good").size());
  }

  @Test
  void refusedSamplesAre400WithWhatWasWritten() {
    WriteRequestsV2 r = request();
    r.add(r.series("__name__", "g").addSamples(sample(1000, 1)));
    assertEquals(204, receive(r.proto()).status());
    WriteRequestsV2 again = request();
    again.add(
        again
            .series("__name__", "g")
            .addSamples(sample(500, 1))
            .addSamples(sample(1000, 2))
            .addSamples(sample(5000, 5)));
    again.add(again.series("__name__", "h").addSamples(sample(5000, 5)));
    RemoteWrite2Receiver.Outcome out = receive(again.proto());
    assertEquals(400, out.status());
    assertEquals(
        "out of order sample for series {__name__=\"g\"}\n"
            + "duplicate sample for timestamp for series {__name__=\"g\"}",
        out.message());
    assertEquals(2, out.samplesWritten());
    assertEquals(2, out.refused());
    assertEquals(List.of(1000L, 5000L), times("g"));
    assertEquals(List.of(5000L), times("h"));
  }

  @Test
  void nativeHistogramsAre500AndNothingIsWritten() {
    WriteRequestsV2 r = request();
    r.add(r.series("__name__", "floats").addSamples(sample(1000, 1)));
    r.add(
        r.series("__name__", "latency")
            .addHistograms(
                Types.Histogram.newBuilder()
                    .setCountInt(3)
                    .setZeroCountInt(3)
                    .setSum(1.5)
                    .setSchema(0)
                    .setTimestamp(1000)));
    // A storage that keeps no native histograms: its appenders refuse them (the SPI's default).
    RemoteWrite2Receiver.Outcome out;
    try {
      out =
          new RemoteWrite2Receiver(() -> new HistogramStorage.Delegating(store.appender()))
              .append(WriteRequestV2Decoder.decodeProto(r.proto()));
    } catch (WriteRequestDecoder.DecodeException e) {
      throw new AssertionError(e);
    }
    assertEquals(500, out.status());
    assertEquals("native histograms are disabled", out.message());
    assertEquals(0, out.samplesWritten(), "rolled back: the sender retries the whole request");
    assertEquals(0, out.histogramsWritten());
    assertEquals(2, out.refused());
    assertEquals(List.of(), samples("floats"));
  }

  @Test
  void symbolsMayFollowTheSeriesAndRefsMayBeUnpacked() throws Exception {
    // Field by field, following types.proto's numbers: timeseries (5) before symbols (4), and
    // labels_refs (1) one varint per tag, which a protobuf reader must accept too.
    ByteArrayOutputStream series = new ByteArrayOutputStream();
    CodedOutputStream s = CodedOutputStream.newInstance(series);
    s.writeUInt32(1, 1);
    s.writeUInt32(1, 2);
    s.writeMessage(2, sample(7000, 7));
    s.flush();
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    CodedOutputStream q = CodedOutputStream.newInstance(req);
    q.writeByteArray(5, series.toByteArray());
    q.writeString(4, "");
    q.writeString(4, "__name__");
    q.writeString(4, "late_symbols");
    q.flush();
    RemoteWrite2Receiver.Outcome out = receive(req.toByteArray());
    assertEquals(204, out.status(), out.message());
    assertEquals(List.of(7000L), times("late_symbols"));
  }

  @Test
  void aBodyThatIsNotProtobufFailsAsAWhole() {
    WriteRequestDecoder.DecodeException e =
        assertThrows(
            WriteRequestDecoder.DecodeException.class,
            () -> WriteRequestV2Decoder.decodeProto(new byte[] {0x2a, 0x7f, 1}));
    assertEquals("proto: timeseries[0]: truncated", e.getMessage());
  }

  private RemoteWrite2Receiver.Outcome receive(byte[] raw) {
    try {
      return receiver.append(WriteRequestV2Decoder.decodeProto(raw));
    } catch (WriteRequestDecoder.DecodeException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  private List<WalRecord> wal() throws Exception {
    WalSource src = store.walSource();
    List<WalRecord> out = new ArrayList<>();
    try (WalSource.Cursor c = src.open(src.firstSegment(), 0)) {
      WalSource.Entry e;
      while ((e = c.next()) != null) {
        out.add(e.record());
      }
    }
    return out;
  }

  private List<SeriesData> select(String metric) {
    return store.querier().select(List.of(Matcher.eq("__name__", metric)), 0, Long.MAX_VALUE);
  }

  private List<Sample> samples(String metric) {
    List<SeriesData> d = select(metric);
    return d.isEmpty() ? List.of() : d.get(0).samples();
  }

  private List<Long> times(String metric) {
    return samples(metric).stream().map(Sample::timestampMillis).toList();
  }
}
