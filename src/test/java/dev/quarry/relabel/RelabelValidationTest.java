package dev.quarry.relabel;

import static dev.quarry.relabel.RelabelAction.DROPEQUAL;
import static dev.quarry.relabel.RelabelAction.HASHMOD;
import static dev.quarry.relabel.RelabelAction.KEEP;
import static dev.quarry.relabel.RelabelAction.KEEPEQUAL;
import static dev.quarry.relabel.RelabelAction.LABELDROP;
import static dev.quarry.relabel.RelabelAction.LABELKEEP;
import static dev.quarry.relabel.RelabelAction.LABELMAP;
import static dev.quarry.relabel.RelabelAction.LOWERCASE;
import static dev.quarry.relabel.RelabelAction.REPLACE;
import static dev.quarry.relabel.RelabelAction.UPPERCASE;
import static dev.quarry.relabel.Rules.rule;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Named.named;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The rules Prometheus refuses at load, with the YAML key at fault and Prometheus' message. */
class RelabelValidationTest {

  private static Arguments bad(String name, Rules r, String field, String message) {
    return Arguments.of(named(name, r), field, message);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        bad(
            "regex that does not compile",
            rule(REPLACE).src("a").regex("(a").target("b"),
            "regex",
            "error parsing regexp: missing closing ): `^(?s:(a)$`"),
        bad(
            "regex with a lookahead",
            rule(KEEP).src("a").regex("(?=a)"),
            "regex",
            "error parsing regexp: invalid or unsupported Perl syntax: `(?=`"),
        bad(
            "hashmod without modulus",
            rule(HASHMOD).src("a").target("b"),
            "modulus",
            "relabel configuration for hashmod requires non-zero modulus"),
        bad(
            "replace without target_label",
            rule(REPLACE).src("a"),
            "target_label",
            "relabel configuration for replace action requires 'target_label' value"),
        bad(
            "hashmod without target_label",
            rule(HASHMOD).src("a").modulus(10),
            "target_label",
            "relabel configuration for hashmod action requires 'target_label' value"),
        bad(
            "lowercase without target_label",
            rule(LOWERCASE).src("a"),
            "target_label",
            "relabel configuration for lowercase action requires 'target_label' value"),
        bad(
            "uppercase with empty target_label",
            rule(UPPERCASE).src("a").target(""),
            "target_label",
            "relabel configuration for uppercase action requires 'target_label' value"),
        bad(
            "keepequal without target_label",
            rule(KEEPEQUAL).src("a"),
            "target_label",
            "relabel configuration for keepequal action requires 'target_label' value"),
        bad(
            "replace target starting with a digit",
            rule(REPLACE).src("a").target("0abc"),
            "target_label",
            "\"0abc\" is invalid 'target_label' for replace action"),
        bad(
            "replace target with a dash",
            rule(REPLACE).src("a").target("a-b"),
            "target_label",
            "\"a-b\" is invalid 'target_label' for replace action"),
        bad(
            "replace target template with a dash",
            rule(REPLACE).src("a").target("${1}-x"),
            "target_label",
            "\"${1}-x\" is invalid 'target_label' for replace action"),
        bad(
            "lowercase target with a space",
            rule(LOWERCASE).src("a").target("a b"),
            "target_label",
            "\"a b\" is invalid 'target_label' for lowercase action"),
        bad(
            "lowercase target may not be a template",
            rule(LOWERCASE).src("a").target("${1}"),
            "target_label",
            "\"${1}\" is invalid 'target_label' for lowercase action"),
        bad(
            "hashmod target starting with a digit",
            rule(HASHMOD).src("a").target("1a").modulus(10),
            "target_label",
            "\"1a\" is invalid 'target_label' for hashmod action"),
        bad(
            "uppercase with a replacement",
            rule(UPPERCASE).src("a").target("b").replacement("x"),
            "replacement",
            "'replacement' can not be set for uppercase action"),
        bad(
            "dropequal with a replacement",
            rule(DROPEQUAL).src("a").target("b").replacement("x"),
            "replacement",
            "'replacement' can not be set for dropequal action"),
        bad(
            "labelmap replacement that is not a name",
            rule(LABELMAP).regex("(.*)").replacement("a-b"),
            "replacement",
            "\"a-b\" is invalid 'replacement' for labelmap action"),
        bad(
            "keepequal with a regex",
            rule(KEEPEQUAL).src("a").target("b").regex("foo"),
            "regex",
            "keepequal action requires only 'source_labels' and `target_label`, and no other"
                + " fields"),
        bad(
            "dropequal with a modulus",
            rule(DROPEQUAL).src("a").target("b").modulus(5),
            "modulus",
            "dropequal action requires only 'source_labels' and `target_label`, and no other"
                + " fields"),
        bad(
            "keepequal with a separator",
            rule(KEEPEQUAL).src("a").target("b").sep(","),
            "separator",
            "keepequal action requires only 'source_labels' and `target_label`, and no other"
                + " fields"),
        bad(
            "labeldrop with source_labels",
            rule(LABELDROP).src("a").regex("x"),
            "source_labels",
            "labeldrop action requires only 'regex', and no other fields"),
        bad(
            "labelkeep with target_label",
            rule(LABELKEEP).regex("x").target("b"),
            "target_label",
            "labelkeep action requires only 'regex', and no other fields"),
        bad(
            "labeldrop with modulus",
            rule(LABELDROP).regex("x").modulus(3),
            "modulus",
            "labeldrop action requires only 'regex', and no other fields"),
        bad(
            "labelkeep with separator",
            rule(LABELKEEP).regex("x").sep(","),
            "separator",
            "labelkeep action requires only 'regex', and no other fields"),
        bad(
            "labeldrop with replacement",
            rule(LABELDROP).regex("x").replacement("y"),
            "replacement",
            "labeldrop action requires only 'regex', and no other fields"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void rejects(Rules r, String field, String message) {
    RelabelConfigException e = assertThrows(RelabelConfigException.class, r::build);
    assertEquals(field, e.field(), "field");
    assertEquals(message, e.getMessage(), "message");
  }

  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of(
            named("replace with defaults and a target", rule(REPLACE).src("a").target("b"))),
        Arguments.of(
            named(
                "replace target template ${1}",
                rule(REPLACE).src("a").regex("(.*)").target("${1}"))),
        Arguments.of(
            named("replace target template foo_$1", rule(REPLACE).src("a").target("foo_$1"))),
        Arguments.of(
            named("replace target $1x is a template", rule(REPLACE).src("a").target("$1x"))),
        Arguments.of(
            named(
                "labelmap replacement ${1}_x", rule(LABELMAP).regex("(.*)").replacement("${1}_x"))),
        Arguments.of(
            named("keepequal with only its two fields", rule(KEEPEQUAL).src("a").target("b"))),
        Arguments.of(
            named(
                "hashmod with modulus and target", rule(HASHMOD).src("a").target("b").modulus(2))),
        Arguments.of(named("labeldrop with only a regex", rule(LABELDROP).regex("tmp_.*"))),
        Arguments.of(named("lowercase with a plain target", rule(LOWERCASE).src("a").target("b"))),
        Arguments.of(
            named(
                "keep with a target_label is ignored, not refused",
                rule(KEEP).src("a").target("b"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void accepts(Rules r) {
    assertDoesNotThrow(r::build);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " | ",
      textBlock =
          """
          lower case name   | replace   | REPLACE
          mixed case name   | HashMod   | HASHMOD
          equal actions     | keepequal | KEEPEQUAL
          """)
  void parsesActions(String name, String yaml, RelabelAction want) {
    assertEquals(want, RelabelValidation.parseAction(yaml));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " | ",
      quoteCharacter = '\'',
      textBlock =
          """
          unknown name | foo  | unknown relabel action "foo"
          empty name   | ''   | unknown relabel action ""
          """)
  void rejectsUnknownActions(String name, String yaml, String message) {
    RelabelConfigException e =
        assertThrows(RelabelConfigException.class, () -> RelabelValidation.parseAction(yaml));
    assertEquals("action", e.field());
    assertEquals(message, e.getMessage());
  }
}
