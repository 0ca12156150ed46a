package dev.quarry.textparse;

import dev.quarry.util.GoQuote;
import java.nio.charset.StandardCharsets;

/**
 * A parser for the Prometheus text format 0.0.4 that accepts and rejects what Prometheus 2.42 does:
 * whitespace (spaces and tabs) around tokens, blank lines, free comments, a trailing comma (and,
 * like Prometheus, a missing comma) in a label block, {@code {}}, label values with {@code \\},
 * {@code \"} and {@code \n} escapes (other escapes are kept as written), any float Go parses except
 * hexadecimal, and optional integer millisecond timestamps. See {@link Parser} for the contract;
 * views are valid until the next call to {@code next()}.
 *
 * <p>The scan allocates nothing per sample; strings are made only when labels, help or names are
 * asked for. Not thread-safe.
 */
public final class PromTextParser extends AbstractTextParser {

  /** The hint of {@link #expect(byte[])}, cleared once a sample line was read. */
  private byte[] expected;

  /** The current sample's series was the expected one. */
  private boolean matched;

  /** Its label block is not scanned yet. */
  private boolean labelsPending;

  public PromTextParser() {}

  @Override
  public void reset(byte[] buffer, int off, int len) {
    super.reset(buffer, off, len);
    expected = null;
    matched = false;
    labelsPending = false;
  }

  @Override
  public void expect(byte[] series) {
    expected = series;
  }

  @Override
  public boolean matchedExpected() {
    return matched;
  }

  public PromTextParser(byte[] body) {
    reset(body, 0, body.length);
  }

  @Override
  public Entry next() throws ParseException {
    if (entry == Entry.EOF) {
      return Entry.EOF;
    }
    final byte[] b = buf;
    final int e = end;
    int p = pos;
    while (true) {
      while (p < e && (b[p] == ' ' || b[p] == '\t')) {
        p++;
      }
      if (p >= e) {
        pos = e;
        return entry = Entry.EOF;
      }
      byte c = b[p];
      if (c == '\n') {
        p++;
        continue;
      }
      pos = p;
      if (c == '#') {
        return entry = commentLine();
      }
      if (TextBytes.isMetricNameStart(c)) {
        byte[] x = expected;
        expected = null;
        if (x != null && startsWithSeries(p, x)) {
          return entry = expectedSeries(p, x.length);
        }
        matched = false;
        labelsPending = false;
        return entry = series();
      }
      throw error("expected a valid start token", p);
    }
  }

  private int skipWs(int p) {
    final byte[] b = buf;
    while (p < end && (b[p] == ' ' || b[p] == '\t')) {
      p++;
    }
    return p;
  }

  /**
   * Whether the line at {@code p} starts with the series {@code x} such that scanning the line
   * would end the series where {@code x} ends: a label block ends at its brace whatever follows; a
   * bare name only when no name character or label block follows it.
   */
  private boolean startsWithSeries(int p, byte[] x) {
    final byte[] b = buf;
    int n = x.length;
    int xe = p + n;
    if (n == 0 || xe > end || !java.util.Arrays.equals(b, p, xe, x, 0, n)) {
      return false;
    }
    if (x[n - 1] == '}') {
      return true;
    }
    if (xe < end && TextBytes.isMetricNameChar(b[xe])) {
      return false;
    }
    int q = skipWs(xe);
    return q >= end || b[q] != '{';
  }

  /** A sample line whose series is the expected one: only its value and timestamp are read. */
  private Entry expectedSeries(int p, int len) throws ParseException {
    startSeries();
    matched = true;
    labelsPending = true;
    nameStart = p;
    seriesStart = p;
    seriesEnd = p + len;
    int n = p + 1;
    while (n < seriesEnd && TextBytes.isMetricNameChar(buf[n])) {
      n++;
    }
    nameEnd = n;
    return sample(skipWs(seriesEnd));
  }

  /** Scans the label block of an expected series, when its labels are asked for after all. */
  @Override
  protected void ensureLabels() {
    if (labelsPending) {
      labelsPending = false;
      int q = skipWs(nameEnd);
      if (q < seriesEnd && buf[q] == '{') {
        try {
          labelBlock(q + 1);
        } catch (ParseException e) {
          throw new IllegalStateException("an expected series no longer parses", e);
        }
      }
    }
  }

  private Entry series() throws ParseException {
    startSeries();
    final byte[] b = buf;
    final int e = end;
    int p = pos;
    nameStart = p;
    seriesStart = p;
    p++;
    while (p < e && TextBytes.isMetricNameChar(b[p])) {
      p++;
    }
    nameEnd = p;
    seriesEnd = p;
    int q = skipWs(p);
    if (q < e && b[q] == '{') {
      p = labelBlock(q + 1);
      seriesEnd = p;
      Entry r = sample(skipWs(p));
      checkDuplicateLabels(); // after the line, as Prometheus refuses such a sample on append
      return r;
    }
    return sample(q);
  }

  /** The rest of a sample line from {@code q}, the first byte after the series and blanks. */
  private Entry sample(int q) throws ParseException {
    final byte[] b = buf;
    final int e = end;
    int p;
    // The value token runs to the next space, tab, newline or brace, as in Prometheus' lexer.
    int v = q;
    while (v < e) {
      byte c = b[v];
      if (c == ' ' || c == '\t' || c == '\n' || c == '{') {
        break;
      }
      v++;
    }
    if (v == q) {
      throw error("expected value after metric", q);
    }
    parseValue(q, v);
    p = skipWs(v);
    if (p >= e || b[p] == '\n') {
      pos = p + 1;
      return Entry.SERIES;
    }
    int d = p;
    long t = 0;
    boolean overflow = false;
    while (d < e && b[d] >= '0' && b[d] <= '9') {
      int digit = b[d] - '0';
      if (t > (Long.MAX_VALUE - digit) / 10) {
        overflow = true;
      }
      t = t * 10 + digit;
      d++;
    }
    if (d == p) {
      throw error("expected timestamp or new record", p);
    }
    if (overflow) {
      throw error(
          "strconv.ParseInt: parsing " + GoQuote.quote(b, p, d) + ": value out of range", p, false);
    }
    int r = skipWs(d);
    if (r < e && b[r] != '\n') {
      throw error("expected next entry after timestamp", r);
    }
    hasTs = true;
    ts = t;
    pos = r + 1;
    return Entry.SERIES;
  }

  /** Scans a label block from just after '{'; returns the offset just after '}'. */
  private int labelBlock(int p) throws ParseException {
    final byte[] b = buf;
    final int e = end;
    p = skipWs(p);
    while (true) {
      if (p >= e) {
        throw error("expected label name", p);
      }
      byte c = b[p];
      if (c == '}') {
        return p + 1;
      }
      if (!TextBytes.isLabelNameStart(c)) {
        throw error("expected label name", p);
      }
      int ns = p++;
      while (p < e && TextBytes.isLabelNameChar(b[p])) {
        p++;
      }
      int ne = p;
      p = skipWs(p);
      if (p >= e || b[p] != '=') {
        throw error("expected equal", p);
      }
      p = skipWs(p + 1);
      if (p >= e || b[p] != '"') {
        throw error("expected label value", p);
      }
      int open = p;
      int vs = ++p;
      boolean high = false;
      while (true) {
        if (p >= e) {
          throw error("unterminated label value", open, false);
        }
        c = b[p];
        if (c == '"') {
          break;
        }
        if (c == '\\') {
          if (p + 1 >= e || b[p + 1] == '\n') {
            throw error("invalid escape in label value", p);
          }
          seriesHasEscape = true;
          p += 2;
          continue;
        }
        if (c < 0) {
          high = true;
        }
        p++;
      }
      int ve = p++;
      if (high) {
        seriesHasUtf8 = true;
        if (!TextBytes.validUtf8(b, vs, ve)) {
          throw error("invalid UTF-8 label value: " + GoQuote.quote(b, vs, ve), vs, false);
        }
      }
      addLabel(ns, ne, vs, ve);
      p = skipWs(p);
      if (p < e && b[p] == ',') {
        p = skipWs(p + 1);
      }
    }
  }

  private Entry commentLine() throws ParseException {
    final byte[] b = buf;
    final int e = end;
    int p = pos + 1;
    if (p < e && (b[p] == ' ' || b[p] == '\t')) {
      int q = skipWs(p);
      if (keyword(q, 'H', 'E', 'L', 'P')) {
        return meta(Entry.HELP, skipWs(q + 4));
      }
      if (keyword(q, 'T', 'Y', 'P', 'E')) {
        return meta(Entry.TYPE, skipWs(q + 4));
      }
    }
    int lineEnd = lineEnd(pos);
    textStart = pos;
    textEnd = lineEnd;
    pos = lineEnd + 1;
    return Entry.COMMENT;
  }

  /** The keyword followed by at least one space or tab. */
  private boolean keyword(int q, char k0, char k1, char k2, char k3) {
    final byte[] b = buf;
    return q + 4 < end
        && b[q] == k0
        && b[q + 1] == k1
        && b[q + 2] == k2
        && b[q + 3] == k3
        && (b[q + 4] == ' ' || b[q + 4] == '\t');
  }

  private int lineEnd(int p) {
    return TextBytes.indexOf(buf, p, end, (byte) '\n');
  }

  private Entry meta(Entry kind, int p) throws ParseException {
    final byte[] b = buf;
    if (p >= end || !TextBytes.isMetricNameStart(b[p])) {
      throw error("expected metric name after " + kind, p);
    }
    metaStart = p++;
    while (p < end && TextBytes.isMetricNameChar(b[p])) {
      p++;
    }
    metaEnd = p;
    int lineEnd = lineEnd(p);
    // Prometheus drops exactly one separator; a rest of only blanks is an empty text.
    if (skipWs(p) >= lineEnd) {
      textStart = lineEnd;
    } else {
      textStart = p + 1;
    }
    textEnd = lineEnd;
    pos = lineEnd + 1;
    if (kind == Entry.TYPE) {
      metaType = textType(textStart, textEnd);
      if (metaType == null) {
        throw error(
            "invalid metric type " + GoQuote.quote(b, textStart, textEnd), textStart, false);
      }
    } else if (!TextBytes.validUtf8(b, textStart, textEnd)) {
      throw error(
          "help text " + GoQuote.quote(b, textStart, textEnd) + " is not a valid utf8 string",
          textStart,
          false);
    }
    return kind;
  }

  private static final byte[][] TYPE_NAMES = {
    "counter".getBytes(StandardCharsets.US_ASCII),
    "gauge".getBytes(StandardCharsets.US_ASCII),
    "histogram".getBytes(StandardCharsets.US_ASCII),
    "summary".getBytes(StandardCharsets.US_ASCII),
    "untyped".getBytes(StandardCharsets.US_ASCII)
  };
  private static final MetricType[] TYPES = {
    MetricType.COUNTER,
    MetricType.GAUGE,
    MetricType.HISTOGRAM,
    MetricType.SUMMARY,
    MetricType.UNKNOWN
  };

  /** The type named by {@code buf[s, e)}, compared as bytes (no String per TYPE line). */
  private MetricType textType(int s, int e) {
    for (int i = 0; i < TYPE_NAMES.length; i++) {
      byte[] name = TYPE_NAMES[i];
      if (java.util.Arrays.equals(buf, s, e, name, 0, name.length)) {
        return TYPES[i];
      }
    }
    return null;
  }

  @Override
  public String help() {
    if (noBackslash() || !TextBytes.hasByte(buf, textStart, textEnd, (byte) '\\')) {
      return new String(buf, textStart, textEnd - textStart, StandardCharsets.UTF_8);
    }
    return TextBytes.unescape(buf, textStart, textEnd, false);
  }

  @Override
  public boolean exemplar(Exemplar into) {
    return false;
  }
}
