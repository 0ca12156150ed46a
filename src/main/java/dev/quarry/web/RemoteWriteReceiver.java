package dev.quarry.web;

import dev.quarry.model.InvalidHistogramException;
import dev.quarry.model.Labels;
import dev.quarry.model.NameSyntax;
import dev.quarry.storage.Appendable;
import dev.quarry.storage.Appender;
import dev.quarry.storage.Exemplar;
import dev.quarry.storage.SampleRejectedException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Appends one remote write 1.0 request to the storage through one {@link Appender} and says how to
 * answer it, as Prometheus' receiver does: 204 once the batch is committed (with the file store:
 * written to the WAL, fsynced per {@code quarry.storage.wal.sync}, and visible to reads); 400 for a
 * body that does not decode, for series with invalid labels, and for samples the storage refuses
 * (out of order, duplicate timestamp with another value, out of bounds) and for invalid native
 * histograms; 500 when the commit fails, so the sender retries, and, with everything rolled back,
 * for a native histogram when the storage keeps none ("native histograms are disabled", as
 * Prometheus answers with them off).
 *
 * <p>A 400 never discards the good part of a request: what the storage accepts is committed and
 * only the faulty series or samples are skipped, each class counted and logged once per request.
 * (Prometheus 2.42 rolls the whole request back on the first refused sample; as the sender drops a
 * batch answered 400, that loses the batch's good samples too.) An exact repeat of a series' newest
 * sample (same time, same value bits) is accepted silently, as Prometheus accepts it.
 *
 * <p>Stateless and thread-safe: each call uses its own appender.
 */
final class RemoteWriteReceiver {
  private static final Logger LOG = Logger.getLogger(RemoteWriteReceiver.class);

  private final Appendable storage;

  RemoteWriteReceiver(Appendable storage) {
    this.storage = storage;
  }

  /** The answer to a request: its status and, for errors, the text body. */
  record Outcome(int status, String message, long samplesWritten, long samplesRefused) {
    static Outcome ok(long written) {
      return new Outcome(204, "", written, 0);
    }
  }

  /** Decodes, appends and commits one request body. */
  Outcome receive(byte[] body) {
    WriteRequestDecoder.Request req;
    try {
      req = WriteRequestDecoder.decode(body);
    } catch (WriteRequestDecoder.DecodeException e) {
      LOG.errorf("remote write receiver: error decoding remote write request: %s", e.getMessage());
      return new Outcome(400, e.getMessage(), 0, 0);
    }
    return append(req);
  }

  Outcome append(WriteRequestDecoder.Request req) {
    Errors errors = new Errors();
    long written = 0;
    Appender app = storage.appender();
    try {
      Labels.Builder b = Labels.builder();
      for (WriteRequestDecoder.Series s : req.series()) {
        String bad = labels(s.labels(), b);
        if (bad != null) {
          errors.add("invalid labels", bad, s.timestamps().length + s.histograms().size());
          continue;
        }
        Labels labels = b.build();
        long ref = 0;
        for (int i = 0; i < s.timestamps().length; i++) {
          try {
            ref = app.append(ref, labels, s.timestamps()[i], s.values()[i]);
            written++;
          } catch (SampleRejectedException e) {
            errors.add(
                e.reason().text(),
                e.reason().text() + ": series " + labels + ", timestamp " + s.timestamps()[i],
                1);
          }
        }
        written +=
            histograms(
                app,
                labels,
                s.histograms(),
                (kind, t) -> errors.add(kind, kind + ": series " + labels + ", timestamp " + t, 1));
        for (WriteRequestDecoder.Exemplar e : s.exemplars()) {
          exemplar(app, ref, labels, e, true);
        }
      }
    } catch (HistogramsDisabled e) {
      app.rollback();
      LOG.errorf("remote write receiver: native histogram of %s: %s", e.series, HISTOGRAMS_OFF);
      return new Outcome(500, HISTOGRAMS_OFF, 0, 0);
    } catch (RuntimeException e) {
      app.rollback();
      LOG.errorf("remote write receiver: error appending: %s", e.toString());
      return new Outcome(500, "error appending remote write: " + e.getMessage(), 0, 0);
    }
    try {
      app.commit();
    } catch (RuntimeException e) {
      LOG.errorf("remote write receiver: commit failed: %s", e.toString());
      return new Outcome(500, "error committing remote write: " + e.getMessage(), 0, 0);
    }
    if (errors.first != null) {
      LOG.warnf("remote write receiver: %d sample(s) written, %s", written, errors.summary());
      return new Outcome(400, errors.response(), written, errors.total);
    }
    return Outcome.ok(written);
  }

  /**
   * Fills {@code b} with a series' labels, sorted; returns null, or why the set is invalid: a name
   * that is empty or not a legacy Prometheus name, a name given twice, no {@code __name__} or a
   * metric name that is not a legal one. Labels with empty values are dropped, as Prometheus' head
   * drops them.
   */
  static String labels(List<WriteRequestDecoder.Label> ls, Labels.Builder b) {
    b.removeIf(n -> true);
    Set<String> names = ls.size() > 8 ? new HashSet<>() : null;
    for (int i = 0; i < ls.size(); i++) {
      String name = ls.get(i).name();
      if (!NameSyntax.isLabelName(name)) {
        return "invalid label name \"" + name + "\" in " + render(ls);
      }
      boolean dup;
      if (names != null) {
        dup = !names.add(name);
      } else {
        dup = false;
        for (int j = 0; j < i && !dup; j++) {
          dup = ls.get(j).name().equals(name);
        }
      }
      if (dup) {
        return "label name \"" + name + "\" is not unique in " + render(ls);
      }
      b.set(name, ls.get(i).value());
    }
    String metric = b.get(Labels.METRIC_NAME);
    if (metric.isEmpty()) {
      return "no metric name (" + Labels.METRIC_NAME + ") in " + render(ls);
    }
    if (!NameSyntax.isMetricName(metric)) {
      return "invalid metric name \"" + metric + "\" in " + render(ls);
    }
    return null;
  }

  /** Prometheus' text for a native histogram sent to a storage that keeps none. */
  static final String HISTOGRAMS_OFF = "native histograms are disabled";

  /** The storage keeps no native histograms: the request is rolled back and answered 500. */
  static final class HistogramsDisabled extends RuntimeException {
    final transient Labels series;

    HistogramsDisabled(Labels series) {
      super(HISTOGRAMS_OFF, null, false, false);
      this.series = series;
    }
  }

  /** Where a refused sample of a request is noted: the reason's text and the sample's time. */
  interface Refusals {
    void add(String kind, long timestampMillis);
  }

  /**
   * Appends a series' native histogram samples; returns how many were written. An invalid one, or
   * one the storage refuses (out of order, duplicate, out of bounds), is skipped and noted.
   *
   * @throws HistogramsDisabled when the storage keeps no native histograms
   */
  static long histograms(
      Appender app,
      Labels labels,
      List<WriteRequestHistogramDecoder.HistogramSample> hs,
      Refusals refusals) {
    long written = 0;
    long ref = 0;
    for (WriteRequestHistogramDecoder.HistogramSample h : hs) {
      try {
        if (h.h() != null) {
          h.h().validate();
        } else {
          h.fh().validate();
        }
        ref = app.appendHistogram(ref, labels, h.timestamp(), h.h(), h.fh());
        written++;
      } catch (InvalidHistogramException e) {
        refusals.add(e.getMessage(), h.timestamp());
      } catch (SampleRejectedException e) {
        if (e.reason() == SampleRejectedException.Reason.NATIVE_HISTOGRAMS_UNSUPPORTED) {
          throw new HistogramsDisabled(labels);
        }
        refusals.add(e.reason().text(), h.timestamp());
      }
    }
    return written;
  }

  /**
   * Attaches one exemplar to the series; returns 1, or 0 when the storage refused it (logged at
   * debug: Prometheus does not fail a request over an exemplar either). {@code timestamped}: 1.0
   * exemplars always carry their time, 2.0 ones only when it is not 0.
   */
  static int exemplar(
      Appender app, long ref, Labels series, WriteRequestDecoder.Exemplar e, boolean timestamped) {
    Labels.Builder b = Labels.builder();
    for (WriteRequestDecoder.Label l : e.labels()) {
      b.set(l.name(), l.value());
    }
    try {
      app.appendExemplar(
          ref,
          series,
          new Exemplar(
              b.build(), e.value(), timestamped || e.timestampMillis() != 0, e.timestampMillis()));
      return 1;
    } catch (RuntimeException ex) {
      LOG.debugf("remote write receiver: exemplar of %s dropped: %s", series, ex.toString());
      return 0;
    }
  }

  private static String render(List<WriteRequestDecoder.Label> ls) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < ls.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(ls.get(i).name()).append("=\"").append(ls.get(i).value()).append('"');
      if (sb.length() > 400) {
        sb.append(", ...");
        break;
      }
    }
    return sb.append('}').toString();
  }

  /** The refusals of one request: the first one's text and a count per class. */
  private static final class Errors {
    private final java.util.Map<String, Long> counts = new java.util.LinkedHashMap<>();
    private String first;
    private long total;

    void add(String kind, String message, long samples) {
      if (first == null) {
        first = message;
      }
      counts.merge(kind, samples, Long::sum);
      total += samples;
    }

    /** Counts per class: {@code 3 out of order sample, 1 invalid labels}. */
    String counts() {
      StringBuilder sb = new StringBuilder();
      counts.forEach(
          (k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(v).append(' ').append(k));
      return sb.toString();
    }

    String summary() {
      return counts() + " skipped; first: " + first;
    }

    String response() {
      return total > 1 ? first + " (skipped: " + counts() + ")" : first;
    }
  }
}
