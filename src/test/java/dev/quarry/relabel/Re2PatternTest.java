package dev.quarry.relabel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Named.named;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class Re2PatternTest {

  /** Escapes in the CSV cells: \n stands for a newline, \v for a vertical tab. */
  private static String unescape(String s) {
    return s == null ? "" : s.replace("\\n", "\n").replace("\\v", "\u000B");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " | ",
      quoteCharacter = '\'',
      textBlock =
          """
          literal matches itself                 | a             | a         | true
          anchored: a does not match ba          | a             | ba        | false
          anchored: a does not match ab          | a             | ab        | false
          anchored: o does not match foo         | o             | foo       | false
          dot matches newline (s flag)           | foo.*         | foo\\nbar | true
          (?-s) turns newline matching off       | (?-s)foo.*    | foo\\nbar | false
          $ is end of text, not before a newline | a$\\n         | a\\n      | false
          (?m)$ matches before a newline         | (?m)a$\\nb    | a\\nb     | true
          .* matches the empty string            | .*            | ''        | true
          empty regex matches only empty         | ''            | a         | false
          empty regex matches empty              | ''            | ''        | true
          alternation of literals, member        | foo|bar       | bar       | true
          alternation of literals, concatenation | foo|bar       | foobar    | false
          alternation with a group is anchored   | (foo|bar)     | xfoo      | false
          POSIX alpha                            | [[:alpha:]]+  | abc       | true
          POSIX alpha refuses digits             | [[:alpha:]]+  | ab1       | false
          negated POSIX class                    | [[:^digit:]]+ | ab        | true
          POSIX word                             | [[:word:]]+   | a_1       | true
          RE2 \\s has no vertical tab            | \\s           | \\v       | false
          RE2 \\s matches space                  | a\\sb         | a b       | true
          \\d is ASCII only                      | \\d           | ٣         | false
          \\b is ASCII: é is not a word char     | .\\bfoo       | éfoo      | true
          \\z is end of text                     | a\\z          | a         | true
          hex escape                             | \\x41         | A         | true
          octal escape                           | \\101         | A         | true
          braced hex escape above the BMP        | \\x{1F600}    | 😀         | true
          dot matches a whole surrogate pair     | a.c           | a😀c       | true
          repeat count                           | a{2}          | aa        | true
          brace without count is literal         | a{,2}         | a{,2}     | true
          quoted text is literal                 | \\Qa.b\\E     | a.b       | true
          quoted text does not match any char    | \\Qa.b\\E     | axb       | false
          dash at end of class is literal        | [a-]          | -         | true
          bracket first in class is literal      | []a]          | ]         | true
          open bracket inside class is literal   | [a[]          | [         | true
          && inside class is literal             | [a&&b]        | &         | true
          case-insensitive flag                  | (?i)foo       | FOO       | true
          case-insensitive is Unicode-aware      | (?i)é         | É         | true
          Unicode letter class                   | \\pL+         | héllo     | true
          Unicode script class                   | \\p{Greek}+   | αβ        | true
          negated Unicode class                  | \\PL          | 1         | true
          named group P syntax                   | (?P<x>a)b     | ab        | true
          named group angle syntax               | (?<x>a)b      | ab        | true
          unbalanced regex is read the Go way    | a)|(b         | xb        | true
          """)
  void matches(String name, String regex, String input, boolean want) {
    assertEquals(want, Re2Pattern.compile(unescape(regex)).matches(unescape(input)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " | ",
      textBlock =
          """
          greedy by default             | (a+)(a*)      | aaa   | 1 | aaa
          (?U) makes + lazy             | (?U)(a+)(a*)  | aaa   | 1 | a
          (?U) makes +? greedy          | (?U)(a+?)(a*) | aaa   | 1 | aaa
          (?U) scoped to its group      | (?U:(a+))(a+) | aaa   | 1 | a
          leftmost-first alternation    | (a|ab)(c|bcd) | abcd  | 1 | a
          capture all is the whole text | (.*)          | x\\ny | 1 | x\\ny
          """)
  void captures(String name, String regex, String input, int group, String want) {
    String in = unescape(input);
    int[] m = Re2Pattern.compile(regex).match(in);
    assertNotNull(m);
    assertEquals(unescape(want), in.substring(m[2 * group], m[2 * group + 1]));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " | ",
      quoteCharacter = '\'',
      textBlock =
          """
          unclosed group quotes the anchored form | (a         | missing closing ): `^(?s:(a)$`
          stray close paren                       | a)         | unexpected ): `^(?s:a))$`
          unclosed class                          | [a         | missing closing ]: `[a)$`
          backreference                           | (a)\\1     | invalid escape sequence: `\\1`
          lookahead | (?=a) | invalid or unsupported Perl syntax: `(?=`
          negative lookahead | (?!a) | invalid or unsupported Perl syntax: `(?!`
          lookbehind                              | (?<=a)b    | invalid named capture: `(?<=a)b)$`
          atomic group | (?>a) | invalid or unsupported Perl syntax: `(?>`
          unknown flag | (?x)a | invalid or unsupported Perl syntax: `(?x`
          nested repetition | a** | invalid nested repetition operator: `**`
          possessive quantifier | a++ | invalid nested repetition operator: `++`
          nothing to repeat | *a | missing argument to repetition operator: `*`
          repeat count above 1000                 | a{1001}    | invalid repeat count: `{1001}`
          reversed range | [z-a] | invalid character class range: `z-a`
          unknown POSIX class | [[:foo:]] | invalid character class range: `[:foo:]`
          \\Z is not RE2                          | a\\Z       | invalid escape sequence: `\\Z`
          bad group name                          | (?P<a-b>x) | invalid named capture: `(?P<a-b>`
          unknown Unicode class | \\p{Foo} | invalid character class range: `\\p{Foo}`
          trailing backslash escapes the anchor   | x\\        | missing closing ): `^(?s:x\\)$`
          lazy then nested repetition | a*?* | invalid nested repetition operator: `*?*`
          nested counted repetition | x{2}{3} | invalid nested repetition operator: `{2}{3}`
          unterminated group name                 | (?P<n      | invalid named capture: `(?P<n)$`
          empty group name                        | (?P<>x)    | invalid named capture: `(?P<>`
          braced hex with a bad digit             | \\x{zz}    | invalid escape sequence: `\\x{z`
          hex escape with a bad digit             | \\xz       | invalid escape sequence: `\\xz)`
          Perl class as a range end               | [a-\\d]    | invalid escape sequence: `\\d`
          unterminated quote swallows the anchor  | \\Qab      | missing closing ): `^(?s:\\Qab)$`
          a lone minus as flags | (?-) | invalid or unsupported Perl syntax: `(?-)`
          repetition after a bar | a|* | missing argument to repetition operator: `*`
          \\e is not RE2                          | \\e        | invalid escape sequence: `\\e`
          """)
  void rejects(String name, String regex, String want) {
    Re2SyntaxException e = assertThrows(Re2SyntaxException.class, () -> Re2Pattern.compile(regex));
    assertEquals("error parsing regexp: " + want, e.getMessage());
  }

  /** Answers at all: the bound only tells a linear engine from a backtracking one. */
  private static final Duration ANSWERS = Duration.ofSeconds(10);

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " | ",
      textBlock =
          """
          nested plus before a missing b  | ((a+)+)+b     | a
          nested plus of any before x     | ((.+)+)+x     | a
          nested star with an alternation | (a|aa)*c      | a
          nested groups of optional a's   | (a?){30}a{30} | a
          """)
  void nestedQuantifiersAnswerInLinearTime(String name, String regex, String unit) {
    String input = unit.repeat(100_000);
    Re2Pattern p = Re2Pattern.compile(regex);
    assertFalse(assertTimeoutPreemptively(ANSWERS, () -> p.matches(input + "!")));
    assertNull(assertTimeoutPreemptively(ANSWERS, () -> p.match(input + "!")));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " | ",
      quoteCharacter = '\'',
      textBlock =
          """
          prefix                        | foo.*     | foobar     | true
          prefix, not at the start      | foo.*     | xfoo       | false
          prefix takes newlines         | foo.*     | foo\\nbar  | true
          suffix                        | .*_total  | a_total    | true
          suffix, not at the end        | .*_total  | a_total_x  | false
          substring                     | .*err.*   | my_err_log | true
          substring absent              | .*err.*   | my_log     | false
          non-empty                     | .+        | x          | true
          non-empty refuses empty       | .+        | ''         | false
          escaped dot is no prefix form | a\\.*     | a...       | true
          escaped dot, other char       | a\\.*     | ab         | false
          alternation with a prefix     | foo.*|bar | foox       | true
          alternation with a prefix, 2  | foo.*|bar | barx       | false
          """)
  void shapes(String name, String regex, String input, boolean want) {
    assertEquals(want, Re2Pattern.compile(regex).matches(unescape(input)));
  }

  @Test
  void groupAroundNonEmptyIsTheWholeInput() {
    Re2Pattern p = Re2Pattern.compile("(.+)");
    assertArrayEquals(new int[] {0, 3, 0, 3}, p.match("abc"));
    assertNull(p.match(""));
    assertEquals(1, p.groupCount());
  }

  @Test
  void groupNameUsedTwiceIsAllowedAsInGo() {
    Re2Pattern p = Re2Pattern.compile("(?P<x>a)-(?P<y>b)|(?P<x>c)");
    assertEquals(3, p.groupCount());
    assertEquals("x", p.groupName(1));
    assertEquals("y", p.groupName(2));
    assertEquals("x", p.groupName(3));
    assertArrayEquals(new int[] {0, 1, -1, -1, -1, -1, 0, 1}, p.match("c"));
  }

  private static Arguments limit(String name, String regex, String want) {
    return Arguments.of(named(name, regex), want);
  }

  private static String nested(String open, int depth) {
    return open.repeat(depth) + ")".repeat(depth);
  }

  /** The limits Go's parser has and re2j's lacks, with Prometheus 2.42's messages. */
  static Stream<Arguments> goLimits() {
    String deep = nested("(", 999).replace("()", "(a)");
    String deepConcat = nested("(a", 500);
    String large = "[a-z]{1000}".repeat(3400);
    return Stream.of(
        limit(
            "nested counts above 1000 copies", "(a{1000}){1000}", "invalid repeat count: `{1000}`"),
        limit("nested counts of 100 by 100", "(a{100}){100}", "invalid repeat count: `{100}`"),
        limit(
            "counts multiply through groups", "((a{2}b){30}){20}", "invalid repeat count: `{20}`"),
        limit("999 nested groups", deep, "expression nests too deeply: `^(?s:" + deep + ")$`"),
        limit(
            "500 nested concatenations",
            deepConcat,
            "expression nests too deeply: `^(?s:" + deepConcat + ")$`"),
        limit(
            "program over 3.3 million instructions",
            large,
            "regexp/syntax: internal error: `^(?s:" + large + ")$`"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goLimits")
  void refusesWhatGoRefuses(String regex, String want) {
    Re2SyntaxException e = assertThrows(Re2SyntaxException.class, () -> Re2Pattern.compile(regex));
    assertEquals("error parsing regexp: " + want, e.getMessage());
  }

  static Stream<Arguments> withinGoLimits() {
    return Stream.of(
        Arguments.of(named("three counts of 10", "((a{10}){10}){10}"), "a".repeat(1000)),
        Arguments.of(named("a count of zero resets", "((a{1000}){0}){2}"), ""),
        Arguments.of(named("998 nested groups", nested("(", 998).replace("()", "(a)")), "a"),
        Arguments.of(named("499 nested concatenations", nested("(a", 499)), "a".repeat(499)),
        Arguments.of(named("brace without a count", "a{1001"), "a{1001"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("withinGoLimits")
  void acceptsWhatGoAccepts(String regex, String input) {
    assertTrue(Re2Pattern.compile(regex).matches(input));
  }

  /**
   * re2j follows non-consuming steps by recursion; these runs are far deeper than a 1 MiB stack,
   * and Go (with growing stacks) matches them.
   */
  @Test
  void longRunsOfEmptySteps() {
    Re2Pattern optional = Re2Pattern.compile("b" + "(?:a?){1000}".repeat(10));
    assertTrue(optional.matches("baaa"));
    assertFalse(optional.matches("bx"));
    Re2Pattern groups = Re2Pattern.compile("(){1000}".repeat(5) + "x");
    assertArrayEquals(new int[] {0, 1, 0, 0}, slice(groups.match("x"), 4));

    Random rnd = new Random(42);
    List<String> words = new ArrayList<>();
    for (int i = 0; i < 8000; i++) {
      StringBuilder w = new StringBuilder();
      for (int j = 0; j < 8; j++) {
        w.append((char) ('a' + rnd.nextInt(26)));
      }
      words.add(w.toString());
    }
    Re2Pattern list = Re2Pattern.compile("(" + String.join("|", words) + ")_total");
    String last = words.get(words.size() - 1);
    int[] m = list.match(last + "_total");
    assertNotNull(m);
    assertEquals(last, (last + "_total").substring(m[2], m[3]));
    assertFalse(list.matches("zzz_total"));
  }

  /**
   * Deep patterns compiled against one owner's stack share its threads: eight callers at once on a
   * stack of one thread each get their own answer, the others waiting their turn.
   */
  @Test
  void deepPatternsShareTheStackTheirOwnerHandsIn() throws Exception {
    LargeStack stack = new LargeStack(1);
    Re2Pattern optional = Re2Pattern.compile("b" + "(?:a?){1000}".repeat(10), stack);
    Re2Pattern groups = Re2Pattern.compile("(){1000}".repeat(5) + "x", stack);
    java.util.concurrent.ExecutorService callers =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<Boolean>> answers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String in = i % 2 == 0 ? "baaa" : "bx";
        answers.add(callers.submit(() -> optional.matches(in) && groups.matches("x")));
      }
      for (int i = 0; i < 8; i++) {
        assertEquals(i % 2 == 0, answers.get(i).get(), "caller " + i);
      }
    } finally {
      callers.shutdownNow();
    }
  }

  private static int[] slice(int[] a, int n) {
    int[] out = new int[n];
    System.arraycopy(a, 0, out, 0, n);
    return out;
  }

  /**
   * The fast paths (literal sets, prefixes, one-pass sequences) give re2j's answers: every regex
   * against every input, matched and with group offsets, compared with re2j on the anchored form.
   */
  @Test
  void fastPathsAgreeWithRe2j() {
    String[] regexes = {
      "([^:]+):\\d+",
      "foo_(.*)",
      "(\\w+)-(\\d+)",
      "a?b*c+",
      "(\\s*)x",
      "[a-c-]+",
      "([^.]+)\\..*",
      "(.)",
      "\\W+",
      "(a)(b)?",
      "(\\d*)\\.(\\d*)",
      "(a|bc)",
      "a|bc",
      "(.*)x",
      "x(.+)",
      "[^a-z]*",
      "\\D\\S",
      "(a)()b",
      "[^\\d]+",
      "(\\w)\\w*",
      "\\_+",
      ".*ab.*",
      "ab.*",
      ".*ab",
      "[z-]-"
    };
    String[] inputs = {
      "",
      "a",
      "abc",
      "10.0.0.1:9100",
      "host:80:90",
      "foo_",
      "foo_bar\nbaz",
      "ab-12",
      "ab-",
      "bbc",
      "c",
      "  x",
      "\tx",
      "a-c-b",
      "web.example.com",
      "é",
      "😀",
      "a😀",
      "12.34",
      ".",
      "bc",
      "ab",
      "x",
      "xyz",
      "ab1",
      "-",
      "__",
      "xab",
      "abx",
      "z-",
      "9 ",
      "aé-1"
    };
    for (String r : regexes) {
      com.google.re2j.Pattern want = com.google.re2j.Pattern.compile("^(?s:" + r + ")$");
      Re2Pattern got = Re2Pattern.compile(r);
      for (String in : inputs) {
        String input = unescape(in);
        com.google.re2j.Matcher m = want.matcher(input);
        boolean hit = m.find();
        String what = r + " against \"" + in + "\"";
        assertEquals(hit, got.matches(input), what);
        int[] idx = got.match(input);
        if (!hit) {
          assertNull(idx, what);
          continue;
        }
        assertNotNull(idx, what);
        assertEquals(2 * (m.groupCount() + 1), idx.length, what);
        for (int g = 0; g <= m.groupCount(); g++) {
          assertEquals(m.start(g), idx[2 * g], what + " group " + g + " start");
          assertEquals(m.end(g), idx[2 * g + 1], what + " group " + g + " end");
        }
      }
    }
  }
}
