package dev.quarry.web;

import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Histogram;
import java.util.List;

/**
 * The repository's remote write receivers (decoder and appending, not the HTTP resource) for tests
 * of other packages, over a {@link HistogramStorage}: a sender's test puts one behind its own HTTP
 * server. Thread-safe as far as one request at a time goes.
 */
public final class ReceiverBridge {
  /** What a request was answered: status, message and the written counts. */
  public record Answer(int status, String message, long samples, long histograms, long exemplars) {}

  private final HistogramStorage storage = new HistogramStorage();

  /** A snappy-compressed 2.0 {@code io.prometheus.write.v2.Request}. */
  public synchronized Answer receiveV2(byte[] body) {
    try {
      RemoteWrite2Receiver.Outcome o =
          new RemoteWrite2Receiver(storage)
              .append(WriteRequestV2Decoder.decodeProto(WriteRequestDecoder.decompress(body)));
      return new Answer(
          o.status(), o.message(), o.samplesWritten(), o.histogramsWritten(), o.exemplarsWritten());
    } catch (WriteRequestDecoder.DecodeException e) {
      return new Answer(400, e.getMessage(), 0, 0, 0);
    }
  }

  /** A snappy-compressed 1.0 {@code prometheus.WriteRequest}. */
  public synchronized Answer receiveV1(byte[] body) {
    RemoteWriteReceiver.Outcome o = new RemoteWriteReceiver(storage).receive(body);
    return new Answer(o.status(), o.message(), o.samplesWritten(), 0, 0);
  }

  /** The float samples committed, one {@code labels t v} string each. */
  public synchronized List<String> floats() {
    return List.copyOf(storage.floats);
  }

  /** The integer histograms committed (a float one is null here), in order. */
  public synchronized List<Histogram> histograms() {
    return storage.histograms.stream().map(HistogramStorage.Stored::h).toList();
  }

  /** The float histograms committed (an integer one is null here), in order. */
  public synchronized List<FloatHistogram> floatHistograms() {
    return storage.histograms.stream().map(HistogramStorage.Stored::fh).toList();
  }

  /** The labels and time of each histogram committed: {@code labels t}. */
  public synchronized List<String> histogramSeries() {
    return storage.histograms.stream().map(s -> s.labels() + " " + s.t()).toList();
  }
}
