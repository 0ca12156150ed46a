package dev.quarry.promql;

import dev.quarry.config.Durations;
import dev.quarry.promql.Token.Kind;
import java.util.List;

/**
 * The {@link Parser}'s position in a query's tokens, and the errors it reports there worded as
 * Prometheus': a lexer error token fails as soon as it is reached, and {@link #unexpected} names
 * the token, the construct and what was expected. Single use, one thread.
 */
final class TokenCursor {
  private final String query;
  private final List<Token> tokens;
  private int i;

  TokenCursor(String query, List<Token> tokens) {
    this.query = query;
    this.tokens = tokens;
  }

  long duration(Token d) {
    long ms;
    try {
      ms = Durations.parse(d.text()).toMillis();
    } catch (IllegalArgumentException e) {
      throw fail(d.pos(), e.getMessage());
    }
    if (ms <= 0) {
      throw fail(d.pos(), "duration must be greater than 0");
    }
    return ms;
  }

  double parseNumber(Token t) {
    try {
      return StringLiterals.number(t.text());
    } catch (NumberFormatException e) {
      throw fail(
          t.pos(),
          "error parsing number: strconv.ParseFloat: parsing "
              + GoQuote.quote(t.text())
              + ": invalid syntax");
    }
  }

  Token peek() {
    return tokens.get(i);
  }

  Token next() {
    Token t = tokens.get(i);
    if (t.is(Kind.ERROR)) {
      throw fail(t.pos(), t.text());
    }
    if (!t.is(Kind.EOF)) {
      i++;
    }
    return t;
  }

  ParseException unexpected(Token t, String context, String expected) {
    if (t.is(Kind.ERROR)) {
      return fail(t.pos(), t.text());
    }
    StringBuilder sb = new StringBuilder("unexpected ").append(t.desc());
    if (!context.isEmpty()) {
      sb.append(" in ").append(context);
    }
    if (!expected.isEmpty()) {
      sb.append(", expected ").append(expected);
    }
    return fail(t.pos(), sb.toString());
  }

  ParseException fail(int pos, String msg) {
    return new ParseException(query, pos, msg);
  }
}
