package dev.quarry.textparse;

import static dev.quarry.textparse.OpenMetricsFamilies.BUCKET;
import static dev.quarry.textparse.OpenMetricsFamilies.COUNT;
import static dev.quarry.textparse.OpenMetricsFamilies.GCOUNT;
import static dev.quarry.textparse.OpenMetricsFamilies.GSUM;
import static dev.quarry.textparse.OpenMetricsFamilies.NONE;
import static dev.quarry.textparse.OpenMetricsFamilies.SUM;
import static dev.quarry.textparse.OpenMetricsFamilies.TOTAL;

import dev.quarry.util.GoQuote;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The OpenMetrics rules for one sample that Prometheus 2.42 does not check, each broken one a
 * warning of the parser: the sample names a type allows, values (counters, bucket counts, sums and
 * counts not negative or NaN; stateset values 0 or 1; info values 1), the labels a type needs
 * ({@code le} on buckets, {@code quantile} in [0, 1] on summary quantiles, the family's name on
 * stateset samples), histogram buckets (increasing {@code le}, non-decreasing counts, a {@code
 * +Inf} bucket equal to {@code _count}, {@code _sum} with {@code _count}), exemplars only on
 * counter totals and buckets, the samples of one metric together, and a repeated series only with a
 * later timestamp. Families without a TYPE line are only checked for grouping. Reads the parser's
 * current sample; owned by the parser's thread.
 */
final class OpenMetricsChecks {
  private static final byte[] LE = "le".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] QUANTILE = "quantile".getBytes(StandardCharsets.US_ASCII);

  private final AbstractTextParser p;
  private final OpenMetricsFamilies families;
  private final GoFloat floats = new GoFloat();
  private final MetricGrouping grouping;

  private int family = -1; // start offset of the current family's name
  private boolean inMetric;
  private int metricAt;
  private MetricType metricType;
  private int metricFamilyStart;
  private int metricFamilyEnd;
  private int prevStart = -1;
  private int prevEnd;
  private int prevNameLength;
  private boolean prevHasTs;
  private long prevTs;
  private int prevSpecial = -1; // the label set apart in the previous sample, or -1
  private int prevSpecialStart; // and its value
  private int prevSpecialEnd;

  // Bounds (le, quantile) read before, by their index in their metric: the metrics of a family
  // repeat the same bound texts, so a bound whose text is the one cached is not parsed again.
  private static final int BOUNDS = 64;
  private final int[] boundText = new int[2 * BOUNDS]; // start, end in the body
  private final double[] boundValue = new double[BOUNDS];
  private int boundsCached;
  private int boundIndex; // of the current sample's bound in its metric

  // The current metric's histogram, when it is one.
  private boolean anyBucket;
  private double lastLe;
  private double lastBucket;
  private boolean infBucket;
  private double infValue;
  private boolean negativeBucket;
  private boolean hasCount;
  private double countValue;
  private boolean hasSum;
  private double sumValue;

  OpenMetricsChecks(AbstractTextParser parser, OpenMetricsFamilies families) {
    this.p = parser;
    this.families = families;
    this.grouping = new MetricGrouping(parser);
  }

  void reset() {
    family = -1;
    inMetric = false;
    prevStart = -1;
    prevSpecial = -1;
    boundsCached = 0;
    grouping.newFamily();
  }

  /** Checks the parser's current sample, after {@link OpenMetricsFamilies#onSample}. */
  void onSample(boolean hasExemplar) {
    final byte[] b = p.buf;
    boolean newFamily = families.start() != family;
    if (newFamily) {
      finishMetric();
      inMetric = false; // so the new metric below finishes nothing more
      family = families.start();
      grouping.newFamily();
    }
    MetricType t = families.type();
    byte[] suffix = families.suffix();
    int special = specialLabel(t, suffix);
    int group = grouping.onSample(special);
    int specialStart = special < 0 ? 0 : p.lbl[4 * special + 2];
    int specialEnd = special < 0 ? 0 : p.lbl[4 * special + 3];
    // Within a family, a sample that starts a metric cannot repeat the previous series. Two
    // equal texts have their labels in the same places: when the label set apart is the same one
    // with another value (the next bucket), the texts differ and need no compare.
    if (prevStart >= 0
        && (newFamily || group == MetricGrouping.SAME)
        && p.nameEnd - p.nameStart == prevNameLength
        && !(special >= 0
            && special == prevSpecial
            && !sameBytes(specialStart, specialEnd, prevSpecialStart, prevSpecialEnd))
        && Arrays.equals(b, prevStart, prevEnd, b, p.seriesStart, p.seriesEnd)
        && !(prevHasTs && p.hasTs && p.ts > prevTs)) {
      p.warn(
          "series " + quote(p.seriesStart, p.seriesEnd) + " repeated without a later timestamp",
          p.nameStart);
    }
    prevStart = p.seriesStart;
    prevEnd = p.seriesEnd;
    prevNameLength = p.nameEnd - p.nameStart;
    prevHasTs = p.hasTs;
    prevTs = p.ts;
    prevSpecial = special;
    prevSpecialStart = specialStart;
    prevSpecialEnd = specialEnd;
    if (group != MetricGrouping.SAME) {
      finishMetric();
      boundIndex = 0;
      if (group == MetricGrouping.REPEATED) {
        p.warn(
            "the samples of one metric of family "
                + familyName()
                + " must be together, but "
                + quote(p.seriesStart, p.seriesEnd)
                + " comes after"
                + " other metrics",
            p.nameStart);
      }
      inMetric = true;
      metricAt = p.nameStart;
      metricType = t;
      metricFamilyStart = families.start();
      metricFamilyEnd = families.end();
      anyBucket = infBucket = negativeBucket = hasCount = hasSum = false;
    }
    if (t == null || suffix == null) {
      return;
    }
    if ((OpenMetricsFamilies.validSuffixes(t) & families.suffixBit()) == 0) {
      p.warn(
          "sample "
              + name()
              + " is not a valid sample name of "
              + t.wireName()
              + " family "
              + familyName(),
          p.nameStart);
      return;
    }
    double v = p.value;
    switch (t) {
      case COUNTER -> {
        if (suffix == TOTAL) {
          notNegative(v);
        }
      }
      case HISTOGRAM, GAUGEHISTOGRAM -> histogramSample(suffix, v, special);
      case SUMMARY -> {
        if (suffix == NONE) {
          double q = bound(special, "quantile");
          if (!Double.isNaN(q) && (q < 0 || q > 1)) {
            p.warn("quantile of " + name() + " must be between 0 and 1", p.nameStart);
          }
          if (v < 0) { // NaN is a quantile without observations
            p.warn(name() + " must not be negative", p.nameStart);
          }
        } else {
          notNegative(v);
        }
      }
      case STATESET -> {
        if (special < 0) {
          p.warn("stateset sample " + name() + " has no label named after its family", p.nameStart);
        }
        if (v != 0 && v != 1) {
          p.warn("stateset sample " + name() + " must have the value 0 or 1", p.nameStart);
        }
      }
      case INFO -> {
        if (v != 1) {
          p.warn("info sample " + name() + " must have the value 1", p.nameStart);
        }
      }
      default -> {}
    }
    if (hasExemplar
        && !(t == MetricType.COUNTER && suffix == TOTAL)
        && !((t == MetricType.HISTOGRAM || t == MetricType.GAUGEHISTOGRAM) && suffix == BUCKET)) {
      p.warn(
          "exemplar on " + name() + ": only counter totals and histogram buckets have exemplars",
          p.nameStart);
    }
  }

  /** Ends the body: the last metric's histogram rules. */
  void finish() {
    finishMetric();
    inMetric = false;
  }

  private void histogramSample(byte[] suffix, double v, int le) {
    if (suffix == BUCKET) {
      double bound = bound(le, "le");
      if (Double.isNaN(bound)) {
        return;
      }
      if (anyBucket && bound <= lastLe) {
        p.warn(
            "bucket " + quote(p.seriesStart, p.seriesEnd) + " is not above the previous le",
            p.nameStart);
      } else if (anyBucket && v < lastBucket) {
        p.warn(
            "bucket "
                + quote(p.seriesStart, p.seriesEnd)
                + " counts less than the previous"
                + " bucket",
            p.nameStart);
      }
      notNegative(v);
      anyBucket = true;
      lastLe = bound;
      lastBucket = v;
      negativeBucket |= bound < 0;
      if (bound == Double.POSITIVE_INFINITY) {
        infBucket = true;
        infValue = v;
      }
    } else if (suffix == COUNT || suffix == GCOUNT) {
      notNegative(v);
      hasCount = true;
      countValue = v;
    } else if (suffix == SUM || suffix == GSUM) {
      if (Double.isNaN(v)) {
        p.warn(name() + " must not be NaN", p.nameStart);
      }
      hasSum = true;
      sumValue = v;
    }
  }

  private void finishMetric() {
    if (!inMetric
        || (metricType != MetricType.HISTOGRAM && metricType != MetricType.GAUGEHISTOGRAM)) {
      return;
    }
    if (!infBucket) {
      p.warn(metricName() + " has a metric without a +Inf bucket", metricAt);
    } else if (hasCount && countValue != infValue) {
      p.warn(metricName() + " has a count that differs from its +Inf bucket", metricAt);
    }
    if (hasSum != hasCount) {
      p.warn(metricName() + " must have both a sum and a count or neither", metricAt);
    }
    if (hasSum && negativeBucket) {
      p.warn(metricName() + " has negative buckets and must not have a sum", metricAt);
    } else if (hasSum && sumValue < 0) {
      p.warn(metricName() + " has a negative sum", metricAt);
    }
  }

  /** The type and family of the metric that ends, for a warning. */
  private String metricName() {
    return metricType.wireName() + " " + quote(metricFamilyStart, metricFamilyEnd);
  }

  private void notNegative(double v) {
    if (Double.isNaN(v) || v < 0) {
      p.warn(name() + " must not be negative or NaN", p.nameStart);
    }
  }

  /**
   * {@link #floatLabel}, for the next bound of the current metric: from the cache when the bound
   * with its index read before had the same text.
   */
  private double bound(int i, String label) {
    int k = boundIndex++;
    if (i < 0 || k >= BOUNDS) {
      return floatLabel(i, label);
    }
    int vs = p.lbl[4 * i + 2];
    int ve = p.lbl[4 * i + 3];
    if (k < boundsCached && sameBytes(vs, ve, boundText[2 * k], boundText[2 * k + 1])) {
      return boundValue[k];
    }
    double v = floatLabel(i, label);
    if (!Double.isNaN(v) && k <= boundsCached) { // NaN: warned, so not cached
      boundText[2 * k] = vs;
      boundText[2 * k + 1] = ve;
      boundValue[k] = v;
      boundsCached = Math.max(boundsCached, k + 1);
    }
    return v;
  }

  /** Whether the body's ranges {@code [s, e)} and {@code [s2, e2)} hold the same bytes. */
  private boolean sameBytes(int s, int e, int s2, int e2) {
    if (e - s != e2 - s2) {
      return false;
    }
    final byte[] b = p.buf;
    for (int j = 0; j < e - s; j++) {
      if (b[s + j] != b[s2 + j]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The value of label {@code i} as an OpenMetrics number, or NaN (warned) when it is missing or
   * not one: Go's parser also takes {@code inf} or {@code +INF}, which OpenMetrics spells {@code
   * +Inf}.
   */
  private double floatLabel(int i, String label) {
    if (i < 0) {
      p.warn(name() + " has no " + label + " label", p.nameStart);
      return Double.NaN;
    }
    int vs = p.lbl[4 * i + 2];
    int ve = p.lbl[4 * i + 3];
    boolean ok = floats.parse(p.buf, vs, ve) && !Double.isNaN(floats.result);
    if (ok && Double.isInfinite(floats.result)) {
      ok =
          (ve - vs == 4)
              && (p.buf[vs] == '+' || p.buf[vs] == '-')
              && p.buf[vs + 1] == 'I'
              && p.buf[vs + 2] == 'n'
              && p.buf[vs + 3] == 'f';
    }
    if (!ok) {
      p.warn(label + " of " + name() + " is not a number: " + quote(vs, ve), p.nameStart);
      return Double.NaN;
    }
    return floats.result;
  }

  /** The index of the label a type sets apart from the metric's identity, or -1. */
  private int specialLabel(MetricType t, byte[] suffix) {
    if (t == null) {
      return -1;
    }
    return switch (t) {
      case HISTOGRAM, GAUGEHISTOGRAM -> suffix == BUCKET ? label(LE, 0, LE.length) : -1;
      case SUMMARY -> suffix == NONE ? label(QUANTILE, 0, QUANTILE.length) : -1;
      case STATESET -> label(p.buf, families.start(), families.end());
      default -> -1;
    };
  }

  /** The label named {@code name[s, e)}, searched from the last (where {@code le} usually is). */
  private int label(byte[] name, int s, int e) {
    final int[] lbl = p.lbl;
    for (int i = p.nLabels - 1; i >= 0; i--) {
      int ns = lbl[4 * i];
      if (lbl[4 * i + 1] - ns == e - s
          && p.buf[ns] == name[s]
          && Arrays.equals(p.buf, ns, lbl[4 * i + 1], name, s, e)) {
        return i; // label names are unique, as the parser has checked
      }
    }
    return -1;
  }

  /** The current sample's name, quoted: built only for a warning. */
  private String name() {
    return quote(p.nameStart, p.nameEnd);
  }

  private String familyName() {
    return quote(families.start(), families.end());
  }

  private String quote(int s, int e) {
    return GoQuote.quote(p.buf, s, e);
  }
}
