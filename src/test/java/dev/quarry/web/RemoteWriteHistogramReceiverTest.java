package dev.quarry.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.model.CounterResetHint;
import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Histogram;
import dev.quarry.testing.WriteRequests;
import dev.quarry.testing.WriteRequestsV2;
import io.prometheus.write.v2.Types;
import org.junit.jupiter.api.Test;
import prometheus.prompb.Remote;

/**
 * Native histograms into the receivers, encoded with the classes generated from Prometheus'
 * published 1.0 and 2.0 protos: decoded field by field into the storage's histograms, refused ones
 * answered as Prometheus answers them (400 for out of order or invalid, the rest kept).
 */
class RemoteWriteHistogramReceiverTest {
  private final HistogramStorage storage = new HistogramStorage();

  static Remote.Histogram.Builder integer1(long t) {
    return Remote.Histogram.newBuilder()
        .setCountInt(14)
        .setZeroCountInt(2)
        .setZeroThreshold(0.001)
        .setSum(17.5)
        .setSchema(1)
        .addPositiveSpans(Remote.BucketSpan.newBuilder().setOffset(-1).setLength(2))
        .addPositiveSpans(Remote.BucketSpan.newBuilder().setOffset(3).setLength(1))
        .addAllPositiveDeltas(java.util.List.of(3L, -1L, 2L))
        .addNegativeSpans(Remote.BucketSpan.newBuilder().setOffset(0).setLength(1))
        .addNegativeDeltas(3)
        .setResetHint(Remote.Histogram.ResetHint.NO)
        .setTimestamp(t);
  }

  static Histogram expectedInteger() {
    Histogram h =
        new Histogram().set(1, 0.001, 2, 14, 17.5).hint(CounterResetHint.NOT_COUNTER_RESET);
    h.positiveSpans().add(-1, 2).add(3, 1);
    h.addPositiveDelta(3).addPositiveDelta(-1).addPositiveDelta(2);
    h.negativeSpans().add(0, 1);
    h.addNegativeDelta(3);
    return h;
  }

  private static byte[] body1(Remote.TimeSeries... ts) {
    Remote.WriteRequest.Builder b = Remote.WriteRequest.newBuilder();
    for (Remote.TimeSeries t : ts) {
      b.addTimeseries(t);
    }
    return WriteRequests.snappy(b.build().toByteArray());
  }

  private static Remote.TimeSeries.Builder series1(String name) {
    return Remote.TimeSeries.newBuilder()
        .addLabels(Remote.Label.newBuilder().setName("__name__").setValue(name));
  }

  @Test
  void remoteWrite1IntegerAndFloatHistogramsAreAppendedFieldByField() {
    Remote.Histogram floats =
        Remote.Histogram.newBuilder()
            .setCountFloat(4.5)
            .setZeroCountFloat(0.5)
            .setSum(-2.25)
            .addPositiveSpans(Remote.BucketSpan.newBuilder().setOffset(2).setLength(2))
            .addAllPositiveCounts(java.util.List.of(1.5, 2.5))
            .setResetHint(Remote.Histogram.ResetHint.GAUGE)
            .setTimestamp(2000)
            .build();
    RemoteWriteReceiver.Outcome out =
        new RemoteWriteReceiver(storage)
            .receive(
                body1(
                    series1("latency").addHistograms(integer1(1000)).addHistograms(floats).build(),
                    series1("up")
                        .addSamples(Remote.Sample.newBuilder().setTimestamp(1000).setValue(1))
                        .build()));
    assertEquals(204, out.status(), out.message());
    assertEquals(3, out.samplesWritten(), "histograms count as written samples");
    assertEquals(2, storage.histograms.size());
    HistogramStorage.Stored h = storage.histograms.get(0);
    assertEquals("{__name__=\"latency\"}", h.labels().toString());
    assertEquals(1000, h.t());
    assertEquals(expectedInteger(), h.h());
    assertNull(h.fh());
    HistogramStorage.Stored f = storage.histograms.get(1);
    FloatHistogram want = new FloatHistogram().set(0, 0, 0.5, 4.5, -2.25);
    want.hint(CounterResetHint.GAUGE).positiveSpans().add(2, 2);
    want.addPositiveCount(1.5).addPositiveCount(2.5);
    assertEquals(want, f.fh());
    assertEquals(2000, f.t());
    assertEquals(1, storage.floats.size());
  }

  @Test
  void remoteWrite1RefusedAndInvalidHistogramsAre400AndTheRestIsKept() {
    storage.outOfOrderUpTo = 1000;
    Remote.Histogram invalid = integer1(3000).setCountInt(99).build();
    RemoteWriteReceiver.Outcome out =
        new RemoteWriteReceiver(storage)
            .receive(
                body1(
                    series1("latency")
                        .addHistograms(integer1(1000))
                        .addHistograms(integer1(2000))
                        .addHistograms(invalid)
                        .build()));
    assertEquals(400, out.status());
    assertTrue(
        out.message()
            .startsWith("out of order sample: series {__name__=\"latency\"}, timestamp 1000"),
        out.message());
    assertTrue(out.message().contains("observations found in buckets"), out.message());
    assertEquals(1, out.samplesWritten());
    assertEquals(2, out.samplesRefused());
    assertEquals(1, storage.histograms.size());
    assertEquals(2000, storage.histograms.get(0).t());
  }

  @Test
  void remoteWrite2HistogramsAreAppendedAndCountedInTheWrittenHeaders() throws Exception {
    WriteRequestsV2 r = WriteRequestsV2.request();
    r.add(
        r.series("__name__", "latency", "job", "api")
            .addHistograms(Types.Histogram.parseFrom(integer1(1000).build().toByteArray()))
            .addSamples(WriteRequestsV2.sample(1000, 5)));
    RemoteWrite2Receiver.Outcome out =
        new RemoteWrite2Receiver(storage).append(WriteRequestV2Decoder.decodeProto(r.proto()));
    assertEquals(204, out.status(), out.message());
    assertEquals(1, out.samplesWritten());
    assertEquals(1, out.histogramsWritten());
    assertEquals(expectedInteger(), storage.histograms.get(0).h());
    assertEquals(
        "{__name__=\"latency\", job=\"api\"}", storage.histograms.get(0).labels().toString());
  }

  @Test
  void remoteWrite2OutOfOrderHistogramIs400WithTheWrittenCounts() throws Exception {
    storage.outOfOrderUpTo = 1000;
    WriteRequestsV2 r = WriteRequestsV2.request();
    r.add(
        r.series("__name__", "latency")
            .addHistograms(Types.Histogram.parseFrom(integer1(1000).build().toByteArray()))
            .addHistograms(Types.Histogram.parseFrom(integer1(2000).build().toByteArray())));
    RemoteWrite2Receiver.Outcome out =
        new RemoteWrite2Receiver(storage).append(WriteRequestV2Decoder.decodeProto(r.proto()));
    assertEquals(400, out.status());
    assertEquals("out of order sample for series {__name__=\"latency\"}", out.message());
    assertEquals(1, out.histogramsWritten());
    assertEquals(1, out.refused());
  }
}
