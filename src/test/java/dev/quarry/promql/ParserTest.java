package dev.quarry.promql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Named.named;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parser against Prometheus 2.42: parse_cases.tsv holds queries and what 2.42's {@code
 * /api/v1/query} answered for each (OK, or the parse error with its position), recorded from the
 * real server; the printer's output is pinned against 2.42's {@code String()} forms.
 */
class ParserTest {
  static Stream<Arguments> cases() throws IOException {
    List<Arguments> out = new ArrayList<>();
    try (InputStream in = ParserTest.class.getResourceAsStream("/promql/parse_cases.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        int tab = line.lastIndexOf('\t');
        String q = line.substring(0, tab);
        out.add(Arguments.of(named(q.isEmpty() ? "<empty>" : q, q), line.substring(tab + 1)));
      }
    }
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void sameVerdictAsPrometheus(String query, String want) {
    if (want.equals("OK")) {
      PromQL.parse(query);
    } else {
      ParseException e = assertThrows(ParseException.class, () -> PromQL.parse(query));
      assertEquals(want, e.getMessage());
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "foo | foo",
        "foo{b=\"2\",a=\"1\"} | foo{a=\"1\",b=\"2\"}",
        "{__name__=\"foo\"} | {__name__=\"foo\"}",
        "foo{a=~'x\\\\.y'} | foo{a=~\"x\\\\.y\"}",
        "foo[90m] offset 1d @ 10 | foo[1h30m] @ 10.000 offset 1d",
        "foo offset -5m | foo offset -5m",
        "foo @ start() | foo @ start()",
        "sum(foo) by (a,b) | sum by (a, b) (foo)",
        "sum without() (foo) | sum without () (foo)",
        "sum by () (foo) | sum(foo)",
        "topk(5, foo) | topk(5, foo)",
        "count_values('v', foo) | count_values(\"v\", foo)",
        "a + on(x) group_left(y) b | a + on (x) group_left (y) b",
        "a * ignoring(x) b | a * ignoring (x) b",
        "a > bool 1 | a > bool 1",
        "a and on() b | a and on () b",
        "-a ^ 2 | -a ^ 2",
        "-(1) | -(1)",
        "- 1 | -1",
        "0x10 + 1e3 | 16 + 1000",
        "rate(foo[5m:30s] offset 1m) | rate(foo[5m:30s] offset 1m)",
        "max_over_time(rate(x[1m])[1h:]) | max_over_time(rate(x[1m])[1h:])",
        "1 + 2 * 3 | 1 + 2 * 3",
        "(1 + 2) * 3 | (1 + 2) * 3",
        "2 ^ 3 ^ 2 | 2 ^ 3 ^ 2",
        "label_replace(up, 'a', '$1', 'b', '(.*)') | label_replace(up, \"a\", \"$1\", \"b\", "
            + "\"(.*)\")",
        "x offset 2w | x offset 2w",
        "x offset 10d | x offset 10d",
        "Inf | +Inf",
        "\"a\\nb\" | \"a\\nb\"",
      })
  void printsAsPrometheus(String query, String want) {
    assertEquals(want, PromQL.parse(query).toString());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "1 - 2 - 3 | -4",
        "2 ^ 3 ^ 2 | 512",
        "1 + 2 * 3 | 7",
        "-2 ^ 2 | -4",
        "2 * 3 ^ 2 | 18",
        "1 - -1 | 2",
        "010 | 8",
      })
  void precedenceAndAssociativity(String query, double want) {
    assertEquals(want, Fold.constant(PromQL.parse(query)));
  }

  /** Folds a constant expression, to check how it was grouped. */
  static final class Fold {
    static double constant(Expr e) {
      if (e instanceof Expr.NumberLiteral n) {
        return n.value();
      }
      if (e instanceof Expr.Paren p) {
        return constant(p.expr());
      }
      if (e instanceof Expr.Unary u) {
        return u.negate() ? -constant(u.expr()) : constant(u.expr());
      }
      Expr.Binary b = (Expr.Binary) e;
      double l = constant(b.lhs());
      double r = constant(b.rhs());
      return switch (b.op()) {
        case ADD -> l + r;
        case SUB -> l - r;
        case MUL -> l * r;
        case POW -> Math.pow(l, r);
        default -> throw new AssertionError(b.op());
      };
    }
  }
}
