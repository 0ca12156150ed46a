package dev.quarry.promql;

import dev.quarry.promql.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits a PromQL expression into tokens as Prometheus 2.42's lexer does: label names inside
 * braces, durations inside brackets, numbers (decimal, hex, {@code Inf}, {@code NaN}) or durations
 * elsewhere, strings in three quotes with Go's escapes, {@code #} comments. A lexical error ends
 * the list as an {@link Kind#ERROR} token, which the parser reports when it reaches it, so an
 * earlier syntax error wins as in Prometheus. Single use, one thread.
 */
final class Lexer {
  static final Set<String> AGGREGATORS =
      Set.of(
          "sum",
          "avg",
          "count",
          "min",
          "max",
          "group",
          "stddev",
          "stdvar",
          "topk",
          "bottomk",
          "count_values",
          "quantile");
  static final Set<String> OPERATOR_WORDS = Set.of("and", "or", "unless", "atan2");
  static final Set<String> KEYWORDS =
      Set.of(
          "offset",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "start",
          "end");

  private final String in;
  private final List<Token> out = new ArrayList<>();
  private int pos;
  private int parenDepth;

  private Lexer(String in) {
    this.in = in;
  }

  static List<Token> lex(String in) {
    Lexer l = new Lexer(in);
    l.run();
    return l.out;
  }

  private void run() {
    boolean braces = false;
    boolean brackets = false;
    while (true) {
      skipSpaceAndComments();
      int start = pos;
      if (pos >= in.length()) {
        if (braces) {
          error(start, "unexpected end of input inside braces");
        } else if (brackets) {
          error(start, "unclosed left bracket");
        } else if (parenDepth > 0) {
          error(start, "unclosed left parenthesis");
        } else {
          out.add(new Token(Kind.EOF, "", start));
        }
        return;
      }
      char c = in.charAt(pos);
      if (braces) {
        if (!insideBraces(c, start)) {
          return;
        }
        braces = !out.get(out.size() - 1).is(Kind.RIGHT_BRACE);
        continue;
      }
      if (brackets) {
        int before = out.size();
        if (insideBrackets(c, start)) {
          brackets = !out.get(out.size() - 1).is(Kind.RIGHT_BRACKET);
          continue;
        }
        if (out.size() > before) {
          return; // a lexical error
        }
        // anything else lexes as outside, for the parser to report
      }
      pos++;
      switch (c) {
        case ',' -> emit(Kind.COMMA, start);
        case '(' -> {
          parenDepth++;
          emit(Kind.LEFT_PAREN, start);
        }
        case ')' -> {
          if (--parenDepth < 0) {
            error(pos, "unexpected right parenthesis ')'");
            return;
          }
          emit(Kind.RIGHT_PAREN, start);
        }
        case '{' -> {
          emit(Kind.LEFT_BRACE, start);
          braces = true;
        }
        case '}' -> {
          error(start, "unexpected right brace '}'");
          return;
        }
        case '[' -> {
          emit(Kind.LEFT_BRACKET, start);
          brackets = true;
        }
        case ']' -> {
          error(start, "unexpected right bracket ']'");
          return;
        }
        case '@' -> emit(Kind.AT, start);
        case '+', '-', '*', '/', '%', '^' -> emit(Kind.OPERATOR, start);
        case '=' -> {
          emit(accept('=') || accept('~') ? Kind.OPERATOR : Kind.EQL, start);
        }
        case '!' -> {
          if (accept('=') || accept('~')) {
            emit(Kind.OPERATOR, start);
          } else {
            error(start, "unexpected character after '!': " + runeQuote(peekRune()));
            return;
          }
        }
        case '<', '>' -> {
          accept('=');
          emit(Kind.OPERATOR, start);
        }
        case '"', '\'', '`' -> {
          if (!string(c, start)) {
            return;
          }
        }
        default -> {
          if (isDigit(c) || c == '.' && pos < in.length() && isDigit(in.charAt(pos))) {
            pos--;
            if (!numberOrDuration(start)) {
              return;
            }
          } else if (isAlpha(c) || c == ':') {
            pos--;
            word(start);
          } else {
            pos--;
            error(start, "unexpected character: " + runeQuote(peekRune()));
            return;
          }
        }
      }
    }
  }

  /** Consumes the next character if it is {@code c}. */
  private boolean accept(char c) {
    if (pos < in.length() && in.charAt(pos) == c) {
      pos++;
      return true;
    }
    return false;
  }

  private boolean insideBraces(char c, int start) {
    pos++;
    switch (c) {
      case ',' -> emit(Kind.COMMA, start);
      case '}' -> emit(Kind.RIGHT_BRACE, start);
      case '"', '\'', '`' -> {
        return string(c, start);
      }
      case '=' -> {
        emit(accept('~') ? Kind.OPERATOR : Kind.EQL, start);
      }
      case '!' -> {
        if (accept('=') || accept('~')) {
          emit(Kind.OPERATOR, start);
        } else {
          error(start, "unexpected character after '!' inside braces: " + runeQuote(peekRune()));
          return false;
        }
      }
      case '{' -> {
        error(start, "unexpected left brace '{' inside braces");
        return false;
      }
      default -> {
        if (isAlpha(c)) {
          while (pos < in.length() && isAlphaNumeric(in.charAt(pos))) {
            pos++;
          }
          emit(Kind.IDENTIFIER, start);
        } else {
          pos--;
          error(start, "unexpected character inside braces: " + runeQuote(peekRune()));
          return false;
        }
      }
    }
    return true;
  }

  private boolean insideBrackets(char c, int start) {
    if (c == ']') {
      pos++;
      emit(Kind.RIGHT_BRACKET, start);
      return true;
    }
    if (c == ':') {
      pos++;
      if (out.get(out.size() - 1).is(Kind.COLON)
          || out.size() > 1 && out.get(out.size() - 2).is(Kind.COLON)) {
        error(start, "unexpected colon ':'");
        return false;
      }
      emit(Kind.COLON, start);
      return true;
    }
    if (c == '-') {
      error(start, "missing unit character in duration");
      return false;
    }
    if (isDigit(c)) {
      if (scanNumber()) {
        error(start, "missing unit character in duration");
        return false;
      }
      if (!remainingDuration()) {
        error(start, "bad duration syntax: " + GoQuote.quote(in.substring(start, pos)));
        return false;
      }
      pos--;
      emit(Kind.DURATION, start);
      return true;
    }
    if (c == '[') {
      error(start, "unexpected left bracket '['");
      return false;
    }
    return false;
  }

  private boolean numberOrDuration(int start) {
    if (scanNumber()) {
      emit(Kind.NUMBER, start);
      return true;
    }
    if (remainingDuration()) {
      pos--;
      emit(Kind.DURATION, start);
      return true;
    }
    error(
        start,
        "bad number or duration syntax: "
            + GoQuote.quote(in.substring(start, Math.min(pos, in.length()))));
    return false;
  }

  /** Go's lexer scanNumber: true when a number ends here, not followed by a letter or digit. */
  private boolean scanNumber() {
    String digits = "0123456789";
    if (accept("0") && accept("xX")) {
      digits = "0123456789abcdefABCDEF";
    }
    acceptRun(digits);
    if (accept(".")) {
      acceptRun(digits);
    }
    if (accept("eE")) {
      accept("+-");
      acceptRun("0123456789");
    }
    return pos >= in.length() || !isAlphaNumeric(in.charAt(pos));
  }

  /** The unit part of a duration; leaves pos one past the character after it, as Go's. */
  private boolean remainingDuration() {
    if (!accept("smhdwy")) {
      return false;
    }
    accept("s");
    while (accept("0123456789")) {
      acceptRun("0123456789");
      if (!accept("smhdw")) {
        return false;
      }
      accept("s");
    }
    boolean ok = pos >= in.length() || !isAlphaNumeric(in.charAt(pos));
    pos++;
    return ok;
  }

  private void word(int start) {
    boolean colon = false;
    while (pos < in.length() && (isAlphaNumeric(in.charAt(pos)) || in.charAt(pos) == ':')) {
      colon |= in.charAt(pos) == ':';
      pos++;
    }
    String w = in.substring(start, pos);
    String lower = w.toLowerCase(Locale.ROOT);
    if (colon) {
      emit(Kind.METRIC_IDENTIFIER, start);
    } else if (lower.equals("inf") || lower.equals("nan")) {
      emit(Kind.NUMBER, start);
    } else if (AGGREGATORS.contains(lower)) {
      emit(Kind.AGGREGATOR, start);
    } else if (OPERATOR_WORDS.contains(lower)) {
      emit(Kind.OPERATOR, start);
    } else if (KEYWORDS.contains(lower)) {
      emit(Kind.KEYWORD, start);
    } else {
      emit(Kind.IDENTIFIER, start);
    }
  }

  /** Scans a quoted string, checking escapes as Go's lexer does; the token keeps the quotes. */
  private boolean string(char q, int start) {
    while (true) {
      if (pos >= in.length()) {
        error(start, q == '`' ? "unterminated raw string" : "unterminated quoted string");
        return false;
      }
      char c = in.charAt(pos++);
      if (c == q) {
        emit(Kind.STRING, start);
        return true;
      }
      if (q == '`') {
        continue;
      }
      if (c == '\n') {
        error(start, "unterminated quoted string");
        return false;
      }
      if (c == '\\') {
        String err = StringLiterals.checkEscape(in, pos, q);
        if (err != null) {
          error(start, err);
          return false;
        }
        pos = StringLiterals.escapeEnd(in, pos);
      }
    }
  }

  private void skipSpaceAndComments() {
    while (pos < in.length()) {
      char c = in.charAt(pos);
      if (c == '#') {
        while (pos < in.length() && in.charAt(pos) != '\n') {
          pos++;
        }
      } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        pos++;
      } else {
        return;
      }
    }
  }

  private boolean accept(String valid) {
    if (pos < in.length() && valid.indexOf(in.charAt(pos)) >= 0) {
      pos++;
      return true;
    }
    return false;
  }

  private void acceptRun(String valid) {
    while (accept(valid)) {
      // consume
    }
  }

  private int peekRune() {
    return pos < in.length() ? in.codePointAt(pos) : -1;
  }

  private void emit(Kind k, int start) {
    out.add(new Token(k, in.substring(start, pos), start));
  }

  private void error(int at, String msg) {
    out.add(new Token(Kind.ERROR, msg, at));
  }

  /** Go's {@code %q} of a rune: {@code '~'}. */
  static String runeQuote(int c) {
    if (c < 0) {
      return "'\uFFFD'";
    }
    if (c == '\'') {
      return "'\\''";
    }
    String q = GoQuote.quote(new String(Character.toChars(c)));
    return "'" + q.substring(1, q.length() - 1).replace("\\\"", "\"") + "'";
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isOctalDigit(int c) {
    return c >= '0' && c <= '7';
  }

  static boolean isAlpha(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  static boolean isAlphaNumeric(char c) {
    return isAlpha(c) || isDigit(c) || Character.isLetterOrDigit(c);
  }
}
