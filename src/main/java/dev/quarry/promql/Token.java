package dev.quarry.promql;

/**
 * One lexical item of a PromQL expression: its kind, its text as written and the offset of its
 * first character. Immutable.
 */
record Token(Kind kind, String text, int pos) {
  /** Token kinds; operators, keywords and aggregators print as Prometheus' parser prints them. */
  enum Kind {
    EOF,
    ERROR,
    IDENTIFIER,
    METRIC_IDENTIFIER,
    NUMBER,
    STRING,
    DURATION,
    LEFT_PAREN,
    RIGHT_PAREN,
    LEFT_BRACE,
    RIGHT_BRACE,
    LEFT_BRACKET,
    RIGHT_BRACKET,
    COMMA,
    COLON,
    EQL,
    AT,
    OPERATOR,
    KEYWORD,
    AGGREGATOR
  }

  boolean is(Kind k) {
    return kind == k;
  }

  /** Whether this is the operator or keyword {@code word} (case-insensitive). */
  boolean isWord(String word) {
    return (kind == Kind.OPERATOR || kind == Kind.KEYWORD || kind == Kind.AGGREGATOR)
        && text.equalsIgnoreCase(word);
  }

  /** How Prometheus names this token in "unexpected …" errors. */
  String desc() {
    return switch (kind) {
      case EOF -> "end of input";
      case ERROR -> text;
      case IDENTIFIER, METRIC_IDENTIFIER -> "identifier " + GoQuote.quote(text);
      case NUMBER -> "number " + shortQuote(text);
      case STRING -> "string " + shortQuote(text);
      case DURATION -> "duration " + shortQuote(text);
      case KEYWORD -> "<" + text + ">";
      case OPERATOR, AT -> "<op:" + text + ">";
      case AGGREGATOR -> "<aggr:" + text + ">";
      default -> GoQuote.quote(text);
    };
  }

  private static String shortQuote(String s) {
    if (s.codePointCount(0, s.length()) <= 10) {
      return GoQuote.quote(s);
    }
    return GoQuote.quote(s.substring(0, s.offsetByCodePoints(0, 10))) + "...";
  }
}
