package dev.quarry.relabel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Rewrites an RE2 (Go {@code regexp}) expression into a {@link java.util.regex.Pattern} expression
 * that matches the same strings, and rejects what RE2 rejects with Go's wording.
 *
 * <p>The two dialects look alike but differ in ways that silently change matches, so nothing is
 * passed through unread: every construct is parsed and re-emitted. The differences handled:
 *
 * <ul>
 *   <li>named groups ({@code (?P<n>…)}, {@code (?<n>…)}) become plain groups; names are kept here
 *       because Go allows names Java does not ({@code 1x}, {@code a_b});
 *   <li>{@code $} without {@code (?m)} is end of text in RE2 but "before a final newline" in
 *       Java; {@code ^}/{@code $} are therefore emitted as explicit assertions;
 *   <li>{@code (?U)} (ungreedy) does not exist in Java: it is applied by flipping each quantifier;
 *   <li>POSIX classes {@code [[:alpha:]]}, {@code \s} without {@code \v}, ASCII {@code \b}, octal
 *       escapes, {@code \v}, literal {@code [} and {@code &&} inside classes, literal {@code {};
 *   <li>backreferences, lookarounds, possessive and atomic forms are refused, as RE2 does.
 * </ul>
 *
 * <p>Instances are single-use and not thread-safe; {@link #translate} is the entry point.
 */
final class Re2Translator {
  static final String MISSING_PAREN = "missing closing )";
  static final String UNEXPECTED_PAREN = "unexpected )";
  static final String MISSING_BRACKET = "missing closing ]";
  static final String INVALID_ESCAPE = "invalid escape sequence";
  static final String INVALID_CHAR_RANGE = "invalid character class range";
  static final String INVALID_NAMED_CAPTURE = "invalid named capture";
  static final String INVALID_PERL_OP = "invalid or unsupported Perl syntax";
  static final String INVALID_REPEAT_OP = "invalid nested repetition operator";
  static final String INVALID_REPEAT_SIZE = "invalid repeat count";
  static final String MISSING_REPEAT_ARG = "missing argument to repetition operator";
  static final String TRAILING_BACKSLASH = "trailing backslash at end of expression";

  /**
   * The Java expression and the Go names of its capture groups (index 0 unused, null = unnamed).
   */
  record Result(String javaRegex, List<String> groupNames) {}

  private static final int FOLD_CASE = 1; // (?i)
  private static final int MULTI_LINE = 2; // (?m)
  private static final int DOT_NL = 4; // (?s)
  private static final int NON_GREEDY = 8; // (?U)

  // Go's RE2 POSIX classes are ASCII-only, like Java's \p{...} POSIX names without flags.
  private static final Map<String, String> POSIX =
      Map.ofEntries(
          Map.entry("alnum", "\\p{Alnum}"),
          Map.entry("alpha", "\\p{Alpha}"),
          Map.entry("ascii", "\\p{ASCII}"),
          Map.entry("blank", "\\p{Blank}"),
          Map.entry("cntrl", "\\p{Cntrl}"),
          Map.entry("digit", "\\p{Digit}"),
          Map.entry("graph", "\\p{Graph}"),
          Map.entry("lower", "\\p{Lower}"),
          Map.entry("print", "\\p{Print}"),
          Map.entry("punct", "\\p{Punct}"),
          Map.entry("space", "\\p{Space}"),
          Map.entry("upper", "\\p{Upper}"),
          Map.entry("word", "\\w"),
          Map.entry("xdigit", "\\p{XDigit}"));

  // RE2's \s is [\t\n\f\r ]: unlike Java's it has no \x0B.
  private static final String SPACE_CHARS = "\\t\\n\\f\\r\\x{20}";
  private static final String WORD_BOUNDARY = "(?:(?<=\\w)(?!\\w)|(?<!\\w)(?=\\w))";
  private static final String NOT_WORD_BOUNDARY = "(?:(?<=\\w)(?=\\w)|(?<!\\w)(?!\\w))";

  private final String src;
  private final int len;
  private final StringBuilder out;
  private final List<String> names = new ArrayList<>();
  private final ArrayDeque<Integer> openFlags = new ArrayDeque<>();
  private int pos;
  private int flags;

  /** True where a repetition operator would have nothing to repeat. */
  private boolean atomStart = true;

  /** Where the previous item's repetition operator began, or -1 when it was not one. */
  private int lastRepeat = -1;

  private Re2Translator(String src) {
    this.src = src;
    this.len = src.length();
    this.out = new StringBuilder(len + 16);
    names.add(null);
  }

  /** Translates a whole RE2 expression; throws {@link Re2SyntaxException} as Go would. */
  static Result translate(String re2) {
    return new Re2Translator(re2).run();
  }

  private Result run() {
    while (pos < len) {
      int repeatStart = -1;
      char c = src.charAt(pos);
      switch (c) {
        case '(' -> openGroup();
        case ')' -> closeGroup();
        case '|' -> {
          out.append('|');
          pos++;
          atomStart = true;
        }
        case '^' -> emitAtom((flags & MULTI_LINE) != 0 ? "(?:(?<![^\\n]))" : "(?:\\A)", 1);
        case '$' -> emitAtom((flags & MULTI_LINE) != 0 ? "(?:(?![^\\n]))" : "(?:\\z)", 1);
        case '.' -> emitAtom(".", 1);
        case '[' -> {
          out.append(parseClass());
          atomStart = false;
        }
        case '*', '+', '?' -> {
          repeatStart = pos;
          repeat(pos + 1, String.valueOf(c));
        }
        case '{' -> {
          int end = braceRepeatEnd();
          if (end < 0) {
            emitAtom("\\{", 1); // RE2 reads a '{' that starts no valid count as a literal
          } else {
            repeatStart = pos;
            repeat(end, src.substring(pos, end));
          }
        }
        case '\\' -> escape();
        default -> {
          int cp = src.codePointAt(pos);
          appendLiteral(out, cp);
          pos += Character.charCount(cp);
          atomStart = false;
        }
      }
      lastRepeat = repeatStart;
    }
    if (!openFlags.isEmpty()) {
      throw new Re2SyntaxException(MISSING_PAREN, src);
    }
    return new Result(out.toString(), List.copyOf(nullSafe(names)));
  }

  private static List<String> nullSafe(List<String> names) {
    // List.copyOf refuses nulls; keep unnamed groups as "" instead.
    List<String> copy = new ArrayList<>(names.size());
    for (String n : names) {
      copy.add(n == null ? "" : n);
    }
    return copy;
  }

  private void emitAtom(String java, int consumed) {
    out.append(java);
    pos += consumed;
    atomStart = false;
  }

  private void repeat(int opEnd, String javaOp) {
    int after = opEnd;
    boolean lazy = false;
    if (after < len && src.charAt(after) == '?') {
      lazy = true;
      after++;
    }
    if (lastRepeat >= 0) {
      throw new Re2SyntaxException(INVALID_REPEAT_OP, src.substring(lastRepeat, after));
    }
    if (atomStart) {
      throw new Re2SyntaxException(MISSING_REPEAT_ARG, src.substring(pos, after));
    }
    if ((flags & NON_GREEDY) != 0) {
      lazy = !lazy;
    }
    out.append(javaOp);
    if (lazy) {
      out.append('?');
    }
    pos = after;
  }

  /** End of a valid {@code {n}}, {@code {n,}} or {@code {n,m}} at pos, or -1 (a literal brace). */
  private int braceRepeatEnd() {
    int i = pos + 1;
    int minStart = i;
    i = skipDigits(i);
    if (i == minStart || hasLeadingZero(minStart, i)) {
      return -1;
    }
    long min = parseCount(minStart, i);
    long max = min;
    if (i < len && src.charAt(i) == ',') {
      i++;
      int maxStart = i;
      i = skipDigits(i);
      if (i == maxStart) {
        max = -1;
      } else if (hasLeadingZero(maxStart, i)) {
        return -1;
      } else {
        max = parseCount(maxStart, i);
      }
    }
    if (i >= len || src.charAt(i) != '}') {
      return -1;
    }
    i++;
    if (min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max)) {
      throw new Re2SyntaxException(INVALID_REPEAT_SIZE, src.substring(pos, i));
    }
    return i;
  }

  private int skipDigits(int i) {
    while (i < len && src.charAt(i) >= '0' && src.charAt(i) <= '9') {
      i++;
    }
    return i;
  }

  private boolean hasLeadingZero(int start, int end) {
    return end - start >= 2 && src.charAt(start) == '0';
  }

  private long parseCount(int start, int end) {
    // Counts past 10^8 are "too large" in Go; -1 makes the size check fail the same way.
    return end - start > 8 ? -1 : Long.parseLong(src.substring(start, end));
  }

  private void openGroup() {
    if (!src.startsWith("(?", pos)) {
      names.add(null);
      openFlags.push(flags);
      out.append('(');
      pos++;
      atomStart = true;
      return;
    }
    String t = src.substring(pos);
    boolean withP = t.length() > 4 && t.charAt(2) == 'P' && t.charAt(3) == '<';
    boolean withAngle = t.length() > 3 && t.charAt(2) == '<';
    if (withP || withAngle) {
      int end = t.indexOf('>');
      if (end < 0) {
        throw new Re2SyntaxException(INVALID_NAMED_CAPTURE, t);
      }
      String name = t.substring(withP ? 4 : 3, end);
      if (!isValidCaptureName(name)) {
        // This is also where lookbehinds (?<= and (?<! end up, as in RE2.
        throw new Re2SyntaxException(INVALID_NAMED_CAPTURE, t.substring(0, end + 1));
      }
      names.add(name);
      openFlags.push(flags);
      out.append('(');
      pos += end + 1;
      atomStart = true;
      return;
    }
    parseFlagGroup();
  }

  /** {@code (?flags)} or {@code (?flags:re)}, with RE2's flags i, m, s, U and one '-'. */
  private void parseFlagGroup() {
    int i = pos + 2;
    int f = flags;
    boolean negate = false;
    boolean sawFlag = false;
    while (i < len) {
      char c = src.charAt(i++);
      int bit =
          switch (c) {
            case 'i' -> FOLD_CASE;
            case 'm' -> MULTI_LINE;
            case 's' -> DOT_NL;
            case 'U' -> NON_GREEDY;
            default -> 0;
          };
      if (bit != 0) {
        f = negate ? f & ~bit : f | bit;
        sawFlag = true;
        continue;
      }
      if (c == '-' && !negate) {
        negate = true;
        sawFlag = false;
        continue;
      }
      if ((c == ':' || c == ')') && (!negate || sawFlag)) {
        if (c == ':') {
          openFlags.push(flags);
          flags = f;
          out.append("(?").append(javaFlags(f)).append(':');
          atomStart = true;
        } else {
          // Applies to the rest of the enclosing group; Java scopes inline flags the same way.
          flags = f;
          out.append("(?").append(javaFlags(f)).append(')');
        }
        pos = i;
        return;
      }
      break;
    }
    throw new Re2SyntaxException(INVALID_PERL_OP, src.substring(pos, Math.min(i, len)));
  }

  /** The full state of the flags Java itself handles (i and s); m and U are emitted by hand. */
  private static String javaFlags(int f) {
    StringBuilder on = new StringBuilder();
    StringBuilder off = new StringBuilder();
    ((f & FOLD_CASE) != 0 ? on : off).append('i');
    ((f & DOT_NL) != 0 ? on : off).append('s');
    return off.isEmpty() ? on.toString() : on + "-" + off;
  }

  private void closeGroup() {
    if (openFlags.isEmpty()) {
      throw new Re2SyntaxException(UNEXPECTED_PAREN, src);
    }
    flags = openFlags.pop();
    out.append(')');
    pos++;
    atomStart = false;
  }

  private static boolean isValidCaptureName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c != '_' && !isAsciiAlnum(c)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAsciiAlnum(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** An escape outside a class: assertions, Perl and Unicode classes, quoting, or one char. */
  private void escape() {
    if (pos + 1 >= len) {
      throw new Re2SyntaxException(TRAILING_BACKSLASH, "");
    }
    char c = src.charAt(pos + 1);
    switch (c) {
      case 'A' -> emitAtom("(?:\\A)", 2);
      case 'z' -> emitAtom("(?:\\z)", 2);
      // RE2's \b is ASCII-only; Java 17's follows Unicode letters, so spell it out.
      case 'b' -> emitAtom(WORD_BOUNDARY, 2);
      case 'B' -> emitAtom(NOT_WORD_BOUNDARY, 2);
      case 'd', 'D', 'w', 'W' -> emitAtom("\\" + c, 2);
      case 's' -> emitAtom("[" + SPACE_CHARS + "]", 2);
      case 'S' -> emitAtom("[^" + SPACE_CHARS + "]", 2);
      case 'p', 'P' -> {
        String item = unicodeClass();
        out.append('[').append(item).append(']');
        atomStart = false;
      }
      case 'Q' -> {
        int end = src.indexOf("\\E", pos + 2);
        String lit = src.substring(pos + 2, end < 0 ? len : end);
        lit.codePoints().forEach(cp -> appendLiteral(out, cp));
        pos = end < 0 ? len : end + 2;
        if (!lit.isEmpty()) {
          atomStart = false;
        }
      }
      default -> {
        int cp = escapedChar();
        appendLiteral(out, cp);
        atomStart = false;
      }
    }
  }

  /** Parses a one-character escape at pos (a backslash) as Go does and advances past it. */
  private int escapedChar() {
    int start = pos;
    if (pos + 1 >= len) {
      throw new Re2SyntaxException(TRAILING_BACKSLASH, "");
    }
    int c = src.codePointAt(pos + 1);
    int i = pos + 1 + Character.charCount(c);
    switch (c) {
      case '1', '2', '3', '4', '5', '6', '7', '0' -> {
        // A lone non-zero digit would be a backreference, which RE2 does not support.
        if (c != '0' && (i >= len || src.charAt(i) < '0' || src.charAt(i) > '7')) {
          throw new Re2SyntaxException(INVALID_ESCAPE, src.substring(start, i));
        }
        int r = c - '0';
        for (int k = 1; k < 3 && i < len && src.charAt(i) >= '0' && src.charAt(i) <= '7'; k++) {
          r = r * 8 + src.charAt(i++) - '0';
        }
        pos = i;
        return r;
      }
      case 'x' -> {
        return hexEscape(start, i);
      }
      case 'a' -> {
        pos = i;
        return 0x07;
      }
      case 'f' -> {
        pos = i;
        return '\f';
      }
      case 'n' -> {
        pos = i;
        return '\n';
      }
      case 'r' -> {
        pos = i;
        return '\r';
      }
      case 't' -> {
        pos = i;
        return '\t';
      }
      case 'v' -> {
        pos = i;
        return 0x0B;
      }
      default -> {
        if (c < 0x80 && !isAsciiAlnum(c)) {
          pos = i; // escaped punctuation is itself (\_ included, as RE2 allows)
          return c;
        }
        throw new Re2SyntaxException(INVALID_ESCAPE, src.substring(start, i));
      }
    }
  }

  private int hexEscape(int start, int i) {
    if (i >= len) {
      throw new Re2SyntaxException(INVALID_ESCAPE, src.substring(start, i));
    }
    char c = src.charAt(i++);
    if (c == '{') {
      int r = 0;
      int digits = 0;
      while (true) {
        if (i >= len) {
          throw new Re2SyntaxException(INVALID_ESCAPE, src.substring(start, i));
        }
        char d = src.charAt(i++);
        if (d == '}') {
          break;
        }
        int v = Character.digit(d, 16);
        if (v < 0 || (r = r * 16 + v) > Character.MAX_CODE_POINT) {
          throw new Re2SyntaxException(INVALID_ESCAPE, src.substring(start, i));
        }
        digits++;
      }
      if (digits == 0) {
        throw new Re2SyntaxException(INVALID_ESCAPE, src.substring(start, i));
      }
      pos = i;
      return r;
    }
    int x = Character.digit(c, 16);
    if (i >= len) {
      throw new Re2SyntaxException(INVALID_ESCAPE, src.substring(start, i));
    }
    int y = Character.digit(src.charAt(i++), 16);
    if (x < 0 || y < 0) {
      throw new Re2SyntaxException(INVALID_ESCAPE, src.substring(start, i));
    }
    pos = i;
    return x * 16 + y;
  }

  /** {@code \pX}, {@code \p{Name}}, {@code \P…}, {@code \p{^…}} at pos, as a Java class item. */
  private String unicodeClass() {
    int start = pos;
    boolean negated = src.charAt(pos + 1) == 'P';
    String name;
    if (pos + 2 < len && src.charAt(pos + 2) == '{') {
      int end = src.indexOf('}', pos);
      if (end < 0) {
        throw new Re2SyntaxException(INVALID_CHAR_RANGE, src.substring(start));
      }
      name = src.substring(pos + 3, end);
      pos = end + 1;
    } else {
      int cpLen = pos + 2 < len ? Character.charCount(src.codePointAt(pos + 2)) : 0;
      name = src.substring(pos + 2, pos + 2 + cpLen);
      pos = pos + 2 + cpLen;
    }
    if (name.startsWith("^")) {
      negated = !negated;
      name = name.substring(1);
    }
    String item = javaUnicodeClass(canonicalName(name), negated);
    if (item == null) {
      throw new Re2SyntaxException(INVALID_CHAR_RANGE, src.substring(start, pos));
    }
    return item;
  }

  private static String javaUnicodeClass(String canon, boolean negated) {
    String range =
        switch (canon) {
          case "Any" -> "\\x{0}-\\x{10FFFF}";
          case "Ascii" -> "\\x{0}-\\x{7F}";
          default -> null;
        };
    if (range != null) {
      return negated ? "[^" + range + "]" : range;
    }
    String prop;
    if (canon.equals("Assigned")) {
      prop = "Cn";
      negated = !negated;
    } else if (canon.equals("Lc")) {
      prop = "LC";
    } else if (canon.length() <= 2) {
      prop = canon; // a general category such as L or Lu
    } else {
      prop = "Is" + canon; // a script such as Greek or Han
    }
    String java = (negated ? "\\P{" : "\\p{") + prop + "}";
    try {
      Pattern.compile(java);
      return java;
    } catch (PatternSyntaxException e) {
      return null;
    }
  }

  /** Go's lookup key: first letter upper case, the rest lower, no '_', '-' or ' '. */
  private static String canonicalName(String name) {
    StringBuilder b = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '_' || c == '-' || c == ' ') {
        continue;
      }
      b.append(b.isEmpty() ? Character.toUpperCase(c) : Character.toLowerCase(c));
    }
    return b.toString();
  }

  /** A bracketed class at pos, as a Java class. */
  private String parseClass() {
    int classStart = pos;
    StringBuilder cls = new StringBuilder("[");
    pos++;
    if (pos < len && src.charAt(pos) == '^') {
      cls.append('^');
      pos++;
    }
    boolean first = true; // ']' right after '[' or '[^' is a literal
    while (pos >= len || src.charAt(pos) != ']' || first) {
      if (pos >= len) {
        throw new Re2SyntaxException(MISSING_BRACKET, src.substring(classStart));
      }
      first = false;
      if (src.startsWith("[:", pos)) {
        int close = src.indexOf(":]", pos + 2);
        if (close >= 0) {
          String whole = src.substring(pos, close + 2);
          String name = src.substring(pos + 2, close);
          boolean neg = name.startsWith("^");
          String java = POSIX.get(neg ? name.substring(1) : name);
          if (java == null) {
            throw new Re2SyntaxException(INVALID_CHAR_RANGE, whole);
          }
          cls.append(neg ? negatePerl(java) : java);
          pos = close + 2;
          continue;
        }
      }
      if (src.startsWith("\\p", pos) || src.startsWith("\\P", pos)) {
        cls.append(unicodeClass());
        continue;
      }
      if (pos + 1 < len && src.charAt(pos) == '\\') {
        String perl =
            switch (src.charAt(pos + 1)) {
              case 'd' -> "\\d";
              case 'D' -> "\\D";
              case 'w' -> "\\w";
              case 'W' -> "\\W";
              case 's' -> SPACE_CHARS;
              case 'S' -> "[^" + SPACE_CHARS + "]"; // a nested class is a union in Java
              default -> null;
            };
        if (perl != null) {
          cls.append(perl);
          pos += 2;
          continue;
        }
      }
      int rangeStart = pos;
      int lo = classChar(classStart);
      int hi = lo;
      if (pos + 1 < len && src.charAt(pos) == '-' && src.charAt(pos + 1) != ']') {
        pos++;
        hi = classChar(classStart);
        if (hi < lo) {
          throw new Re2SyntaxException(INVALID_CHAR_RANGE, src.substring(rangeStart, pos));
        }
      }
      appendLiteral(cls, lo);
      if (hi != lo) {
        cls.append('-');
        appendLiteral(cls, hi);
      }
    }
    pos++;
    return cls.append(']').toString();
  }

  private static String negatePerl(String java) {
    if (java.equals("\\w")) {
      return "\\W";
    }
    return "\\P" + java.substring(2);
  }

  private int classChar(int classStart) {
    if (pos >= len) {
      throw new Re2SyntaxException(MISSING_BRACKET, src.substring(classStart));
    }
    if (src.charAt(pos) == '\\') {
      return escapedChar();
    }
    int cp = src.codePointAt(pos);
    pos += Character.charCount(cp);
    return cp;
  }

  /**
   * Appends one code point so that Java reads it as that literal character, inside or outside a
   * class: ASCII letters and digits as is, other printable ASCII escaped with a backslash (which
   * Java allows before any non-letter), everything else as a hex escape.
   */
  static void appendLiteral(StringBuilder sb, int cp) {
    if (isAsciiAlnum(cp)) {
      sb.append((char) cp);
    } else if (cp > 0x20 && cp < 0x7F) {
      sb.append('\\').append((char) cp);
    } else {
      sb.append("\\x{").append(Integer.toHexString(cp)).append('}');
    }
  }
}
