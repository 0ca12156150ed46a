package dev.quarry.textparse;

import dev.quarry.util.GoQuote;
import java.util.Arrays;

/**
 * Tracks metric families while an OpenMetrics body is parsed, to enforce the format's rules that
 * Prometheus leaves unchecked: a family's metadata and samples form one contiguous group, the same
 * family does not appear twice, and each of HELP, TYPE and UNIT appears at most once per family,
 * before its samples. Family names are offsets into the body (valid for one parse) and a set of
 * their hashes, so tracking allocates nothing once the set has grown.
 */
final class OpenMetricsFamilies {
  private static final byte[][] SUFFIXES = {
    bytes("_total"), bytes("_created"), bytes("_bucket"), bytes("_count"),
    bytes("_sum"), bytes("_gcount"), bytes("_gsum"), bytes("_info")
  };

  private byte[] buf;
  private int curStart = -1;
  private int curEnd;
  private boolean curHasSamples;
  private int curMetaSeen; // bit per Entry ordinal
  private long[] seen = new long[256];
  private int seenCount;

  void reset(byte[] body) {
    buf = body;
    curStart = -1;
    curHasSamples = false;
    curMetaSeen = 0;
    if (seenCount > 0) {
      Arrays.fill(seen, 0);
      seenCount = 0;
    }
  }

  /** Records a HELP/TYPE/UNIT line for the family {@code [s, e)}; returns a problem or null. */
  String onMeta(Entry kind, int s, int e) {
    int bit = 1 << kind.ordinal();
    if (curStart >= 0 && Arrays.equals(buf, s, e, buf, curStart, curEnd)) {
      if (curHasSamples) {
        return kind + " for family " + GoQuote.quote(buf, s, e) + " after its samples";
      }
      if ((curMetaSeen & bit) != 0) {
        return "duplicate " + kind + " for family " + GoQuote.quote(buf, s, e);
      }
      curMetaSeen |= bit;
      return null;
    }
    if (!add(SeriesHash.hash(buf, s, e - s))) {
      return "family " + GoQuote.quote(buf, s, e) + " appears twice";
    }
    curStart = s;
    curEnd = e;
    curHasSamples = false;
    curMetaSeen = bit;
    return null;
  }

  /** Records a sample named {@code [s, e)}; returns a problem or null. */
  String onSample(int s, int e) {
    if (curStart >= 0 && belongsToCurrent(s, e)) {
      curHasSamples = true;
      return null;
    }
    // A sample outside the current family starts a family without metadata: its name, or its
    // name less a sample suffix, must not name a family seen before.
    if (contains(SeriesHash.hash(buf, s, e - s))) {
      return interleaved(s, e);
    }
    for (byte[] suffix : SUFFIXES) {
      int stem = e - suffix.length;
      if (stem > s
          && Arrays.equals(buf, stem, e, suffix, 0, suffix.length)
          && contains(SeriesHash.hash(buf, s, stem - s))) {
        return interleaved(s, e);
      }
    }
    add(SeriesHash.hash(buf, s, e - s));
    curStart = s;
    curEnd = e;
    curHasSamples = true;
    curMetaSeen = 0;
    return null;
  }

  private String interleaved(int s, int e) {
    return "sample "
        + GoQuote.quote(buf, s, e)
        + " belongs to a family that appeared earlier (families must not interleave or repeat)";
  }

  private boolean belongsToCurrent(int s, int e) {
    int len = curEnd - curStart;
    if (e - s < len || !Arrays.equals(buf, s, s + len, buf, curStart, curEnd)) {
      return false;
    }
    if (e - s == len) {
      return true;
    }
    for (byte[] suffix : SUFFIXES) {
      if (e - s - len == suffix.length
          && Arrays.equals(buf, s + len, e, suffix, 0, suffix.length)) {
        return true;
      }
    }
    return false;
  }

  private boolean contains(long h) {
    long k = h == 0 ? 1 : h;
    int mask = seen.length - 1;
    for (int i = (int) (k ^ (k >>> 32)) & mask; ; i = (i + 1) & mask) {
      if (seen[i] == 0) {
        return false;
      }
      if (seen[i] == k) {
        return true;
      }
    }
  }

  /** Adds a hash; false when it was present. */
  private boolean add(long h) {
    long k = h == 0 ? 1 : h;
    if (contains(k)) {
      return false;
    }
    if (2 * (seenCount + 1) > seen.length) {
      long[] old = seen;
      seen = new long[old.length * 2];
      seenCount = 0;
      for (long o : old) {
        if (o != 0) {
          insert(o);
        }
      }
    }
    insert(k);
    return true;
  }

  private void insert(long k) {
    int mask = seen.length - 1;
    int i = (int) (k ^ (k >>> 32)) & mask;
    while (seen[i] != 0) {
      i = (i + 1) & mask;
    }
    seen[i] = k;
    seenCount++;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
