package dev.quarry.textparse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

class OpenMetricsParserTest {

  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of(named("only EOF", "# EOF\n"), List.of()),
        Arguments.of(named("EOF without newline", "a 1\n# EOF"), List.of("{__name__=\"a\"} 1.0")),
        Arguments.of(
            named(
                "counter with _total and _created",
                "# TYPE foo counter\n"
                    + "# HELP foo Help \\\"x\\\" \\\\ \\n"
                    + ".\n"
                    + "foo_total 1\n"
                    + "foo_created 1.7e9\n"
                    + "# EOF\n"),
            List.of(
                "TYPE foo counter",
                "HELP foo Help \"x\" \\ \n.",
                "{__name__=\"foo_total\"} 1.0",
                "{__name__=\"foo_created\"} 1.7E9")),
        Arguments.of(
            named(
                "unit",
                "# TYPE foo_seconds gauge\n# UNIT foo_seconds seconds\nfoo_seconds 1\n# EOF\n"),
            List.of(
                "TYPE foo_seconds gauge",
                "UNIT foo_seconds seconds",
                "{__name__=\"foo_seconds\"} 1.0")),
        Arguments.of(
            named("empty unit and help", "# HELP a \n# UNIT a \na 1\n# EOF\n"),
            List.of("HELP a ", "UNIT a ", "{__name__=\"a\"} 1.0")),
        Arguments.of(
            named("timestamp in seconds becomes ms", "a 1 1520879607.789\n# EOF\n"),
            List.of("{__name__=\"a\"} 1.0 @1520879607789")),
        Arguments.of(
            named("integer timestamp", "a 1 17\n# EOF\n"), List.of("{__name__=\"a\"} 1.0 @17000")),
        Arguments.of(
            named(
                "histogram with exemplar",
                "# TYPE foo histogram\n"
                    + "foo_bucket{le=\"1\"} 2 # {trace_id=\"abc\"} 0.5 123.456\n"
                    + "foo_bucket{le=\"+Inf\"} 3\n"
                    + "foo_count 3\n"
                    + "foo_sum 1.5\n"
                    + "foo_created 10\n"
                    + "# EOF\n"),
            List.of(
                "TYPE foo histogram",
                "{__name__=\"foo_bucket\", le=\"1\"} 2.0 # {trace_id=\"abc\"} 0.5 @123456",
                "{__name__=\"foo_bucket\", le=\"+Inf\"} 3.0",
                "{__name__=\"foo_count\"} 3.0",
                "{__name__=\"foo_sum\"} 1.5",
                "{__name__=\"foo_created\"} 10.0")),
        Arguments.of(
            named(
                "exemplar after timestamp, no exemplar timestamp",
                "# TYPE a counter\na_total 1 10 # {id=\"x\"} 2\n# EOF\n"),
            List.of("TYPE a counter", "{__name__=\"a_total\"} 1.0 @10000 # {id=\"x\"} 2.0")),
        Arguments.of(
            named("empty exemplar labels", "a_total 1 # {} 2\n# EOF\n"),
            List.of("{__name__=\"a_total\"} 1.0 # {} 2.0")),
        Arguments.of(
            named(
                "every type",
                "# TYPE a gaugehistogram\n"
                    + "a_bucket{le=\"+Inf\"} 1\n"
                    + "a_gcount 1\n"
                    + "a_gsum 1\n"
                    + "# TYPE b info\n"
                    + "b_info{v=\"1\"} 1\n"
                    + "# TYPE c stateset\n"
                    + "c{c=\"x\"} 1\n"
                    + "# TYPE d unknown\n"
                    + "d 1\n"
                    + "# TYPE e summary\n"
                    + "e{quantile=\"0.5\"} 1\n"
                    + "e_count 1\n"
                    + "# EOF\n"),
            List.of(
                "TYPE a gaugehistogram",
                "{__name__=\"a_bucket\", le=\"+Inf\"} 1.0",
                "{__name__=\"a_gcount\"} 1.0",
                "{__name__=\"a_gsum\"} 1.0",
                "TYPE b info",
                "{__name__=\"b_info\", v=\"1\"} 1.0",
                "TYPE c stateset",
                "{__name__=\"c\", c=\"x\"} 1.0",
                "TYPE d unknown",
                "{__name__=\"d\"} 1.0",
                "TYPE e summary",
                "{__name__=\"e\", quantile=\"0.5\"} 1.0",
                "{__name__=\"e_count\"} 1.0")),
        Arguments.of(
            named("escapes", "a{b=\"q\\\"\\\\\\n\"} NaN\n# EOF\n"),
            List.of("{__name__=\"a\", b=\"q\\\"\\\\\\n\"} NaN")),
        Arguments.of(
            named("families without metadata", "a 1\nb 2\nb 3\n# EOF\n"),
            List.of("{__name__=\"a\"} 1.0", "{__name__=\"b\"} 2.0", "{__name__=\"b\"} 3.0")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void accepts(String body, List<String> expected) throws ParseException {
    assertEquals(expected, Entries.of(new OpenMetricsParser(), body));
  }

  static Stream<Arguments> rejected() {
    return Stream.of(
        Arguments.of(named("missing EOF", "a 1\n"), "data does not end with # EOF", 2, 4),
        Arguments.of(named("data after EOF", "# EOF\na 1\n"), "unexpected data after # EOF", 2, 6),
        Arguments.of(
            named("blank line after EOF", "# EOF\n\n"), "unexpected data after # EOF", 2, 6),
        Arguments.of(
            named("blank line", "a 1\n\n# EOF\n"),
            "expected a valid start token, got \"\\n\"",
            2,
            4),
        Arguments.of(
            named("free comment", "# hello\n# EOF\n"), "expected HELP, TYPE, UNIT or EOF", 1, 2),
        Arguments.of(
            named("two spaces before value", "a  1\n# EOF\n"), "expected value after metric", 1, 2),
        Arguments.of(
            named("tab separator", "a\t1\n# EOF\n"),
            "expected value after metric, got \"\\t\"",
            1,
            1),
        Arguments.of(
            named("space in label block", "a{b=\"1\", c=\"2\"} 1\n# EOF\n"),
            "expected label name",
            1,
            8),
        Arguments.of(
            named("no comma between labels", "a{b=\"1\"c=\"2\"} 1\n# EOF\n"),
            "expected comma or brace close",
            1,
            7),
        Arguments.of(
            named("unit not a suffix", "# UNIT foo seconds\n# EOF\n"),
            "unit \"seconds\" not a suffix of metric \"foo\"",
            1,
            11),
        Arguments.of(
            named("unit without underscore", "# UNIT fooseconds seconds\n# EOF\n"),
            "not a suffix",
            1,
            18),
        Arguments.of(
            named("text type untyped", "# TYPE a untyped\n# EOF\n"),
            "invalid metric type \"untyped\"",
            1,
            9),
        Arguments.of(
            named("help without text", "# HELP a\n# EOF\n"), "expected text in HELP", 1, 8),
        Arguments.of(named("NaN timestamp", "a 1 NaN\n# EOF\n"), "invalid timestamp \"NaN\"", 1, 4),
        Arguments.of(
            named("bad value", "a one\n# EOF\n"),
            "strconv.ParseFloat: parsing \"one\": invalid syntax",
            1,
            2),
        Arguments.of(
            named("trailing space", "a 1 \n# EOF\n"), "expected timestamp or exemplar", 1, 4),
        Arguments.of(
            named("newline in label value", "a{b=\"x\ny\"} 1\n# EOF\n"),
            "unterminated label value",
            1,
            4),
        Arguments.of(
            named("duplicate label", "a{b=\"1\",b=\"2\"} 1\n# EOF\n"),
            "label name \"b\" is not unique",
            1,
            8),
        Arguments.of(
            named("exemplar without value", "a_total 1 # {a=\"b\"}\n# EOF\n"),
            "expected value after exemplar labels",
            1,
            19),
        Arguments.of(
            named("exemplar on a gauge name", "a 1 # {a=\"b\"} 1\n# EOF\n"),
            "metric name a does not support exemplars",
            1,
            0),
        Arguments.of(
            named("trailing comma", "a{b=\"1\",} 1\n# EOF\n"),
            "expected label name, got \"}\"",
            1,
            8),
        Arguments.of(
            named("exemplar NaN timestamp", "a_total 1 # {a=\"b\"} 1 Inf\n# EOF\n"),
            "invalid exemplar timestamp \"Inf\"",
            1,
            22));
  }

  /** Rules of the specification Prometheus does not enforce: warnings, the page is read. */
  static Stream<Arguments> warned() {
    return Stream.of(
        Arguments.of(
            named(
                "family twice",
                "# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\n# TYPE a gauge\n# EOF\n"),
            "family \"a\" appears again",
            5,
            45),
        Arguments.of(
            named("interleaved family", "# TYPE a counter\na_total 1\nb 1\na_created 2\n# EOF\n"),
            "sample \"a_created\" belongs to a family that appeared earlier",
            4,
            31),
        Arguments.of(
            named("metadata after samples", "# TYPE a gauge\na 1\n# HELP a late\n# EOF\n"),
            "HELP for family \"a\" after its samples",
            3,
            26),
        Arguments.of(
            named("duplicate TYPE", "# TYPE a gauge\n# TYPE a gauge\n# EOF\n"),
            "duplicate TYPE for family \"a\"",
            2,
            22),
        Arguments.of(
            named(
                "family named as a sample of an earlier one",
                "# TYPE a counter\na_total 1\n# TYPE a_total gauge\na_total{x=\"1\"} 1\n# EOF\n"),
            "family \"a_total\" clashes with the samples of counter family \"a\"",
            3,
            34),
        Arguments.of(
            named(
                "type naming its samples as an earlier family",
                "# TYPE a_total gauge\na_total 1\n# TYPE a counter\n# EOF\n"),
            "counter family \"a\" clashes with the earlier family \"a_total\"",
            3,
            38),
        Arguments.of(
            named(
                "type naming its samples as an earlier sample's stem",
                "a_total_created 1\n# TYPE a counter\n# EOF\n"),
            "counter family \"a\" clashes with the earlier family \"a_total\"",
            2,
            25),
        Arguments.of(
            named(
                "metric back after another, le between its labels",
                "# TYPE h histogram\n"
                    + "h_bucket{a=\"1\",le=\"1\",b=\"2\"} 1\n"
                    + "h_bucket{a=\"1\",le=\"+Inf\",b=\"2\"} 1\n"
                    + "h_bucket{a=\"2\",le=\"+Inf\",b=\"2\"} 1\n"
                    + "h_bucket{a=\"1\",le=\"+Inf\",b=\"2\"} 1\n"
                    + "# EOF\n"),
            "the samples of one metric of family \"h\" must be together",
            5,
            118));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("warned")
  void warns(String body, String message, int line, int offset) throws ParseException {
    OpenMetricsParser p = new OpenMetricsParser();
    Entries.of(p, body);
    assertEquals(1, p.warnings().total(), p.warnings().kept().toString());
    String w = p.warnings().kept().get(0);
    assertTrue(w.contains(message), w);
    assertTrue(w.startsWith("line " + line + " (byte " + offset + "): "), w);
  }

  static Stream<Arguments> warnedInLaterMetrics() {
    String h = "# TYPE h histogram\n";
    return Stream.of(
        Arguments.of(
            named(
                "le not a number where an earlier metric had a number",
                h
                    + "h_bucket{a=\"1\",le=\"1\"} 0\nh_bucket{a=\"1\",le=\"2\"} 0\n"
                    + "h_bucket{a=\"1\",le=\"+Inf\"} 0\nh_bucket{a=\"2\",le=\"1\"} 0\n"
                    + "h_bucket{a=\"2\",le=\"x\"} 0\nh_bucket{a=\"2\",le=\"+Inf\"} 0\n# EOF\n"),
            List.of("line 6 (byte 122): le of \"h_bucket\" is not a number: \"x\"")),
        Arguments.of(
            named(
                "le out of order in a later metric",
                h
                    + "h_bucket{a=\"1\",le=\"1\"} 0\nh_bucket{a=\"1\",le=\"2\"} 0\n"
                    + "h_bucket{a=\"1\",le=\"+Inf\"} 0\nh_bucket{a=\"2\",le=\"2\"} 0\n"
                    + "h_bucket{a=\"2\",le=\"1\"} 0\nh_bucket{a=\"2\",le=\"+Inf\"} 0\n# EOF\n"),
            List.of(
                "line 6 (byte 122): bucket \"h_bucket{a=\\\"2\\\",le=\\\"1\\\"}\" is not above"
                    + " the previous le")),
        Arguments.of(
            named(
                "bucket repeated",
                h
                    + "h_bucket{a=\"1\",le=\"1\"} 0\nh_bucket{a=\"1\",le=\"1\"} 0\n"
                    + "h_bucket{a=\"1\",le=\"+Inf\"} 0\n# EOF\n"),
            List.of(
                "line 3 (byte 44): series \"h_bucket{a=\\\"1\\\",le=\\\"1\\\"}\" repeated"
                    + " without a later timestamp",
                "line 3 (byte 44): bucket \"h_bucket{a=\\\"1\\\",le=\\\"1\\\"}\" is not above"
                    + " the previous le")),
        Arguments.of(
            named(
                "bucket with its labels in another order is no repeat",
                h
                    + "h_bucket{le=\"1\",a=\"1\"} 0\nh_bucket{a=\"1\",le=\"1\"} 0\n"
                    + "h_bucket{a=\"1\",le=\"+Inf\"} 0\n# EOF\n"),
            List.of(
                "line 3 (byte 44): bucket \"h_bucket{a=\\\"1\\\",le=\\\"1\\\"}\" is not above"
                    + " the previous le")),
        Arguments.of(
            named(
                "quantile out of range in a later metric",
                "# TYPE s summary\ns{quantile=\"0.5\"} 0\ns{quantile=\"1\"} 0\n"
                    + "s{quantile=\"0.5\",a=\"1\"} 0\ns{quantile=\"2\",a=\"1\"} 0\n# EOF\n"),
            List.of("line 5 (byte 81): quantile of \"s\" must be between 0 and 1")),
        Arguments.of(
            named(
                "quantile repeated",
                "# TYPE s summary\ns{quantile=\"0.5\"} 0\ns{quantile=\"0.5\"} 0\n# EOF\n"),
            List.of(
                "line 3 (byte 37): series \"s{quantile=\\\"0.5\\\"}\" repeated without a later"
                    + " timestamp")),
        Arguments.of(
            named(
                "the last sample's name after another family's metadata",
                "a 1\n# HELP b x\na 1\n# EOF\n"),
            List.of(
                "line 3 (byte 15): sample \"a\" belongs to a family that appeared earlier (families"
                    + " must not interleave or repeat)",
                "line 3 (byte 15): series \"a\" repeated without a later timestamp")));
  }

  /**
   * The rules checked against what earlier samples left (bounds read before, the last sample's
   * name), with every warning; the same warnings from a parser that parsed other bodies before.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("warnedInLaterMetrics")
  void warnsInLaterMetrics(String body, List<String> expected) throws ParseException {
    OpenMetricsParser p = new OpenMetricsParser();
    Entries.of(p, body);
    assertEquals(expected, p.warnings().kept());
    OpenMetricsParser reused = new OpenMetricsParser();
    Entries.of(reused, "# TYPE z histogram\n" + "z_bucket{le=\"0.5\"} 0\n".repeat(1) + "# EOF\n");
    Entries.of(reused, "# TYPE h histogram\n" + bucketsOfManyMetrics(40) + "# EOF\n");
    Entries.of(reused, body);
    assertEquals(expected, reused.warnings().kept());
  }

  private static String bucketsOfManyMetrics(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      for (String le : new String[] {"1", "2", "x", "+Inf"}) {
        b.append("h_bucket{a=\"").append(i).append("\",le=\"").append(le).append("\"} 0\n");
      }
    }
    return b.toString();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void rejects(String body, String message, int line, int offset) {
    ParseException e =
        assertThrows(ParseException.class, () -> Entries.of(new OpenMetricsParser(), body));
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertTrue(
        e.getMessage().startsWith("line " + line + " (byte " + offset + "): "), e.getMessage());
  }

  @Test
  void helpTextsAreCheckedForUtf8WhereverTheirFirstHighByteIs() throws ParseException {
    for (int pad = 0; pad < 20; pad++) {
      String ascii = "x".repeat(pad);
      byte[] ok = ("# HELP a " + ascii + "caf\u00e9 " + ascii + "\n# EOF\n").getBytes(UTF_8);
      OpenMetricsParser p = new OpenMetricsParser(ok);
      assertEquals(Entry.HELP, p.next());
      assertEquals(ascii + "caf\u00e9 " + ascii, p.help());
      assertEquals(Entry.EOF, p.next());
      byte[] bad = ("# HELP a " + ascii + "\u00e9" + ascii + "\n# EOF\n").getBytes(UTF_8);
      bad[9 + pad + 1] = 'x'; // the lead byte of \u00e9 without its continuation
      ParseException e =
          assertThrows(ParseException.class, () -> new OpenMetricsParser(bad).next());
      assertTrue(
          e.getMessage().startsWith("line 1 (byte 9): help text \"" + ascii + "\\xc3x"),
          e.getMessage());
      assertTrue(e.getMessage().contains("is not a valid utf8 string"), e.getMessage());
    }
  }

  @Test
  void exemplarOverTheLengthLimitIsDroppedAndTheSampleKept() throws ParseException {
    String longValue = "é".repeat(127); // 127 code points + name "id" = 129 > 128
    String ok = "x".repeat(126); // 126 + 2 = 128, at the limit
    byte[] body =
        ("a_total 1 # {id=\"" + longValue + "\"} 1\nb_total 2 # {id=\"" + ok + "\"} 1\n# EOF\n")
            .getBytes(StandardCharsets.UTF_8);
    OpenMetricsParser p = new OpenMetricsParser(body);
    Exemplar ex = new Exemplar();
    assertEquals(Entry.SERIES, p.next());
    assertEquals(1.0, p.value());
    assertFalse(p.exemplar(ex));
    assertEquals(1, p.droppedExemplars());
    assertEquals(Entry.SERIES, p.next());
    assertTrue(p.exemplar(ex));
    assertEquals(ok, ex.labels().get("id"));
    assertFalse(p.exemplar(ex), "an exemplar is returned once per sample");
    assertEquals(Entry.EOF, p.next());
  }
}
