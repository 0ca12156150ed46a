package dev.quarry.relabel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
          literal matches itself                    | a              | a            | true
          anchored: a does not match ba             | a              | ba           | false
          anchored: a does not match ab             | a              | ab           | false
          anchored: o does not match foo            | o              | foo          | false
          dot matches newline (s flag)              | foo.*          | foo\\nbar    | true
          (?-s) turns newline matching off          | (?-s)foo.*     | foo\\nbar    | false
          $ is end of text, not before a newline    | a$\\n          | a\\n         | false
          (?m)$ matches before a newline            | (?m)a$\\nb     | a\\nb        | true
          .* matches the empty string               | .*             | ''           | true
          empty regex matches only empty            | ''             | a            | false
          empty regex matches empty                 | ''             | ''           | true
          alternation of literals, member           | foo|bar        | bar          | true
          alternation of literals, concatenation    | foo|bar        | foobar       | false
          alternation with a group is anchored      | (foo|bar)      | xfoo         | false
          POSIX alpha                               | [[:alpha:]]+   | abc          | true
          POSIX alpha refuses digits                | [[:alpha:]]+   | ab1          | false
          negated POSIX class                       | [[:^digit:]]+  | ab           | true
          POSIX word                                | [[:word:]]+    | a_1          | true
          RE2 \\s has no vertical tab               | \\s            | \\v          | false
          RE2 \\s matches space                     | a\\sb          | a b          | true
          \\d is ASCII only                         | \\d            | ٣            | false
          \\b is ASCII: é is not a word char        | .\\bfoo        | éfoo         | true
          \\z is end of text                        | a\\z           | a            | true
          hex escape                                | \\x41          | A            | true
          octal escape                              | \\101          | A            | true
          braced hex escape above the BMP           | \\x{1F600}     | 😀           | true
          dot matches a whole surrogate pair        | a.c            | a😀c         | true
          repeat count                              | a{2}           | aa           | true
          brace without count is literal            | a{,2}          | a{,2}        | true
          quoted text is literal                    | \\Qa.b\\E      | a.b          | true
          quoted text does not match any char       | \\Qa.b\\E      | axb          | false
          dash at end of class is literal           | [a-]           | -            | true
          bracket first in class is literal         | []a]           | ]            | true
          open bracket inside class is literal      | [a[]           | [            | true
          && inside class is literal                | [a&&b]         | &            | true
          case-insensitive flag                     | (?i)foo        | FOO          | true
          case-insensitive is Unicode-aware         | (?i)é          | É            | true
          Unicode letter class                      | \\pL+          | héllo        | true
          Unicode script class                      | \\p{Greek}+    | αβ           | true
          negated Unicode class                     | \\PL           | 1            | true
          named group P syntax                      | (?P<x>a)b      | ab           | true
          named group angle syntax                  | (?<x>a)b       | ab           | true
          unbalanced regex is read the Go way       | a)|(b          | xb           | true
          """)
  void matches(String name, String regex, String input, boolean want) {
    assertEquals(want, Re2Pattern.compile(unescape(regex)).matches(unescape(input)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " | ",
      textBlock =
          """
          greedy by default             | (a+)(a*)      | aaa | 1 | aaa
          (?U) makes + lazy             | (?U)(a+)(a*)  | aaa | 1 | a
          (?U) makes +? greedy          | (?U)(a+?)(a*) | aaa | 1 | aaa
          (?U) scoped to its group      | (?U:(a+))(a+) | aaa | 1 | a
          leftmost-first alternation    | (a|ab)(c|bcd) | abcd | 1 | a
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
          unclosed group quotes the anchored form   | (a         | missing closing ): `^(?s:(a)$`
          stray close paren                         | a)         | unexpected ): `^(?s:a))$`
          unclosed class                            | [a         | missing closing ]: `[a)$`
          backreference                             | (a)\\1     | invalid escape sequence: `\\1`
          lookahead                                 | (?=a)      | invalid or unsupported Perl syntax: `(?=`
          negative lookahead                        | (?!a)      | invalid or unsupported Perl syntax: `(?!`
          lookbehind                                | (?<=a)b    | invalid named capture: `(?<=a)b)$`
          atomic group                              | (?>a)      | invalid or unsupported Perl syntax: `(?>`
          unknown flag                              | (?x)a      | invalid or unsupported Perl syntax: `(?x`
          nested repetition                         | a**        | invalid nested repetition operator: `**`
          possessive quantifier                     | a++        | invalid nested repetition operator: `++`
          nothing to repeat                         | *a         | missing argument to repetition operator: `*`
          repeat count above 1000                   | a{1001}    | invalid repeat count: `{1001}`
          reversed range                            | [z-a]      | invalid character class range: `z-a`
          unknown POSIX class                       | [[:foo:]]  | invalid character class range: `[:foo:]`
          \\Z is not RE2                            | a\\Z       | invalid escape sequence: `\\Z`
          bad group name                            | (?P<a-b>x) | invalid named capture: `(?P<a-b>`
          unknown Unicode class                     | \\p{Foo}   | invalid character class range: `\\p{Foo}`
          trailing backslash escapes the anchor     | x\\        | missing closing ): `^(?s:x\\)$`
          """)
  void rejects(String name, String regex, String want) {
    Re2SyntaxException e = assertThrows(Re2SyntaxException.class, () -> Re2Pattern.compile(regex));
    assertEquals("error parsing regexp: " + want, e.getMessage());
  }
}
