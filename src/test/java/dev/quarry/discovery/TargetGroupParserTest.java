package dev.quarry.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetGroupParserTest {

  private static List<TargetGroup> parse(String format, String text) throws TargetGroupsException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    return format.equals("json")
        ? TargetGroupParser.parseJson(b, "f", "__meta_filepath", "f")
        : TargetGroupParser.parseYaml(b, "f", "__meta_filepath", "f");
  }

  @Test
  void yamlScalarTargetsAndLabelsAreTakenAsText() throws Exception {
    List<TargetGroup> g =
        parse("yaml", "- targets: [a:1, 10]\n  labels: {env: prod, n: 3}\n- targets: []\n");
    assertEquals(2, g.size());
    assertEquals(
        List.of(Labels.of("__address__", "a:1"), Labels.of("__address__", "10")),
        g.get(0).targets());
    assertEquals(Labels.of("env", "prod", "n", "3", "__meta_filepath", "f"), g.get(0).labels());
    assertEquals("f:1", g.get(1).source());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          json empty document is an error | json | '' | unexpected end of JSON input
          json syntax error has a position | json | '[{"targets": ["a"]' | line 1
          json top level object | json | '{"targets": ["a"]}' | into a list of target groups
          json null group | json | '[null]' | group 0: nil target group item found
          json numeric target | json | '[{"targets": ["a", 1]}]' \
          | group 0: targets[1]: expected a string, got number
          json unknown field | json | '[{"targets": ["a"], "lables": {}}]' \
          | group 0: unknown field "lables"
          json numeric label value | json | '[{"targets": ["a"], "labels": {"x": 1}}]' \
          | group 0: labels.x: expected a string
          json empty label name | json | '[{"targets": ["a"], "labels": {"": "v"}}]' \
          | "" is not a valid label name
          json unpaired surrogate in name | json | '[{"labels": {"\\ud800": "v"}}]' \
          | is not a valid label name
          yaml syntax error has a line | yaml | '- targets: [a' | line 1
          yaml top level mapping | yaml | 'targets: [a]' | line 1: cannot unmarshal a mapping
          yaml null group | yaml | '- targets: [a]\n- ~' | group 1: nil target group item found
          yaml nested target | yaml | '- targets: [[a]]' | targets[0]: expected a string, got a list
          yaml unknown field | yaml | '- targets: [a]\n  foo: 1' \
          | line 2: group 0: field foo not found
          yaml repeated label | yaml | '- labels: {a: 1, a: 2}' | label a already set
          yaml empty label name | yaml | '- labels: {"": 1}' | "" is not a valid label name
          """)
  void badInputIsRejectedWithThePlace(String name, String format, String text, String expected) {
    TargetGroupsException e =
        assertThrows(TargetGroupsException.class, () -> parse(format, text.replace("\\n", "\n")));
    assertTrue(e.getMessage().contains(expected), () -> e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          json null is no groups | json | null
          json empty list        | json | []
          yaml empty document    | yaml | ''
          yaml comment only      | yaml | '# nothing here'
          """)
  void emptyInputsAreNoGroups(String name, String format, String text) throws Exception {
    assertEquals(List.of(), parse(format, text));
  }
}
