package dev.quarry.scrape;

import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Histogram;
import dev.quarry.model.Labels;
import dev.quarry.storage.Appender;
import dev.quarry.storage.Exemplar;
import dev.quarry.storage.Metadata;
import dev.quarry.storage.SampleRejectedException;

/**
 * The per-scrape limits on scraped samples as {@link Appender} decorators, as Prometheus wraps its
 * scrape appender: {@link #timeLimit} refuses samples too far ahead of the scrape, {@link
 * #sampleLimit} fails the scrape past {@code sample_limit}; native histograms count as samples.
 * Only the page's samples go through them; staleness markers and report series go to the storage's
 * appender directly. One use per scrape, by one thread.
 */
final class LimitAppenders {
  private LimitAppenders() {}

  /** Thrown by a sample-limit appender past its limit; the scrape is then rolled back. */
  static final class SampleLimitExceeded extends RuntimeException {
    static final SampleLimitExceeded INSTANCE = new SampleLimitExceeded();

    private SampleLimitExceeded() {
      super("sample limit exceeded", null, false, false);
    }
  }

  /** {@code next}, refusing samples later than {@code maxTime} as too far in the future. */
  static Appender timeLimit(Appender next, long maxTime) {
    return new Forwarding(next) {
      @Override
      public long append(long ref, Labels labels, long t, double v) {
        if (t > maxTime) {
          throw new SampleRejectedException(SampleRejectedException.Reason.TOO_FAR_IN_FUTURE);
        }
        return next.append(ref, labels, t, v);
      }

      @Override
      public long appendHistogram(long ref, Labels labels, long t, Histogram h, FloatHistogram fh) {
        if (t > maxTime) {
          throw new SampleRejectedException(SampleRejectedException.Reason.TOO_FAR_IN_FUTURE);
        }
        return next.appendHistogram(ref, labels, t, h, fh);
      }
    };
  }

  /**
   * {@code next}, throwing {@link SampleLimitExceeded} for every append past the first {@code
   * limit}; {@code limit} 0 or less is no limit.
   */
  static Appender sampleLimit(Appender next, long limit) {
    if (limit <= 0) {
      return next;
    }
    return new Forwarding(next) {
      private long count;

      @Override
      public long append(long ref, Labels labels, long t, double v) {
        if (++count > limit) {
          throw SampleLimitExceeded.INSTANCE;
        }
        return next.append(ref, labels, t, v);
      }

      @Override
      public long appendHistogram(long ref, Labels labels, long t, Histogram h, FloatHistogram fh) {
        if (++count > limit) {
          throw SampleLimitExceeded.INSTANCE;
        }
        return next.appendHistogram(ref, labels, t, h, fh);
      }
    };
  }

  /** Passes everything but {@link #append} on to {@code next}; a base for other decorators. */
  abstract static class Forwarding implements Appender {
    final Appender next;

    Forwarding(Appender next) {
      this.next = next;
    }

    @Override
    public long appendHistogram(long ref, Labels labels, long t, Histogram h, FloatHistogram fh) {
      return next.appendHistogram(ref, labels, t, h, fh);
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
