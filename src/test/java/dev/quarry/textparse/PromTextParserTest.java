package dev.quarry.textparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Named.named;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PromTextParserTest {

  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of(named("plain sample", "a 1\n"), List.of("{__name__=\"a\"} 1.0")),
        Arguments.of(named("last line without newline", "a 1"), List.of("{__name__=\"a\"} 1.0")),
        Arguments.of(
            named("labels sorted", "a{z=\"1\",b=\"2\"} 3\n"),
            List.of("{__name__=\"a\", b=\"2\", z=\"1\"} 3.0")),
        Arguments.of(named("empty label block", "a{} 1\n"), List.of("{__name__=\"a\"} 1.0")),
        Arguments.of(
            named("trailing comma", "a{b=\"1\",} 1\n"), List.of("{__name__=\"a\", b=\"1\"} 1.0")),
        Arguments.of(
            named("missing comma accepted like Prometheus", "a{b=\"1\" c=\"2\"} 1\n"),
            List.of("{__name__=\"a\", b=\"1\", c=\"2\"} 1.0")),
        Arguments.of(
            named("tabs and repeated spaces", "\t a \t{ b = \"1\" ,\tc=\"2\" }  7 \t 123  \n"),
            List.of("{__name__=\"a\", b=\"1\", c=\"2\"} 7.0 @123")),
        Arguments.of(
            named("empty value drops label", "a{b=\"\"} 1\n"), List.of("{__name__=\"a\"} 1.0")),
        Arguments.of(
            named("label value escapes", "a{b=\"x\\\\y\\\"z\\nw\"} 1\n"),
            List.of("{__name__=\"a\", b=\"x\\\\y\\\"z\\nw\"} 1.0")),
        Arguments.of(
            named(
                "an escape in a later label, then series without and with one",
                "a{b=\"x\\\\y\",c=\"p\"} 1\na{b=\"plain\"} 2\na{c=\"1\",b=\"y\\\"z\"} 3\n"),
            List.of(
                "{__name__=\"a\", b=\"x\\\\y\", c=\"p\"} 1.0",
                "{__name__=\"a\", b=\"plain\"} 2.0",
                "{__name__=\"a\", b=\"y\\\"z\", c=\"1\"} 3.0")),
        Arguments.of(
            named("unknown escape kept as written", "a{b=\"x\\ty\"} 1\n"),
            List.of("{__name__=\"a\", b=\"x\\\\ty\"} 1.0")),
        Arguments.of(
            named("UTF-8 label value", "a{b=\"Grüße 東京\"} 1\n"),
            List.of("{__name__=\"a\", b=\"Grüße 東京\"} 1.0")),
        Arguments.of(
            named("colon in metric name", "a:b:c 1\n"), List.of("{__name__=\"a:b:c\"} 1.0")),
        Arguments.of(named("NaN is canonical", "a NaN\n"), List.of("{__name__=\"a\"} NaN")),
        Arguments.of(named("lower-case nan", "a nan\n"), List.of("{__name__=\"a\"} NaN")),
        Arguments.of(named("+Inf", "a +Inf\n"), List.of("{__name__=\"a\"} Infinity")),
        Arguments.of(named("-Inf", "a -Inf\n"), List.of("{__name__=\"a\"} -Infinity")),
        Arguments.of(named("Inf without sign", "a Inf\n"), List.of("{__name__=\"a\"} Infinity")),
        Arguments.of(
            named("infinity spelled out", "a -infinity\n"), List.of("{__name__=\"a\"} -Infinity")),
        Arguments.of(named("exponent", "a 1.5e3\n"), List.of("{__name__=\"a\"} 1500.0")),
        Arguments.of(named("negative exponent", "a -2E-2\n"), List.of("{__name__=\"a\"} -0.02")),
        Arguments.of(named("leading dot", "a .5\n"), List.of("{__name__=\"a\"} 0.5")),
        Arguments.of(named("trailing dot", "a 5.\n"), List.of("{__name__=\"a\"} 5.0")),
        Arguments.of(
            named("integer beyond 2^53 rounds like Go", "a 9007199254740993\n"),
            List.of("{__name__=\"a\"} 9.007199254740992E15")),
        Arguments.of(
            named("long integer correctly rounded", "a 123456789012345678901234567890\n"),
            List.of("{__name__=\"a\"} 1.2345678901234568E29")),
        Arguments.of(
            named("many decimals", "a 0.1000000000000000055511151231257827\n"),
            List.of("{__name__=\"a\"} 0.1")),
        Arguments.of(named("underflow is zero", "a 1e-400\n"), List.of("{__name__=\"a\"} 0.0")),
        Arguments.of(
            named("timestamp", "a 1 1700000000000\n"),
            List.of("{__name__=\"a\"} 1.0 @1700000000000")),
        Arguments.of(
            named("blank lines", "\n\na 1\n\n  \nb 2\n"),
            List.of("{__name__=\"a\"} 1.0", "{__name__=\"b\"} 2.0")),
        Arguments.of(
            named("free comment", "# hello world\na 1\n"),
            List.of("COMMENT # hello world", "{__name__=\"a\"} 1.0")),
        Arguments.of(named("comment without space", "#HELP a x\n"), List.of("COMMENT #HELP a x")),
        Arguments.of(
            named("help and type", "# HELP a Some help.\n# TYPE a counter\na 1\n"),
            List.of("HELP a Some help.", "TYPE a counter", "{__name__=\"a\"} 1.0")),
        Arguments.of(
            named("help escapes", "# HELP a x\\\\y\\nz \\\"q\\\"\n"),
            List.of("HELP a x\\y\nz \\\"q\\\"")),
        Arguments.of(named("empty help", "# HELP a\n"), List.of("HELP a ")),
        Arguments.of(named("untyped is unknown", "# TYPE a untyped\n"), List.of("TYPE a unknown")),
        Arguments.of(
            named(
                "histogram le kept as written",
                "# TYPE h histogram\nh_bucket{le=\"1\"} 1\n"
                    + "h_bucket{le=\"0.25\"} 1\nh_bucket{le=\"1e6\"} 1\nh_bucket{le=\"+Inf\"} 2\n"),
            List.of(
                "TYPE h histogram",
                "{__name__=\"h_bucket\", le=\"1\"} 1.0",
                "{__name__=\"h_bucket\", le=\"0.25\"} 1.0",
                "{__name__=\"h_bucket\", le=\"1e6\"} 1.0",
                "{__name__=\"h_bucket\", le=\"+Inf\"} 2.0")),
        Arguments.of(
            named("summary quantile kept as written", "# TYPE s summary\ns{quantile=\"0\"} 1\n"),
            List.of("TYPE s summary", "{__name__=\"s\", quantile=\"0\"} 1.0")),
        Arguments.of(
            named("le of a gauge kept", "# TYPE g gauge\ng{le=\"1\"} 1\n"),
            List.of("TYPE g gauge", "{__name__=\"g\", le=\"1\"} 1.0")),
        Arguments.of(
            named("value straight after brace", "a{b=\"1\"}2\n"),
            List.of("{__name__=\"a\", b=\"1\"} 2.0")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void accepts(String body, List<String> expected) throws ParseException {
    assertEquals(expected, Entries.of(new PromTextParser(), body));
  }

  static Stream<Arguments> rejected() {
    return Stream.of(
        Arguments.of(
            named("missing value", "a{b=\"1\"} \n"),
            "expected value after metric, got \"\\n\"",
            1,
            9),
        Arguments.of(
            named("missing value on line 3", "a 1\nb 2\nhttp_requests_total{code=\"200\"} \n"),
            "line 3 (byte 40): expected value after metric, got \"\\n"
                + "\": \"http_requests_total{code=\\\"200\\\"} \"",
            3,
            40),
        Arguments.of(
            named("invalid value", "a abc\n"),
            "strconv.ParseFloat: parsing \"abc\": invalid syntax",
            1,
            2),
        Arguments.of(named("hex value", "a 0x1p3\n"), "parsing \"0x1p3\": invalid syntax", 1, 2),
        Arguments.of(named("hex integer", "a 0x10\n"), "invalid syntax", 1, 2),
        Arguments.of(named("underscore in number", "a 1_000\n"), "invalid syntax", 1, 2),
        Arguments.of(named("Java float suffix", "a 1d\n"), "invalid syntax", 1, 2),
        Arguments.of(named("signed NaN", "a +NaN\n"), "invalid syntax", 1, 2),
        Arguments.of(named("carriage return", "a 1\r\n"), "invalid syntax", 1, 2),
        Arguments.of(named("value out of range", "a 1e400\n"), "value out of range", 1, 2),
        Arguments.of(
            named("unterminated quote", "a 1\nb{c=\"x} 1\n"), "unterminated label value", 2, 8),
        Arguments.of(
            named("duplicate label", "a{b=\"1\",b=\"2\"} 1\n"),
            "label name \"b\" is not unique",
            1,
            8),
        Arguments.of(
            named("__name__ in block", "a{__name__=\"x\"} 1\n"),
            "label name \"__name__\" is not unique",
            1,
            2),
        Arguments.of(
            named("bad metric name", "1abc 1\n"), "expected a valid start token, got \"1\"", 1, 0),
        Arguments.of(
            named("bad label name", "a{1b=\"x\"} 1\n"), "expected label name, got \"1\"", 1, 2),
        Arguments.of(
            named("colon in label name", "a{b:c=\"x\"} 1\n"), "expected equal, got \":\"", 1, 3),
        Arguments.of(named("leading comma", "a{,b=\"x\"} 1\n"), "expected label name", 1, 2),
        Arguments.of(
            named("unquoted label value", "a{b=x} 1\n"), "expected label value, got \"x\"", 1, 4),
        Arguments.of(
            named("garbage after timestamp", "a 1 123 x\n"),
            "expected next entry after timestamp, got \"x\"",
            1,
            8),
        Arguments.of(
            named("letters in timestamp", "a 1 12x\n"),
            "expected next entry after timestamp",
            1,
            6),
        Arguments.of(
            named("negative timestamp", "a 1 -5\n"),
            "expected timestamp or new record, got \"-\"",
            1,
            4),
        Arguments.of(
            named("float timestamp", "a 1 1.5\n"),
            "expected next entry after timestamp, got \".\"",
            1,
            5),
        Arguments.of(
            named("timestamp overflow", "a 1 99999999999999999999\n"), "value out of range", 1, 4),
        Arguments.of(
            named("escaped newline break", "a{b=\"x\\\n\"} 1\n"),
            "invalid escape in label value",
            1,
            6),
        Arguments.of(
            named("unknown type", "# TYPE a gaugehistogram\n"),
            "invalid metric type \"gaugehistogram\"",
            1,
            9),
        Arguments.of(
            named("type with two spaces", "# TYPE a  counter\n"),
            "invalid metric type \" counter\"",
            1,
            9),
        Arguments.of(
            named("help without name", "# HELP 1a x\n"), "expected metric name after HELP", 1, 7),
        Arguments.of(
            named("brace after labels", "a{} {\n"),
            "expected value after metric, got \"{\"",
            1,
            4));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void rejects(String body, String message, int line, int offset) {
    ParseException e =
        assertThrows(ParseException.class, () -> Entries.of(new PromTextParser(), body));
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertTrue(
        e.getMessage().startsWith("line " + line + " (byte " + offset + "): "), e.getMessage());
    assertEquals(line, e.line());
    assertEquals(offset, e.byteOffset());
  }

  @Test
  void rejectsInvalidUtf8InLabelValue() {
    byte[] body = {'a', '{', 'b', '=', '"', (byte) 0xff, '"', '}', ' ', '1', '\n'};
    PromTextParser p = new PromTextParser(body);
    ParseException e = assertThrows(ParseException.class, p::next);
    assertTrue(e.getMessage().contains("invalid UTF-8 label value"), e.getMessage());
    assertEquals(5, e.byteOffset());
  }

  @Test
  void seriesViewIsTheRawBytesAndHashMatchesAcrossBodies() throws ParseException {
    byte[] first = "x 1\nhttp{code=\"200\"} 5 17\n".getBytes(StandardCharsets.UTF_8);
    byte[] second = "http{code=\"200\"} 9\n".getBytes(StandardCharsets.UTF_8);
    PromTextParser p = new PromTextParser(first);
    p.next();
    assertEquals(Entry.SERIES, p.next());
    assertEquals(
        "http{code=\"200\"}",
        new String(p.buffer(), p.seriesOffset(), p.seriesLength(), StandardCharsets.UTF_8));
    long h = p.seriesHash();
    assertEquals(Entry.EOF, p.next());
    assertEquals(Entry.EOF, p.next());
    p.reset(second, 0, second.length);
    assertEquals(Entry.SERIES, p.next());
    assertEquals(h, p.seriesHash());
    assertEquals(9.0, p.value());
  }

  @Test
  void parsesASliceOfALargerBuffer() throws ParseException {
    byte[] b = "garbage{{{ a 1\n junk".getBytes(StandardCharsets.UTF_8);
    PromTextParser p = new PromTextParser();
    p.reset(b, 11, 4);
    assertEquals(Entry.SERIES, p.next());
    assertEquals("{__name__=\"a\"}", p.labels().toString());
    assertEquals(Entry.EOF, p.next());
  }

  @Test
  void helpHashTellsTextsApartWhereverTheyAre() throws ParseException {
    String[] pages = {
      "# HELP a Some help.\n",
      "# HELP a x\\\\y\\nz\n",
      "# HELP a température\n",
      "# HELP a\n",
      "# HELP a Some help!\n"
    };
    long[] hashes = new long[pages.length];
    for (int i = 0; i < pages.length; i++) {
      // The same text at another place in another body hashes the same.
      String page = "x 1\n".repeat(i) + pages[i];
      byte[] b = page.getBytes(StandardCharsets.UTF_8);
      PromTextParser p = new PromTextParser();
      p.reset(b, 0, b.length);
      Entry e;
      while ((e = p.next()) != Entry.HELP) {
        assertEquals(Entry.SERIES, e);
      }
      hashes[i] = p.helpHash();
      byte[] alone = pages[i].getBytes(StandardCharsets.UTF_8);
      p.reset(alone, 0, alone.length);
      assertEquals(Entry.HELP, p.next());
      assertEquals(hashes[i], p.helpHash(), pages[i]);
    }
    assertEquals(pages.length, java.util.Arrays.stream(hashes).distinct().count());
  }
}
