package dev.quarry.web;

import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Histogram;
import dev.quarry.model.Labels;
import dev.quarry.storage.Appendable;
import dev.quarry.storage.Appender;
import dev.quarry.storage.Exemplar;
import dev.quarry.storage.Metadata;
import dev.quarry.storage.SampleRejectedException;
import java.util.ArrayList;
import java.util.List;

/**
 * Storages for receiver tests around native histograms: {@link Delegating} passes everything to
 * another appender but native histograms, which it refuses as the SPI's default does (a storage
 * without them); {@link HistogramStorage} itself keeps what is committed, floats and histograms,
 * and refuses histograms at or before a given time as out of order.
 */
final class HistogramStorage implements Appendable {
  /** One committed histogram sample. */
  record Stored(Labels labels, long t, Histogram h, FloatHistogram fh) {}

  final List<Stored> histograms = new ArrayList<>();
  final List<String> floats = new ArrayList<>();
  long outOfOrderUpTo = Long.MIN_VALUE;

  @Override
  public Appender appender() {
    List<Stored> pending = new ArrayList<>();
    List<String> pendingFloats = new ArrayList<>();
    return new Appender() {
      @Override
      public long append(long ref, Labels labels, long t, double v) {
        pendingFloats.add(labels + " " + t + " " + v);
        return 1;
      }

      @Override
      public long appendHistogram(long ref, Labels labels, long t, Histogram h, FloatHistogram fh) {
        if (t <= outOfOrderUpTo) {
          throw new SampleRejectedException(SampleRejectedException.Reason.OUT_OF_ORDER);
        }
        pending.add(
            new Stored(labels, t, h == null ? null : h.copy(), fh == null ? null : fh.copy()));
        return 1;
      }

      @Override
      public void appendExemplar(long ref, Labels labels, Exemplar exemplar) {}

      @Override
      public void updateMetadata(long ref, Labels labels, Metadata metadata) {}

      @Override
      public void commit() {
        histograms.addAll(pending);
        floats.addAll(pendingFloats);
      }

      @Override
      public void rollback() {}
    };
  }

  /** Everything to {@code next} but native histograms, refused as the SPI's default does. */
  static final class Delegating implements Appender {
    private final Appender next;

    Delegating(Appender next) {
      this.next = next;
    }

    @Override
    public long append(long ref, Labels labels, long t, double v) {
      return next.append(ref, labels, t, v);
    }

    @Override
    public void appendExemplar(long ref, Labels labels, Exemplar exemplar) {
      next.appendExemplar(ref, labels, exemplar);
    }

    @Override
    public void updateMetadata(long ref, Labels labels, Metadata metadata) {
      next.updateMetadata(ref, labels, metadata);
    }

    @Override
    public void commit() {
      next.commit();
    }

    @Override
    public void rollback() {
      next.rollback();
    }
  }
}
