package dev.quarry.relabel;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An RE2 regex as Prometheus' relabelling uses it: anchored at both ends, with {@code .} matching
 * newlines (the expression is read as {@code ^(?s:REGEX)$}), translated once to Java and compiled
 * once.
 *
 * <p>The common shapes skip the regex engine altogether; the shape is found at compile time: a
 * plain literal compares strings, {@code .*} and {@code (.*)} match everything, and an alternation
 * of literals ({@code foo|bar}) looks the string up in a set.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class Re2Pattern {
  private enum Kind {
    LITERAL,
    ANY,
    LITERAL_SET,
    REGEX
  }

  private static final String META = "\\.+*?()|[]{}^$";

  private final String source;
  private final Kind kind;
  private final String literal;
  private final Set<String> literals;
  private final Pattern pattern;
  private final List<String> groupNames;

  /** For ANY: whether the regex is {@code (.*)}, so group 1 is the whole string. */
  private final boolean anyWithGroup;

  private Re2Pattern(
      String source,
      Kind kind,
      String literal,
      Set<String> literals,
      Pattern pattern,
      List<String> groupNames,
      boolean anyWithGroup) {
    this.source = source;
    this.kind = kind;
    this.literal = literal;
    this.literals = literals;
    this.pattern = pattern;
    this.groupNames = groupNames;
    this.anyWithGroup = anyWithGroup;
  }

  /**
   * Compiles an RE2 regex, anchored as Prometheus anchors relabel regexes.
   *
   * @throws Re2SyntaxException with Go's wording when RE2 would refuse the expression
   */
  public static Re2Pattern compile(String regex) {
    // Translating the wrapped text, not the bare one, keeps Go's error texts (which quote the
    // wrapped expression) and Go's reading of odd input such as "a)|(b".
    Re2Translator.Result t = Re2Translator.translate("^(?s:" + regex + ")$");
    Pattern p;
    try {
      p = Pattern.compile(t.javaRegex(), Pattern.UNIX_LINES | Pattern.UNICODE_CASE);
    } catch (PatternSyntaxException e) {
      // The translator emits only what Java reads; this is the last line of defence.
      throw new Re2SyntaxException(e.getDescription(), regex);
    }
    if (regex.equals(".*") || regex.equals("(.*)")) {
      return new Re2Pattern(regex, Kind.ANY, null, null, p, t.groupNames(), regex.startsWith("("));
    }
    if (noMeta(regex)) {
      return new Re2Pattern(regex, Kind.LITERAL, regex, null, p, t.groupNames(), false);
    }
    if (isLiteralAlternation(regex)) {
      Set<String> set = Set.copyOf(List.of(regex.split("\\|", -1)));
      return new Re2Pattern(regex, Kind.LITERAL_SET, null, set, p, t.groupNames(), false);
    }
    return new Re2Pattern(regex, Kind.REGEX, null, null, p, t.groupNames(), false);
  }

  private static boolean noMeta(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (META.indexOf(s.charAt(i)) >= 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLiteralAlternation(String s) {
    if (s.indexOf('|') < 0) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '|' && META.indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** The regex as written, without the anchors. */
  public String source() {
    return source;
  }

  /** Number of capture groups. */
  public int groupCount() {
    return groupNames.size() - 1;
  }

  /** Name of capture group {@code i} (1-based), or "" when unnamed. */
  public String groupName(int i) {
    return groupNames.get(i);
  }

  /** Whether the whole of {@code s} matches. */
  public boolean matches(String s) {
    return switch (kind) {
      case ANY -> true;
      case LITERAL -> literal.equals(s);
      case LITERAL_SET -> literals.contains(s);
      case REGEX -> pattern.matcher(s).find();
    };
  }

  /**
   * The match of {@code s} as Go's {@code FindStringSubmatchIndex} reports it: start and end of
   * each group, group 0 first, -1 for a group that took no part; null when there is no match.
   */
  public int[] match(String s) {
    switch (kind) {
      case ANY:
        return anyWithGroup ? new int[] {0, s.length(), 0, s.length()} : new int[] {0, s.length()};
      case LITERAL:
        return literal.equals(s) ? new int[] {0, s.length()} : null;
      case LITERAL_SET:
        return literals.contains(s) ? new int[] {0, s.length()} : null;
      default:
        Matcher m = pattern.matcher(s);
        if (!m.find()) {
          return null;
        }
        int[] idx = new int[2 * (m.groupCount() + 1)];
        for (int g = 0; g <= m.groupCount(); g++) {
          idx[2 * g] = m.start(g);
          idx[2 * g + 1] = m.end(g);
        }
        return idx;
    }
  }

  /** Whether this pattern is {@code (.*)}: it matches anything and group 1 is the input. */
  boolean isCaptureAll() {
    return kind == Kind.ANY && anyWithGroup;
  }

  @Override
  public String toString() {
    return source;
  }
}
