package dev.quarry.relabel;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An RE2 regex as Prometheus' relabelling uses it: anchored at both ends, with {@code .} matching
 * newlines (the expression is read as {@code ^(?s:REGEX)$}), compiled once by re2j, whose matcher
 * takes time linear in the input whatever the expression (no backtracking: {@code ((a+)+)+b}
 * against 100,000 a's answers as fast as {@code a+b}).
 *
 * <p>The common shapes skip the regex engine altogether; the shape is found at compile time: a
 * plain literal compares strings, {@code .*} and {@code (.*)} match everything, {@code .+} and
 * {@code (.+)} anything non-empty, {@code foo.*}, {@code .*foo} and {@code .*foo.*} are prefix,
 * suffix and substring tests, an alternation of literals ({@code foo|bar}, {@code (foo|bar)}) looks
 * the string up in a set, and one-pass sequences such as {@code ([^:]+):\d+} are matched by {@link
 * OnePass} in one scan.
 *
 * <p>What re2j accepts and how it words errors follow Go's {@code regexp/syntax}, with the gaps
 * filled in by {@link Re2Prescan}: Go's limits on nested repeat counts and nesting depth, and group
 * names used twice. Errors are {@link Re2SyntaxException}s in Go's words.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class Re2Pattern {
  private enum Kind {
    LITERAL,
    ANY,
    NON_EMPTY,
    PREFIX,
    SUFFIX,
    CONTAINS,
    LITERAL_SET,
    ONE_PASS,
    REGEX
  }

  private static final String META = "\\.+*?()|[]{}^$";
  private static final String INTERNAL_ERROR = "regexp/syntax: internal error";

  /** Go's ceiling on a compiled program (128 MiB of 40-byte instructions). */
  static final int MAX_PROGRAM_SIZE = (128 << 20) / 40;

  /** Runs of non-consuming steps above this are matched on a large stack ({@link LargeStack}). */
  static final long DEEP_STEPS = 1000;

  private final String source;
  private final Kind kind;
  private final String literal;
  private final Set<String> literals;
  private final OnePass onePass;
  private final Pattern pattern;
  private final List<String> groupNames;
  private final boolean deep;

  /** Where deep REGEX matches run; null for the kinds that never need it. */
  private final LargeStack stack;

  /** For ANY, NON_EMPTY, LITERAL_SET: whether one group is around it, so group 1 is the input. */
  private final boolean wholeGroup;

  private Re2Pattern(
      String source, Kind kind, String literal, Set<String> literals, Compiled c, boolean group) {
    this(source, kind, literal, literals, null, c, group, null);
  }

  private Re2Pattern(
      String source,
      Kind kind,
      String literal,
      Set<String> literals,
      OnePass onePass,
      Compiled c,
      boolean group,
      LargeStack stack) {
    this.source = source;
    this.kind = kind;
    this.literal = literal;
    this.literals = literals;
    this.onePass = onePass;
    this.pattern = c.pattern;
    this.groupNames = c.names;
    this.deep = c.deep;
    this.wholeGroup = group;
    this.stack = stack;
  }

  private record Compiled(Pattern pattern, List<String> names, boolean deep) {}

  /**
   * Compiles an RE2 regex, anchored as Prometheus anchors relabel regexes. A deep expression (see
   * {@link LargeStack}) gets a large-stack thread of its own.
   *
   * @throws Re2SyntaxException with Go's wording when RE2 would refuse the expression
   */
  public static Re2Pattern compile(String regex) {
    return compile(regex, null);
  }

  /**
   * As {@link #compile(String)}, a deep expression matching on the threads of {@code stack} (null:
   * a stack of one thread of its own), so that an owner compiling many patterns bounds and shares
   * those threads.
   */
  public static Re2Pattern compile(String regex, LargeStack stack) {
    // Compiling the wrapped text, not the bare one, keeps Go's error texts (which quote the
    // wrapped expression) and Go's reading of odd input such as "a)|(b".
    Compiled c = compileAnchored("^(?s:" + regex + ")$");
    switch (regex) {
      case ".*", "(.*)" -> {
        return new Re2Pattern(regex, Kind.ANY, null, null, c, regex.startsWith("("));
      }
      case ".+", "(.+)" -> {
        return new Re2Pattern(regex, Kind.NON_EMPTY, null, null, c, regex.startsWith("("));
      }
      default -> {}
    }
    if (noMeta(regex, 0, regex.length())) {
      return new Re2Pattern(regex, Kind.LITERAL, regex, null, c, false);
    }
    int n = regex.length();
    boolean anyStart = regex.startsWith(".*");
    boolean anyEnd = regex.endsWith(".*");
    if (anyStart && anyEnd && n >= 4 && noMeta(regex, 2, n - 2)) {
      return new Re2Pattern(regex, Kind.CONTAINS, regex.substring(2, n - 2), null, c, false);
    }
    if (anyEnd && noMeta(regex, 0, n - 2)) {
      return new Re2Pattern(regex, Kind.PREFIX, regex.substring(0, n - 2), null, c, false);
    }
    if (anyStart && noMeta(regex, 2, n)) {
      return new Re2Pattern(regex, Kind.SUFFIX, regex.substring(2), null, c, false);
    }
    if (isLiteralAlternation(regex)) {
      Set<String> set = Set.copyOf(List.of(regex.split("\\|", -1)));
      return new Re2Pattern(regex, Kind.LITERAL_SET, null, set, c, false);
    }
    if (n > 2 && regex.charAt(0) == '(' && regex.charAt(n - 1) == ')') {
      String inner = regex.substring(1, n - 1);
      if (isLiteralAlternation(inner)) {
        Set<String> set = Set.copyOf(List.of(inner.split("\\|", -1)));
        return new Re2Pattern(regex, Kind.LITERAL_SET, null, set, c, true);
      }
    }
    OnePass onePass = OnePass.compile(regex);
    if (onePass != null && onePass.groupCount() == c.names.size() - 1) {
      return new Re2Pattern(regex, Kind.ONE_PASS, null, null, onePass, c, false, null);
    }
    LargeStack deepStack = !c.deep ? null : stack != null ? stack : new LargeStack(1);
    return new Re2Pattern(regex, Kind.REGEX, null, null, null, c, false, deepStack);
  }

  private static Compiled compileAnchored(String anchored) {
    Re2Prescan.Result scan = Re2Prescan.scan(anchored);
    String text = scan.rewritten();
    Pattern p;
    try {
      p = Pattern.compile(text);
    } catch (PatternSyntaxException e) {
      throw goError(e, anchored, text);
    } catch (StackOverflowError e) {
      // Only when the prescan could not read the expression; Go refuses such depth too.
      throw new Re2SyntaxException(Re2Prescan.NESTING_DEPTH, anchored);
    } catch (RuntimeException e) {
      throw new Re2SyntaxException(INTERNAL_ERROR, anchored);
    }
    if (p.programSize() > MAX_PROGRAM_SIZE) {
      throw new Re2SyntaxException(Re2Prescan.TOO_LARGE, anchored);
    }
    List<String> names;
    if (scan.complete() && scan.names().size() == p.groupCount() + 1) {
      names = scan.names();
    } else {
      names = namesOf(p);
    }
    // An expression the prescan could not read has no bound: treat it as deep to be safe.
    boolean deep = !scan.complete() || scan.emptySteps() > DEEP_STEPS;
    return new Compiled(p, names, deep);
  }

  private static List<String> namesOf(Pattern p) {
    List<String> names = new ArrayList<>(Collections.nCopies(p.groupCount() + 1, ""));
    for (Map.Entry<String, Integer> e : p.namedGroups().entrySet()) {
      names.set(e.getValue(), e.getKey());
    }
    return List.copyOf(names);
  }

  /** re2j's error in Go's words; re2j quotes the same pieces except for a stray ')'. */
  private static Re2SyntaxException goError(
      PatternSyntaxException e, String anchored, String compiled) {
    String code = e.getDescription();
    String expr = e.getPattern();
    if (INTERNAL_ERROR.equals(code) && "stack underflow".equals(expr)) {
      return new Re2SyntaxException("unexpected )", anchored);
    }
    if (compiled.equals(expr)) {
      expr = anchored; // the whole expression as written, not as renamed for re2j
    }
    return new Re2SyntaxException(code == null ? INTERNAL_ERROR : code, expr == null ? "" : expr);
  }

  private static boolean noMeta(String s, int from, int to) {
    for (int i = from; i < to; i++) {
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
      case NON_EMPTY -> !s.isEmpty();
      case LITERAL -> literal.equals(s);
      case PREFIX -> s.startsWith(literal);
      case SUFFIX -> s.endsWith(literal);
      case CONTAINS -> s.contains(literal);
      case LITERAL_SET -> literals.contains(s);
      case ONE_PASS -> onePass.match(s, false) != null;
      case REGEX -> deep ? stack.call(() -> regexMatches(s)) : regexMatches(s);
    };
  }

  private boolean regexMatches(String s) {
    try {
      // A search, as Go's MatchString: the anchors are in the text, and "a)|(b" leaves one out.
      return pattern.matcher(s).find();
    } catch (StackOverflowError e) {
      throw tooDeep();
    }
  }

  private IllegalStateException tooDeep() {
    return new IllegalStateException(
        "regex is too deeply nested for the matcher's stack: `" + source + "`");
  }

  /**
   * The match of {@code s} as Go's {@code FindStringSubmatchIndex} reports it: start and end of
   * each group, group 0 first, -1 for a group that took no part; null when there is no match.
   */
  public int[] match(String s) {
    if (kind == Kind.REGEX) {
      return deep ? stack.call(() -> regexMatch(s)) : regexMatch(s);
    }
    if (kind == Kind.ONE_PASS) {
      return onePass.match(s, true);
    }
    if (!matches(s)) {
      return null;
    }
    return wholeGroup ? new int[] {0, s.length(), 0, s.length()} : new int[] {0, s.length()};
  }

  private int[] regexMatch(String s) {
    try {
      Matcher m = pattern.matcher(s);
      if (!m.find()) {
        return null;
      }
      int groups = m.groupCount();
      int[] idx = new int[2 * (groups + 1)];
      for (int g = 0; g <= groups; g++) {
        idx[2 * g] = m.start(g);
        idx[2 * g + 1] = m.end(g);
      }
      return idx;
    } catch (StackOverflowError e) {
      throw tooDeep();
    }
  }

  /** Whether this pattern is {@code (.*)}: it matches anything and group 1 is the input. */
  boolean isCaptureAll() {
    return kind == Kind.ANY && wholeGroup;
  }

  @Override
  public String toString() {
    return source;
  }
}
