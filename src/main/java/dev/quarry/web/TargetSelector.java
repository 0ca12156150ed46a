package dev.quarry.web;

import dev.quarry.model.Labels;
import dev.quarry.relabel.Re2Pattern;
import java.util.ArrayList;
import java.util.List;

/**
 * A series selector used to pick targets ({@code match_target}): {@code {job="x",
 * instance=~"10\\..*"}} with the operators {@code = != =~ !~}, values quoted as PromQL strings
 * ("…", '…' or `…`), and an optional leading metric name. Regexes are fully anchored RE2.
 */
final class TargetSelector {
  private record Matcher(String name, String op, String value, Re2Pattern re) {
    boolean matches(Labels l) {
      String v = l.get(name);
      return switch (op) {
        case "=" -> v.equals(value);
        case "!=" -> !v.equals(value);
        case "=~" -> re.matches(v);
        default -> !re.matches(v);
      };
    }
  }

  private final List<Matcher> matchers;

  private TargetSelector(List<Matcher> matchers) {
    this.matchers = matchers;
  }

  boolean matches(Labels l) {
    for (Matcher m : matchers) {
      if (!m.matches(l)) {
        return false;
      }
    }
    return true;
  }

  /**
   * @throws IllegalArgumentException with the position of the error, as {@code 1:7: parse error: …}
   */
  static TargetSelector parse(String s) {
    List<Matcher> out = new ArrayList<>();
    int[] pos = {0};
    skipSpace(s, pos);
    String metric = ident(s, pos);
    if (!metric.isEmpty()) {
      out.add(new Matcher("__name__", "=", metric, null));
      skipSpace(s, pos);
    }
    if (pos[0] < s.length() && s.charAt(pos[0]) == '{') {
      pos[0]++;
      while (true) {
        skipSpace(s, pos);
        if (pos[0] < s.length() && s.charAt(pos[0]) == '}') {
          pos[0]++;
          break;
        }
        String name = ident(s, pos);
        if (name.isEmpty()) {
          throw error(s, pos[0], "expected label name");
        }
        skipSpace(s, pos);
        String op = op(s, pos);
        skipSpace(s, pos);
        String value = string(s, pos);
        Re2Pattern re = null;
        if (op.endsWith("~")) {
          try {
            re = Re2Pattern.compile(value);
          } catch (RuntimeException e) {
            throw error(s, pos[0], e.getMessage());
          }
        }
        out.add(new Matcher(name, op, value, re));
        skipSpace(s, pos);
        if (pos[0] < s.length() && s.charAt(pos[0]) == ',') {
          pos[0]++;
        } else if (pos[0] >= s.length() || s.charAt(pos[0]) != '}') {
          throw error(s, pos[0], "expected \",\" or \"}\" in label matching");
        }
      }
    }
    skipSpace(s, pos);
    if (pos[0] != s.length()) {
      throw error(s, pos[0], "unexpected character " + s.charAt(pos[0]));
    }
    if (out.isEmpty()) {
      throw error(s, 0, "vector selector must contain at least one non-empty matcher");
    }
    return new TargetSelector(out);
  }

  private static IllegalArgumentException error(String s, int at, String msg) {
    return new IllegalArgumentException("1:" + (at + 1) + ": parse error: " + msg);
  }

  private static void skipSpace(String s, int[] pos) {
    while (pos[0] < s.length() && Character.isWhitespace(s.charAt(pos[0]))) {
      pos[0]++;
    }
  }

  private static String ident(String s, int[] pos) {
    int start = pos[0];
    while (pos[0] < s.length()) {
      char c = s.charAt(pos[0]);
      boolean ok =
          c == '_' || c == ':' || Character.isLetter(c) || (pos[0] > start && Character.isDigit(c));
      if (!ok || c > 0x7f) {
        break;
      }
      pos[0]++;
    }
    return s.substring(start, pos[0]);
  }

  private static String op(String s, int[] pos) {
    for (String op : new String[] {"=~", "!~", "!=", "="}) {
      if (s.startsWith(op, pos[0])) {
        pos[0] += op.length();
        return op;
      }
    }
    throw error(s, pos[0], "expected label matching operator");
  }

  private static String string(String s, int[] pos) {
    if (pos[0] >= s.length()) {
      throw error(s, pos[0], "expected string");
    }
    char q = s.charAt(pos[0]);
    if (q != '"' && q != '\'' && q != '`') {
      throw error(s, pos[0], "expected string");
    }
    StringBuilder sb = new StringBuilder();
    int i = pos[0] + 1;
    while (i < s.length() && s.charAt(i) != q) {
      char c = s.charAt(i);
      if (c == '\\' && q != '`' && i + 1 < s.length()) {
        char e = s.charAt(++i);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          case '\\', '"', '\'' -> sb.append(e);
          default -> sb.append('\\').append(e);
        }
      } else {
        sb.append(c);
      }
      i++;
    }
    if (i >= s.length()) {
      throw error(s, pos[0], "unterminated quoted string");
    }
    pos[0] = i + 1;
    return sb.toString();
  }
}
