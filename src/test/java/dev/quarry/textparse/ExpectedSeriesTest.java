package dev.quarry.textparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The page-order hint ({@link Parser#expect(byte[])}): a sample line that starts with the expected
 * series is only compared, never rescanned, and nothing the parser reports may differ from a parse
 * without the hint, whether the hint is right, wrong or a prefix of the line.
 */
class ExpectedSeriesTest {
  private static final Path DIR =
      Path.of(System.getProperty("fixtures.dir", "src/test/resources/fixtures"));

  /** One line per sample: series text, labels, value, timestamp, and whether the hint matched. */
  private static List<String> parse(byte[] page, IntFunction<byte[]> hint) throws ParseException {
    PromTextParser p = new PromTextParser();
    p.reset(page, 0, page.length);
    List<String> out = new ArrayList<>();
    int i = 0;
    p.expect(hint.apply(0));
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e == Entry.SERIES) {
        String series =
            new String(page, p.seriesOffset(), p.seriesLength(), StandardCharsets.UTF_8);
        out.add(
            series
                + " | "
                + p.labels()
                + " "
                + p.value()
                + (p.hasTimestamp() ? " @" + p.timestamp() : "")
                + (p.matchedExpected() ? " matched" : ""));
        i++;
      }
      p.expect(hint.apply(i));
    }
    return out;
  }

  private static List<byte[]> keys(byte[] page) throws ParseException {
    PromTextParser p = new PromTextParser(page);
    List<byte[]> keys = new ArrayList<>();
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e == Entry.SERIES) {
        keys.add(
            java.util.Arrays.copyOfRange(
                page, p.seriesOffset(), p.seriesOffset() + p.seriesLength()));
      }
    }
    return keys;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "node_exporter_1.5.0.prom",
        "prometheus_2.42_agent.prom",
        "vmagent_1.79.5.prom",
        "farm_payload.prom"
      })
  void rightAndWrongHintsChangeNothingButTheMatch(String file) throws IOException, ParseException {
    byte[] page = Files.readAllBytes(DIR.resolve(file));
    List<byte[]> keys = keys(page);
    List<String> plain = parse(page, i -> null);

    List<String> hinted = parse(page, i -> i < keys.size() ? keys.get(i) : null);
    assertEquals(plain.size(), hinted.size());
    for (int i = 0; i < plain.size(); i++) {
      assertEquals(plain.get(i) + " matched", hinted.get(i));
    }
    // Every hint one sample late: only lines repeating their predecessor's series could match.
    List<String> late = parse(page, i -> i > 0 && i <= keys.size() ? keys.get(i - 1) : null);
    for (int i = 0; i < plain.size(); i++) {
      assertEquals(plain.get(i), late.get(i).replace(" matched", ""));
    }
  }

  @ParameterizedTest(name = "hint [{0}] on [{1}]: matched {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a{x=\"1\"}     | a{x=\"1\"} 5 123\\n     | true",
        "a              | a 7\\n                  | true",
        "a              | a\t7\\n                 | true",
        "a              | a{x=\"1\"} 5\\n         | false",
        "a              | a {x=\"1\"} 5\\n        | false",
        "a              | ab 5\\n                 | false",
        "a{x=\"1\"}     | a{x=\"12\"} 5\\n        | false",
        "a {x=\"1\"}    | a {x=\"1\"}6\\n         | true",
        "a{x=\"1\",}    | a{x=\"1\",} 5\\n        | true",
        "a{x=\"1\\\"2\"} | a{x=\"1\\\"2\"} 5\\n    | true",
      })
  void aHintMatchesOnlyWhereTheScanWouldEndTheSeries(String hint, String line, boolean matched)
      throws ParseException {
    byte[] page = line.strip().replace("\\n", "\n").getBytes(StandardCharsets.UTF_8);
    byte[] key = hint.strip().getBytes(StandardCharsets.UTF_8);
    List<String> plain = parse(page, i -> null);
    List<String> hinted = parse(page, i -> key);
    assertEquals(1, hinted.size());
    assertEquals(plain.get(0) + (matched ? " matched" : ""), hinted.get(0));
  }

  @Test
  void aMatchedSeriesDecodesItsEscapedValuesWhenItsLabelsAreAskedFor() throws ParseException {
    byte[] page = "a{x=\"1\\\"2\",y=\"p\"} 5\na{x=\"3\"} 6\n".getBytes(StandardCharsets.UTF_8);
    List<byte[]> keys = keys(page);
    assertEquals(
        List.of(
            "a{x=\"1\\\"2\",y=\"p\"} | {__name__=\"a\", x=\"1\\\"2\", y=\"p\"} 5.0 matched",
            "a{x=\"3\"} | {__name__=\"a\", x=\"3\"} 6.0 matched"),
        parse(page, i -> i < keys.size() ? keys.get(i) : null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a{x=\"1\"}\n", "a{x=\"1\"} 1 2 3\n", "a{x=\"1\"} x\n", "a{x=\"1\"}"})
  void aMatchedLineFailsAsItWouldUnhinted(String line) {
    byte[] page = line.getBytes(StandardCharsets.UTF_8);
    byte[] key = "a{x=\"1\"}".getBytes(StandardCharsets.UTF_8);
    ParseException plain = assertThrows(ParseException.class, () -> parse(page, i -> null));
    ParseException hinted = assertThrows(ParseException.class, () -> parse(page, i -> key));
    assertEquals(plain.getMessage(), hinted.getMessage());
  }
}
