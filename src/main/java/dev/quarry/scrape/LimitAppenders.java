package dev.quarry.scrape;

import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Histogram;
import dev.quarry.model.HistogramBuckets;
import dev.quarry.model.Labels;
import dev.quarry.model.SchemaReduction;
import dev.quarry.storage.Appender;
import dev.quarry.storage.Exemplar;
import dev.quarry.storage.Metadata;
import dev.quarry.storage.SampleRejectedException;

/**
 * The per-scrape limits on scraped samples as {@link Appender} decorators, as Prometheus wraps its
 * scrape appender: {@link #timeLimit} refuses samples too far ahead of the scrape, {@link
 * #sampleLimit} fails the scrape past {@code sample_limit}; native histograms count as samples;
 * {@link #histogramLimits} reduces native histograms to the job's resolution and bucket limits.
 * Only the page's samples go through them; staleness markers and report series go to the storage's
 * appender directly. One use per scrape, by one thread.
 */
final class LimitAppenders {
  private LimitAppenders() {}

  /**
   * Thrown by a limit appender past its limit; the scrape is then rolled back and fails with {@link
   * #failure} and this message. {@link #SAMPLES} wins over {@link #BUCKETS}, as in Prometheus.
   */
  static final class LimitExceeded extends RuntimeException {
    static final LimitExceeded SAMPLES =
        new LimitExceeded(ScrapeFailure.SAMPLE_LIMIT, "sample limit exceeded");
    static final LimitExceeded BUCKETS =
        new LimitExceeded(ScrapeFailure.BUCKET_LIMIT, "histogram bucket limit exceeded");

    final ScrapeFailure failure;

    private LimitExceeded(ScrapeFailure failure, String message) {
      super(message, null, false, false);
      this.failure = failure;
    }

    /** The one of this and {@code earlier} (null: none yet) that the scrape fails with. */
    LimitExceeded over(LimitExceeded earlier) {
      return earlier == null || this == SAMPLES ? this : earlier;
    }
  }

  /**
   * The job's native-histogram limits: {@code native_histogram_bucket_limit} (0: none) and the
   * highest schema {@code native_histogram_min_bucket_factor} allows.
   */
  record HistogramLimits(long bucketLimit, int maxSchema) {
    static final HistogramLimits NONE = new HistogramLimits(0, HistogramBuckets.SCHEMA_MAX);

    /** The limits of {@code native_histogram_bucket_limit} and the minimum bucket factor. */
    static HistogramLimits of(long bucketLimit, double minBucketFactor) {
      return new HistogramLimits(Math.max(0, bucketLimit), pickSchema(minBucketFactor));
    }

    /**
     * The largest schema whose bucket growth factor {@code 2^(2^-schema)} is at least {@code
     * factor}, as Prometheus' pickSchema; a factor of 1 or less (unset) is the finest schema.
     */
    static int pickSchema(double factor) {
      if (factor <= 1) {
        factor = 1.00271;
      }
      double floor = Math.floor(-Math.log(Math.log(factor) / Math.log(2)) / Math.log(2));
      if (floor >= HistogramBuckets.SCHEMA_MAX) {
        return HistogramBuckets.SCHEMA_MAX;
      }
      return floor <= HistogramBuckets.SCHEMA_MIN ? HistogramBuckets.SCHEMA_MIN : (int) floor;
    }
  }

  /**
   * {@code next}, first lowering a native histogram's schema to {@code limits.maxSchema()}, then
   * halving its resolution until it has at most {@code limits.bucketLimit()} buckets (both sides),
   * throwing {@link LimitExceeded#BUCKETS} when it has more at the lowest schema, as Prometheus'
   * maxSchemaAppender and bucketLimitAppender. Without limits, {@code next} itself, so that float
   * samples pay nothing for it.
   */
  static Appender histogramLimits(Appender next, HistogramLimits limits) {
    if (limits.bucketLimit() <= 0 && limits.maxSchema() >= HistogramBuckets.SCHEMA_MAX) {
      return next;
    }
    long limit = limits.bucketLimit() <= 0 ? Long.MAX_VALUE : limits.bucketLimit();
    int maxSchema = limits.maxSchema();
    return new Forwarding(next) {
      @Override
      public long append(long ref, Labels labels, long t, double v) {
        return next.append(ref, labels, t, v);
      }

      @Override
      public long appendHistogram(long ref, Labels labels, long t, Histogram h, FloatHistogram fh) {
        if (h != null) {
          SchemaReduction.reduce(h, maxSchema);
          while (h.positiveBucketCount() + h.negativeBucketCount() > limit) {
            if (h.schema() <= HistogramBuckets.SCHEMA_MIN) {
              throw LimitExceeded.BUCKETS;
            }
            SchemaReduction.reduce(h, h.schema() - 1);
          }
        }
        if (fh != null) {
          SchemaReduction.reduce(fh, maxSchema);
          while (fh.positiveBucketCount() + fh.negativeBucketCount() > limit) {
            if (fh.schema() <= HistogramBuckets.SCHEMA_MIN) {
              throw LimitExceeded.BUCKETS;
            }
            SchemaReduction.reduce(fh, fh.schema() - 1);
          }
        }
        return next.appendHistogram(ref, labels, t, h, fh);
      }
    };
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
   * {@code next}, throwing {@link LimitExceeded#SAMPLES} for every append past the first {@code
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
          throw LimitExceeded.SAMPLES;
        }
        return next.append(ref, labels, t, v);
      }

      @Override
      public long appendHistogram(long ref, Labels labels, long t, Histogram h, FloatHistogram fh) {
        if (++count > limit) {
          throw LimitExceeded.SAMPLES;
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
