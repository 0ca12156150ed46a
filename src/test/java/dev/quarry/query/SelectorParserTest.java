package dev.quarry.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SelectorParserTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "up | [__name__=\"up\"] | 0",
        "  node_cpu_seconds_total{mode=\"idle\"} | [__name__=\"node_cpu_seconds_total\", mode=\"idle\"] | 0",
        "{__name__=~\"node_.*\", job!=\"x\"} | [__name__=~\"node_.*\", job!=\"x\"] | 0",
        "m{a!~'b.*',} | [__name__=\"m\", a!~\"b.*\"] | 0",
        "m{a=`raw\\n`} | [__name__=\"m\", a=\"raw\\n\"] | 0",
        "m{a=\"x\\ty\"} | [__name__=\"m\", a=\"x\ty\"] | 0",
        "rate:5m{job=\"j\"}[5m] | [__name__=\"rate:5m\", job=\"j\"] | 300000",
        "m [1h30m] | [__name__=\"m\"] | 5400000",
      })
  void selectors(String query, String matchers, long range) {
    Selector s = SelectorParser.parse(query);
    assertEquals(matchers, s.matchers().toString());
    assertEquals(range, s.rangeMillis());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "rate(m[5m]) | function \"rate\" is not supported by Quarry",
        "sum(m) | aggregation \"sum\" is not supported by Quarry",
        "sum by (job) (m) | \"sum\" is not supported by Quarry",
        "m + 1 | binary operators are not supported by Quarry",
        "m and n | binary operators are not supported by Quarry",
        "m offset 5m | the offset modifier is not supported by Quarry",
        "m @ 100 | the @ modifier is not supported by Quarry",
        "42 | number literals are not supported by Quarry",
        "m[5m:1m] | subqueries are not supported by Quarry",
        "{job=~\".*\"} | vector selector must contain at least one non-empty matcher",
        "{} | vector selector must contain at least one non-empty matcher",
        "m{a=\"b} | 1:5: parse error: unterminated quoted string",
        "m{a==\"b\"} | 1:4: parse error: unexpected \"==\"",
        "m{a} | 1:4: parse error: unexpected character '}' in label matching",
        "m{__name__=\"n\"} | metric name must not be set twice",
        "m{a=~\"(\"} | invalid regular expression in matcher a=~\"(\"",
        "m[xyz] | 1:3: parse error: bad number or duration syntax: \"xyz\"",
        "m}} | 1:2: parse error: unexpected character: '}'",
        "'' | no expression found in input",
      })
  void refusals(String query, String message) {
    QueryException e = assertThrows(QueryException.class, () -> SelectorParser.parse(query));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }
}
