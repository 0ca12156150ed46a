package dev.quarry.web;

import dev.quarry.model.Labels;
import dev.quarry.storage.Appendable;
import dev.quarry.storage.Appender;
import dev.quarry.storage.SampleRejectedException;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Appends one remote write 2.0 request through one {@link Appender} and says how to answer it, as
 * Prometheus 3's receiver does. Float samples (staleness markers kept), exemplars and metadata go
 * to the storage; {@code created_timestamp} is read and not used (Prometheus ingests it only with a
 * feature flag). The answer carries what was written ({@link Outcome}), also on a 400:
 *
 * <ul>
 *   <li>204 when everything is committed;
 *   <li>400, after committing the rest, for series whose label references are odd or outside the
 *       symbols table, series with invalid labels or without samples, samples and native histograms
 *       the storage refuses (out of order, duplicate, out of bounds) and invalid histograms: one
 *       line per problem;
 *   <li>500, with everything rolled back and nothing counted as written, for a native histogram in
 *       a valid series when the storage keeps none ("native histograms are disabled", as Prometheus
 *       answers while they are off) and for a storage failure.
 * </ul>
 *
 * <p>Exemplars and metadata the storage refuses are logged and do not fail the request, as in
 * Prometheus. Stateless and thread-safe: each call uses its own appender.
 */
final class RemoteWrite2Receiver {
  private static final Logger LOG = Logger.getLogger(RemoteWrite2Receiver.class);

  /** The most problems listed in a 400; the rest are counted on one more line. */
  static final int MAX_LISTED_ERRORS = 10;

  static final String HISTOGRAMS_DISABLED = RemoteWriteReceiver.HISTOGRAMS_OFF;

  private final Appendable storage;

  RemoteWrite2Receiver(Appendable storage) {
    this.storage = storage;
  }

  /**
   * The answer to a request: status, text body for errors, what was written (the values of the
   * {@code X-Prometheus-Remote-Write-*-Written} headers) and how many samples and histograms were
   * skipped.
   */
  record Outcome(
      int status,
      String message,
      long samplesWritten,
      long histogramsWritten,
      long exemplarsWritten,
      long refused) {
    static Outcome failed(int status, String message, long refused) {
      return new Outcome(status, message, 0, 0, 0, refused);
    }
  }

  /** Appends and commits one decoded request. */
  Outcome append(List<WriteRequestV2Decoder.Series> req) {
    List<String> errors = new ArrayList<>();
    long samples = 0;
    long histograms = 0;
    long exemplars = 0;
    long refused = 0;
    Appender app = storage.appender();
    try {
      Labels.Builder b = Labels.builder();
      for (WriteRequestV2Decoder.Series s : req) {
        int points = s.timestamps().length + s.histograms().size();
        if (s.invalid() != null) {
          errors.add(s.invalid());
          refused += points;
          continue;
        }
        String bad = RemoteWriteReceiver.labels(s.labels(), b);
        if (bad != null) {
          errors.add(bad);
          refused += points;
          continue;
        }
        Labels labels = b.build();
        if (points == 0) {
          errors.add(
              "TimeSeries must contain at least one sample or histogram for series " + labels);
          continue;
        }
        long ref = 0;
        for (int i = 0; i < s.timestamps().length; i++) {
          try {
            ref = app.append(ref, labels, s.timestamps()[i], s.values()[i]);
            samples++;
          } catch (SampleRejectedException e) {
            errors.add(e.reason().text() + " for series " + labels);
            refused++;
          }
        }
        long[] histRefused = {0};
        histograms +=
            RemoteWriteReceiver.histograms(
                app,
                labels,
                s.histograms(),
                (kind, t) -> {
                  errors.add(kind + " for series " + labels);
                  histRefused[0]++;
                });
        refused += histRefused[0];
        for (WriteRequestDecoder.Exemplar e : s.exemplars()) {
          exemplars += RemoteWriteReceiver.exemplar(app, ref, labels, e, false);
        }
        if (s.metadata() != null) {
          try {
            app.updateMetadata(ref, labels, s.metadata());
          } catch (RuntimeException e) {
            LOG.debugf("remote write receiver: metadata of %s dropped: %s", labels, e.toString());
          }
        }
      }
    } catch (RemoteWriteReceiver.HistogramsDisabled e) {
      app.rollback();
      long all = 0;
      for (WriteRequestV2Decoder.Series t : req) {
        all += t.timestamps().length + t.histograms().size();
      }
      LOG.errorf(
          "remote write receiver: native histogram of %s: %s", e.series, HISTOGRAMS_DISABLED);
      return Outcome.failed(500, HISTOGRAMS_DISABLED, all);
    } catch (RuntimeException e) {
      app.rollback();
      LOG.errorf("remote write receiver: error appending: %s", e.toString());
      return Outcome.failed(500, "error appending remote write: " + e.getMessage(), 0);
    }
    try {
      app.commit();
    } catch (RuntimeException e) {
      LOG.errorf("remote write receiver: commit failed: %s", e.toString());
      return Outcome.failed(500, "error committing remote write: " + e.getMessage(), 0);
    }
    if (errors.isEmpty()) {
      return new Outcome(204, "", samples, histograms, exemplars, 0);
    }
    LOG.warnf(
        "remote write receiver: %d sample(s) written, %d problem(s); first: %s",
        samples, errors.size(), errors.get(0));
    return new Outcome(400, join(errors), samples, histograms, exemplars, refused);
  }

  /** One problem a line, as Go's {@code errors.Join}; at most {@link #MAX_LISTED_ERRORS}. */
  private static String join(List<String> errors) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < errors.size() && i < MAX_LISTED_ERRORS; i++) {
      sb.append(i == 0 ? "" : "\n").append(errors.get(i));
    }
    if (errors.size() > MAX_LISTED_ERRORS) {
      sb.append("\n(and ").append(errors.size() - MAX_LISTED_ERRORS).append(" more)");
    }
    return sb.toString();
  }
}
