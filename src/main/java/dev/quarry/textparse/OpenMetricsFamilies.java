package dev.quarry.textparse;

import dev.quarry.util.GoQuote;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Tracks metric families while an OpenMetrics body is parsed, for the specification's family rules
 * that Prometheus leaves unchecked: a family's metadata and samples form one contiguous group, the
 * same family does not appear twice, each of HELP, TYPE and UNIT appears at most once and before
 * the samples, no family's sample names clash with another family, and info and stateset families
 * have no unit. A broken rule is a warning ({@link AbstractTextParser#warn}), never an error, since
 * Prometheus accepts such pages. A sample without metadata starts a family named by its name less a
 * sample suffix ({@code foo_total} and {@code foo_created} are one family {@code foo}).
 *
 * <p>Family names are offsets into the body (valid for one parse) and a table of their hashes and
 * types, so tracking allocates nothing once the table has grown. Owned by its parser's thread.
 */
final class OpenMetricsFamilies {
  static final byte[] TOTAL = bytes("_total");
  static final byte[] CREATED = bytes("_created");
  static final byte[] BUCKET = bytes("_bucket");
  static final byte[] COUNT = bytes("_count");
  static final byte[] SUM = bytes("_sum");
  static final byte[] GCOUNT = bytes("_gcount");
  static final byte[] GSUM = bytes("_gsum");
  static final byte[] INFO = bytes("_info");
  static final byte[] NONE = new byte[0];
  private static final byte[][] SUFFIXES = {TOTAL, CREATED, BUCKET, COUNT, SUM, GCOUNT, GSUM, INFO};

  private final AbstractTextParser parser;
  private byte[] buf;
  private int curStart = -1;
  private int curEnd;
  private boolean curHasSamples;
  private int curMetaSeen; // bit per Entry ordinal
  private MetricType curType; // null: no TYPE line
  private boolean curUnit; // a non-empty UNIT
  private final HashTable seen = new HashTable(); // name hash -> MetricType ordinal + 1
  private byte[] scratch = new byte[64];

  OpenMetricsFamilies(AbstractTextParser parser) {
    this.parser = parser;
  }

  void reset(byte[] body) {
    buf = body;
    curStart = -1;
    curHasSamples = false;
    curMetaSeen = 0;
    curType = null;
    curUnit = false;
    seen.clear();
  }

  /** The type of the current family, null without a TYPE line. */
  MetricType type() {
    return curType;
  }

  int start() {
    return curStart;
  }

  int end() {
    return curEnd;
  }

  /** The sample suffixes a family of type {@code t} has ({@link #NONE}: the bare name). */
  static byte[][] suffixes(MetricType t) {
    return BY_TYPE[t.ordinal()];
  }

  private static final byte[][][] BY_TYPE = new byte[MetricType.values().length][][];

  static {
    for (MetricType t : MetricType.values()) {
      BY_TYPE[t.ordinal()] =
          switch (t) {
            case COUNTER -> new byte[][] {TOTAL, CREATED};
            case HISTOGRAM -> new byte[][] {BUCKET, COUNT, SUM, CREATED};
            case GAUGEHISTOGRAM -> new byte[][] {BUCKET, GCOUNT, GSUM};
            case SUMMARY -> new byte[][] {NONE, COUNT, SUM, CREATED};
            case INFO -> new byte[][] {INFO};
            default -> new byte[][] {NONE};
          };
    }
  }

  /** Whether {@code suffix} (one of the constants here) is among {@code set}. */
  static boolean has(byte[][] set, byte[] suffix) {
    for (byte[] x : set) {
      if (x == suffix) {
        return true;
      }
    }
    return false;
  }

  /** Records a HELP/TYPE/UNIT line for the family {@code [s, e)}; {@code type} for TYPE. */
  void onMeta(Entry kind, int s, int e, MetricType type, boolean nonEmptyUnit) {
    int bit = 1 << kind.ordinal();
    if (curStart >= 0 && Arrays.equals(buf, s, e, buf, curStart, curEnd)) {
      if (curHasSamples) {
        parser.warn(kind + " for family " + quote(s, e) + " after its samples", s);
      } else if ((curMetaSeen & bit) != 0) {
        parser.warn("duplicate " + kind + " for family " + quote(s, e), s);
      }
      curMetaSeen |= bit;
    } else {
      if (!seen.add(SeriesHash.hash(buf, s, e - s))) {
        parser.warn(
            "family "
                + quote(s, e)
                + " appears again: a family's metadata and samples must be one group",
            s);
      }
      clashesWithEarlierType(s, e);
      curStart = s;
      curEnd = e;
      curHasSamples = false;
      curMetaSeen = bit;
      curType = null;
      curUnit = false;
    }
    if (kind == Entry.TYPE) {
      curType = type;
      seen.setValue(SeriesHash.hash(buf, s, e - s), type.ordinal() + 1);
      clashesWithLaterType(s, e, type);
      if (curUnit && (type == MetricType.INFO || type == MetricType.STATESET)) {
        parser.warn(type.wireName() + " family " + quote(s, e) + " must not have a unit", s);
      }
    } else if (kind == Entry.UNIT && nonEmptyUnit) {
      curUnit = true;
      if (curType == MetricType.INFO || curType == MetricType.STATESET) {
        parser.warn(curType.wireName() + " family " + quote(s, e) + " must not have a unit", s);
      }
    }
  }

  /** Records a sample named {@code [s, e)}. */
  void onSample(int s, int e) {
    if (curStart >= 0 && suffixOf(s, e) != null) {
      curHasSamples = true;
      return;
    }
    // A sample outside the current family starts a family without metadata: its name, or its
    // name less a sample suffix, must not name a family seen before.
    int stem = e;
    for (byte[] suffix : SUFFIXES) {
      int st = e - suffix.length;
      if (st > s && Arrays.equals(buf, st, e, suffix, 0, suffix.length)) {
        stem = st;
        break;
      }
    }
    boolean again = !seen.add(SeriesHash.hash(buf, s, e - s));
    if (stem != e) {
      again |= !seen.add(SeriesHash.hash(buf, s, stem - s));
    }
    if (again) {
      parser.warn(
          "sample "
              + quote(s, e)
              + " belongs to a family that appeared earlier (families must not interleave or"
              + " repeat)",
          s);
    }
    curStart = s;
    curEnd = stem;
    curHasSamples = true;
    curMetaSeen = 0;
    curType = null;
    curUnit = false;
  }

  /**
   * The suffix by which the sample name {@code [s, e)} extends the current family's name ({@link
   * #NONE} for the bare name), or null when it is not the current family's.
   */
  byte[] suffixOf(int s, int e) {
    int len = curEnd - curStart;
    if (e - s < len || !Arrays.equals(buf, s, s + len, buf, curStart, curEnd)) {
      return null;
    }
    if (e - s == len) {
      return NONE;
    }
    for (byte[] suffix : SUFFIXES) {
      if (e - s - len == suffix.length
          && Arrays.equals(buf, s + len, e, suffix, 0, suffix.length)) {
        return suffix;
      }
    }
    return null;
  }

  /** A family {@code F_x} named after the samples of an earlier family {@code F} of its type. */
  private void clashesWithEarlierType(int s, int e) {
    for (byte[] suffix : SUFFIXES) {
      int stem = e - suffix.length;
      if (stem <= s || !Arrays.equals(buf, stem, e, suffix, 0, suffix.length)) {
        continue;
      }
      int t = seen.value(SeriesHash.hash(buf, s, stem - s));
      if (t > 0 && has(suffixes(MetricType.values()[t - 1]), suffix)) {
        parser.warn(
            "family "
                + quote(s, e)
                + " clashes with the samples of "
                + MetricType.values()[t - 1].wireName()
                + " family "
                + quote(s, stem),
            s);
      }
    }
  }

  /** A family {@code F} whose type gives it samples named as an earlier family {@code F_x}. */
  private void clashesWithLaterType(int s, int e, MetricType type) {
    int len = e - s;
    for (byte[] suffix : suffixes(type)) {
      if (suffix.length == 0) {
        continue;
      }
      if (scratch.length < len + suffix.length) {
        scratch = new byte[2 * (len + suffix.length)];
      }
      System.arraycopy(buf, s, scratch, 0, len);
      System.arraycopy(suffix, 0, scratch, len, suffix.length);
      if (seen.contains(SeriesHash.hash(scratch, 0, len + suffix.length))) {
        parser.warn(
            type.wireName()
                + " family "
                + quote(s, e)
                + " clashes with the earlier family "
                + GoQuote.quote(scratch, 0, len + suffix.length),
            s);
      }
    }
  }

  private String quote(int s, int e) {
    return GoQuote.quote(buf, s, e);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
