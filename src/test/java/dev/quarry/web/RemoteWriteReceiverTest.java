package dev.quarry.web;

import static dev.quarry.testing.WriteRequests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.model.StaleMarker;
import dev.quarry.storage.Matcher;
import dev.quarry.storage.file.FileStorage;
import dev.quarry.storage.file.FileStorageSettings;
import dev.quarry.storage.file.Sample;
import dev.quarry.storage.file.SeriesData;
import dev.quarry.testing.WriteRequests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hand-built remote write requests for each class of answer, appended to a real file store: what is
 * stored and how the request is answered.
 */
class RemoteWriteReceiverTest {
  @TempDir Path dir;
  private FileStorage store;
  private RemoteWriteReceiver receiver;

  @BeforeEach
  void open() throws Exception {
    store = FileStorage.open(dir, FileStorageSettings.DEFAULTS.withBlockRange(Duration.ofHours(1)));
    receiver = new RemoteWriteReceiver(store);
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  @Test
  void validRequestIsStoredWithStaleMarkersAndAnswered204() throws Exception {
    byte[] body =
        request()
            .series("__name__", "up", "job", "node", "instance", "a:1")
            .sample(1000, 1)
            .sample(2000, 0)
            .sample(3000, StaleMarker.STALE_NAN)
            .exemplar(2000, 0.5, "trace_id", "abc")
            .done()
            .series("job", "node", "__name__", "temp", "empty", "")
            .sample(1000, -2.5)
            .done()
            .metadata(2, "temp", "a temperature", "celsius")
            .body();
    RemoteWriteReceiver.Outcome out = receiver.receive(body);
    assertEquals(204, out.status(), out.message());
    assertEquals(4, out.samplesWritten());
    List<Sample> up = samples("up");
    assertEquals(List.of(1000L, 2000L, 3000L), up.stream().map(Sample::timestampMillis).toList());
    assertEquals(1.0, up.get(0).value());
    assertTrue(up.get(2).isStale(), "the staleness marker keeps its bits");
    List<SeriesData> temp =
        store.querier().select(List.of(Matcher.eq("__name__", "temp")), 0, Long.MAX_VALUE);
    assertEquals(
        "{__name__=\"temp\", job=\"node\"}",
        temp.get(0).labels().toString(),
        "labels sorted, the empty one dropped");
    // Durable: a store reopened from the WAL alone has the samples.
    store.close();
    store = FileStorage.open(dir, FileStorageSettings.DEFAULTS);
    assertEquals(3, samples("up").size());
  }

  @Test
  void anExactRepeatOfASeriesNewestSampleIsAccepted() {
    byte[] body =
        request()
            .series("__name__", "c")
            .sample(2000, 2)
            .done()
            .series("__name__", "d")
            .sample(2000, StaleMarker.STALE_NAN)
            .done()
            .body();
    assertEquals(204, receiver.receive(body).status());
    assertEquals(204, receiver.receive(body).status(), "a sender's retry");
    assertEquals(1, samples("c").size());
    // Older samples of a resent batch are out of order, as in Prometheus.
    byte[] two = request().series("__name__", "c").sample(1000, 1).sample(2000, 2).done().body();
    assertEquals(400, receiver.receive(two).status());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "older than the stored sample | 500  | 1 | out of order sample",
        "same timestamp, other value  | 1000 | 2 | duplicate sample for timestamp",
      })
  void refusedSamplesAreSkippedAndAnswered400(String name, long t, double v, String reason) {
    String message = reason + ": series {__name__=\"g\"}, timestamp " + t;
    assertEquals(
        204,
        receiver.receive(request().series("__name__", "g").sample(1000, 1).done().body()).status());
    RemoteWriteReceiver.Outcome out =
        receiver.receive(
            request()
                .series("__name__", "g")
                .sample(t, v)
                .sample(5000, 5)
                .done()
                .series("__name__", "h")
                .sample(5000, 5)
                .done()
                .body());
    assertEquals(400, out.status());
    assertEquals(message, out.message());
    assertEquals(List.of(1000L, 5000L), times("g"), "the good sample of the series is stored");
    assertEquals(List.of(5000L), times("h"), "the other series is stored");
  }

  @Test
  void samplesBelowTheHeadAfterABlockCutAreOutOfBounds() {
    long hour = 3_600_000;
    assertEquals(
        204,
        receiver
            .receive(
                request().series("__name__", "g").sample(0, 1).sample(2 * hour, 2).done().body())
            .status());
    assertTrue(store.cutIfNeeded(3 * hour), "a block was cut, the head starts at 1h");
    RemoteWriteReceiver.Outcome out =
        receiver.receive(
            request()
                .series("__name__", "new")
                .sample(hour / 2, 1)
                .sample(3 * hour, 3)
                .done()
                .body());
    assertEquals(400, out.status());
    assertEquals("out of bounds: series {__name__=\"new\"}, timestamp 1800000", out.message());
    assertEquals(List.of(3 * hour), times("new"));
  }

  @Test
  void manyRefusalsAreCountedInTheAnswer() {
    assertEquals(
        204,
        receiver.receive(request().series("__name__", "g").sample(9000, 1).done().body()).status());
    RemoteWriteReceiver.Outcome out =
        receiver.receive(
            request()
                .series("__name__", "g")
                .sample(1000, 1)
                .sample(2000, 1)
                .sample(9000, 7)
                .done()
                .series("__name__", "x", "a", "1", "a", "2")
                .sample(1, 1)
                .done()
                .body());
    assertEquals(400, out.status());
    assertEquals(
        "out of order sample: series {__name__=\"g\"}, timestamp 1000 (skipped: 2 out of"
            + " order sample, 1 duplicate sample for timestamp, 1 invalid labels)",
        out.message());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "empty label name    | __name__,m,,v         | invalid label name \"\"",
        "invalid label name  | __name__,m,1a,v       | invalid label name \"1a\"",
        "label name twice    | __name__,m,a,1,a,2    | label name \"a\" is not unique",
        "metric name twice   | __name__,m,__name__,n | label name \"__name__\" is not unique",
        "no metric name      | job,x                 | no metric name (__name__)",
        "empty metric name   | __name__,,job,x       | no metric name (__name__)",
        "invalid metric name | __name__,a-b          | invalid metric name \"a-b\"",
        "no labels at all    | ''                    | no metric name (__name__)",
      })
  void seriesWithInvalidLabelsAreSkippedAndAnswered400(String name, String labels, String reason) {
    String[] kv = labels.isEmpty() ? new String[0] : labels.split(",", -1);
    RemoteWriteReceiver.Outcome out =
        receiver.receive(
            request()
                .series(kv)
                .sample(1000, 1)
                .done()
                .series("__name__", "fine")
                .sample(1000, 1)
                .done()
                .body());
    assertEquals(400, out.status());
    StringBuilder sent = new StringBuilder("{");
    for (int i = 0; i < kv.length; i += 2) {
      sent.append(i == 0 ? "" : ", ").append(kv[i]).append("=\"").append(kv[i + 1]).append('"');
    }
    assertEquals(reason + " in " + sent + "}", out.message(), "names the labels as sent");
    assertEquals(List.of(1000L), times("fine"), "the valid series of the request is stored");
  }

  @Test
  void unsortedLabelsAreSorted() {
    assertEquals(
        204,
        receiver
            .receive(
                request().series("z", "1", "__name__", "m", "a", "2").sample(1, 1).done().body())
            .status());
    assertEquals(
        "{__name__=\"m\", a=\"2\", z=\"1\"}",
        store
            .querier()
            .select(List.of(Matcher.eq("__name__", "m")), 0, 10)
            .get(0)
            .labels()
            .toString());
  }

  @Test
  void nativeHistogramsToAStorageWithoutThemAre500AndNothingIsWritten() {
    // A storage that keeps no native histograms: its appenders refuse them (the SPI's default).
    RemoteWriteReceiver noHistograms =
        new RemoteWriteReceiver(() -> new HistogramStorage.Delegating(store.appender()));
    RemoteWriteReceiver.Outcome out =
        noHistograms.receive(
            request()
                .series("__name__", "f")
                .sample(1000, 1)
                .done()
                .series("__name__", "h")
                .histogram(1000, 0)
                .done()
                .body());
    assertEquals(500, out.status());
    assertEquals("native histograms are disabled", out.message());
    assertEquals(List.of(), times("f"), "rolled back: the sender retries the whole request");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "empty body               | ''                 | snappy: corrupt input",
        "not snappy               | not a snappy block | snappy: corrupt input",
      })
  void undecodableBodiesAreAnswered400(String name, String body, String message) {
    RemoteWriteReceiver.Outcome out = receiver.receive(body.getBytes(StandardCharsets.UTF_8));
    assertEquals(400, out.status());
    assertEquals(message, out.message());
  }

  @Test
  void protobufErrorsAreAnswered400() {
    // Field 1 of WriteRequest with wire type 0 (varint) instead of a message.
    assertEquals(
        "proto: wrong wireType = 0 for field WriteRequest.timeseries",
        receiver.receive(WriteRequests.snappy(new byte[] {0x08, 0x01})).message());
    // A series whose length runs past the end of the body.
    RemoteWriteReceiver.Outcome cut =
        receiver.receive(WriteRequests.snappy(new byte[] {0x0a, 0x10, 0x0a}));
    assertEquals(400, cut.status());
    assertTrue(cut.message().startsWith("proto: "), cut.message());
    // A label value that is not UTF-8.
    byte[] label = {0x0a, 0x08, 0x0a, 0x01, 'a', 0x12, 0x03, 'x', (byte) 0xff, 'y'};
    byte[] series = new byte[label.length + 2];
    series[0] = 0x0a;
    series[1] = (byte) label.length;
    System.arraycopy(label, 0, series, 2, label.length);
    assertEquals(
        "proto: timeseries[0].labels[0].value: invalid UTF-8",
        receiver.receive(WriteRequests.snappy(series)).message());
  }

  @Test
  void aBodyStatingAHugeSizeIsRefusedBeforeAllocating() {
    // Snappy's preamble: the uncompressed length as a varint (here 1 GiB), then nothing.
    byte[] body = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x04};
    RemoteWriteReceiver.Outcome out = receiver.receive(body);
    assertEquals(400, out.status());
    assertTrue(out.message().startsWith("snappy: decoded block is too large"), out.message());
  }

  private List<Sample> samples(String metric) {
    List<SeriesData> d =
        store.querier().select(List.of(Matcher.eq("__name__", metric)), 0, Long.MAX_VALUE);
    return d.isEmpty() ? List.of() : d.get(0).samples();
  }

  private List<Long> times(String metric) {
    List<Long> out = new ArrayList<>();
    for (Sample s : samples(metric)) {
      out.add(s.timestampMillis());
    }
    return out;
  }
}
