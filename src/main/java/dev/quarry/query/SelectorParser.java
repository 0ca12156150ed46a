package dev.quarry.query;

import dev.quarry.config.Durations;
import dev.quarry.model.Labels;
import dev.quarry.storage.Matcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses the part of PromQL Quarry evaluates: a vector selector ({@code metric}, {@code
 * metric{a="b",c!="d",e=~"re",f!~"re"}}, {@code {__name__=~"..."}}) with an optional range
 * ({@code [5m]}). Strings take PromQL's three quotes ({@code "…"}, {@code '…'} with Go escapes,
 * {@code `…`} raw). Functions, operators, aggregations, modifiers and literals are refused with a
 * message naming the construct; syntax errors say where ({@code 1:COL: parse error: …}).
 */
public final class SelectorParser {
  private static final Set<String> AGGREGATIONS =
      Set.of("sum", "avg", "min", "max", "count", "group", "stddev", "stdvar", "topk", "bottomk",
          "quantile", "count_values", "limitk", "limit_ratio");
  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "by", "without", "on", "ignoring", "group_left",
          "group_right", "bool", "offset", "atan2");

  private final String in;
  private int pos;

  private SelectorParser(String in) {
    this.in = in;
  }

  /** Parses {@code query}; throws {@link QueryException} (a {@code bad_data} error) when it fails. */
  public static Selector parse(String query) {
    if (query == null || query.isBlank()) {
      throw new QueryException("1:1: parse error: no expression found in input");
    }
    SelectorParser p = new SelectorParser(query);
    Selector s = p.selector();
    p.skipSpace();
    if (p.pos < p.in.length()) {
      throw p.unsupportedAfter();
    }
    return s;
  }

  private Selector selector() {
    skipSpace();
    List<Matcher> matchers = new ArrayList<>();
    String name = null;
    int nameAt = pos;
    if (pos < in.length() && isNameStart(in.charAt(pos))) {
      name = ident(true);
      skipSpace();
      if (pos < in.length() && in.charAt(pos) == '(') {
        throw new QueryException(
            (AGGREGATIONS.contains(name) ? "aggregation" : "function") + " \"" + name
                + "\" is not supported by Quarry: only vector selectors such as"
                + " metric{label=\"value\"} and metric[5m] are evaluated");
      }
      if (KEYWORDS.contains(name.toLowerCase(Locale.ROOT)) || AGGREGATIONS.contains(name)
          && pos < in.length() && isNameStart(in.charAt(pos))) {
        throw new QueryException("\"" + name + "\" is not supported by Quarry: only vector"
            + " selectors such as metric{label=\"value\"} and metric[5m] are evaluated");
      }
      if (name.equals("inf") || name.equals("nan") || name.equalsIgnoreCase("Inf")
          || name.equalsIgnoreCase("NaN")) {
        throw literal();
      }
      matchers.add(Matcher.eq(Labels.METRIC_NAME, name));
    } else if (pos < in.length() && in.charAt(pos) != '{') {
      char c = in.charAt(pos);
      if (Character.isDigit(c) || c == '.' || c == '-' || c == '+') {
        throw literal();
      }
      if (c == '"' || c == '\'' || c == '`') {
        throw new QueryException("string literals are not supported by Quarry: only vector"
            + " selectors such as metric{label=\"value\"} are evaluated");
      }
      if (c == '(') {
        throw new QueryException("parentheses are not supported by Quarry: only vector selectors"
            + " such as metric{label=\"value\"} are evaluated");
      }
      throw error("unexpected character: '" + c + "'");
    }
    skipSpace();
    boolean braces = pos < in.length() && in.charAt(pos) == '{';
    if (braces) {
      pos++;
      matchers(matchers, name, nameAt);
    }
    if (matchers.isEmpty() && !braces) {
      throw error("unexpected end of input");
    }
    boolean nonEmpty = false;
    for (Matcher m : matchers) {
      if (!m.matches("")) {
        nonEmpty = true;
        break;
      }
    }
    if (!nonEmpty) {
      throw new QueryException("1:1: parse error: vector selector must contain at least one"
          + " non-empty matcher");
    }
    skipSpace();
    long range = 0;
    if (pos < in.length() && in.charAt(pos) == '[') {
      int at = pos;
      int close = in.indexOf(']', pos);
      if (close < 0) {
        throw error("unclosed left bracket");
      }
      String d = in.substring(pos + 1, close).trim();
      if (d.contains(":")) {
        throw new QueryException("subqueries are not supported by Quarry");
      }
      try {
        range = Durations.parse(d).toMillis();
      } catch (RuntimeException e) {
        pos = at + 1;
        throw error("bad number or duration syntax: \"" + d + "\"");
      }
      if (range <= 0) {
        pos = at + 1;
        throw error("duration must be greater than 0");
      }
      pos = close + 1;
    }
    return new Selector(List.copyOf(matchers), range);
  }

  private void matchers(List<Matcher> out, String name, int nameAt) {
    while (true) {
      skipSpace();
      if (pos >= in.length()) {
        throw error("unexpected end of input inside braces");
      }
      if (in.charAt(pos) == '}') {
        pos++;
        return;
      }
      if (!isNameStart(in.charAt(pos)) && in.charAt(pos) != '"') {
        throw error("unexpected character inside braces: '" + in.charAt(pos) + "'");
      }
      String label = in.charAt(pos) == '"' ? string() : ident(false);
      skipSpace();
      Matcher.Type type = op();
      skipSpace();
      if (pos >= in.length() || "\"'`".indexOf(in.charAt(pos)) < 0) {
        throw error("unexpected " + (pos >= in.length() ? "end of input" : "character '"
            + in.charAt(pos) + "'") + " in label matching, expected string");
      }
      String value = string();
      if (label.equals(Labels.METRIC_NAME) && name != null) {
        throw new QueryException("1:" + (nameAt + 1) + ": parse error: metric name must not be"
            + " set twice: \"" + name + "\" or \"" + value + "\"");
      }
      try {
        out.add(new Matcher(type, label, value));
      } catch (IllegalArgumentException e) {
        throw new QueryException("1:1: parse error: " + e.getMessage());
      }
      skipSpace();
      if (pos < in.length() && in.charAt(pos) == ',') {
        pos++;
        continue;
      }
      skipSpace();
      if (pos < in.length() && in.charAt(pos) == '}') {
        pos++;
        return;
      }
      throw error(pos >= in.length() ? "unexpected end of input inside braces"
          : "unexpected character inside braces: '" + in.charAt(pos) + "'");
    }
  }

  private Matcher.Type op() {
    if (in.startsWith("=~", pos)) {
      pos += 2;
      return Matcher.Type.RE;
    }
    if (in.startsWith("!~", pos)) {
      pos += 2;
      return Matcher.Type.NRE;
    }
    if (in.startsWith("!=", pos)) {
      pos += 2;
      return Matcher.Type.NEQ;
    }
    if (in.startsWith("==", pos)) {
      throw error("unexpected \"==\" in label matching, expected one of \"=\", \"!=\", \"=~\" or \"!~\"");
    }
    if (pos < in.length() && in.charAt(pos) == '=') {
      pos++;
      return Matcher.Type.EQ;
    }
    throw error("unexpected " + (pos >= in.length() ? "end of input" : "character '"
        + in.charAt(pos) + "'") + " in label matching, expected label matching operator");
  }

  private String ident(boolean metric) {
    int start = pos;
    while (pos < in.length()) {
      char c = in.charAt(pos);
      if (Character.isLetterOrDigit(c) && c < 128 || c == '_' || (metric && c == ':')) {
        pos++;
      } else {
        break;
      }
    }
    return in.substring(start, pos);
  }

  private String string() {
    char q = in.charAt(pos);
    int start = pos;
    pos++;
    StringBuilder sb = new StringBuilder();
    while (pos < in.length()) {
      char c = in.charAt(pos++);
      if (c == q) {
        return sb.toString();
      }
      if (q == '`') {
        sb.append(c);
        continue;
      }
      if (c == '\n') {
        pos = start;
        throw error("unterminated quoted string");
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= in.length()) {
        break;
      }
      char e = in.charAt(pos++);
      switch (e) {
        case 'a' -> sb.append('\u0007');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'v' -> sb.append('\u000b');
        case '\\' -> sb.append('\\');
        case '"', '\'' -> {
          if (e != q) {
            pos -= 2;
            throw error("unknown escape sequence '\\" + e + "'");
          }
          sb.append(e);
        }
        case 'x' -> sb.append((char) hex(2));
        case 'u' -> sb.appendCodePoint(hex(4));
        case 'U' -> sb.appendCodePoint(hex(8));
        default -> {
          if (e >= '0' && e <= '7') {
            pos--;
            int v = 0;
            for (int i = 0; i < 3; i++) {
              char d = pos < in.length() ? in.charAt(pos) : 'x';
              if (d < '0' || d > '7') {
                throw error("invalid octal escape");
              }
              v = v * 8 + (d - '0');
              pos++;
            }
            sb.append((char) v);
          } else {
            pos -= 2;
            throw error("unknown escape sequence '\\" + e + "'");
          }
        }
      }
    }
    pos = start;
    throw error("unterminated quoted string");
  }

  private int hex(int digits) {
    if (pos + digits > in.length()) {
      throw error("invalid escape sequence");
    }
    try {
      int v = Integer.parseUnsignedInt(in.substring(pos, pos + digits), 16);
      pos += digits;
      return v;
    } catch (NumberFormatException e) {
      throw error("invalid escape sequence");
    }
  }

  private QueryException unsupportedAfter() {
    char c = in.charAt(pos);
    if ("+-*/%^<>=!".indexOf(c) >= 0) {
      return new QueryException("binary operators are not supported by Quarry: only vector"
          + " selectors such as metric{label=\"value\"} and metric[5m] are evaluated");
    }
    if (c == '@') {
      return new QueryException("the @ modifier is not supported by Quarry");
    }
    if (isNameStart(c)) {
      int save = pos;
      String word = ident(false);
      pos = save;
      if (word.equalsIgnoreCase("offset")) {
        return new QueryException("the offset modifier is not supported by Quarry");
      }
      if (KEYWORDS.contains(word.toLowerCase(Locale.ROOT))) {
        return new QueryException("binary operators are not supported by Quarry: only vector"
            + " selectors such as metric{label=\"value\"} and metric[5m] are evaluated");
      }
    }
    return error("unexpected character: '" + c + "'");
  }

  private QueryException literal() {
    return new QueryException("number literals are not supported by Quarry: only vector"
        + " selectors such as metric{label=\"value\"} and metric[5m] are evaluated");
  }

  private QueryException error(String msg) {
    return new QueryException("1:" + (pos + 1) + ": parse error: " + msg);
  }

  private void skipSpace() {
    while (pos < in.length() && Character.isWhitespace(in.charAt(pos))) {
      pos++;
    }
  }

  private static boolean isNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
  }
}
