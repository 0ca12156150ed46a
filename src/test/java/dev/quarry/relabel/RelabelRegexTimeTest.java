package dev.quarry.relabel;

import static dev.quarry.relabel.RelabelAction.DROP;
import static dev.quarry.relabel.RelabelAction.KEEP;
import static dev.quarry.relabel.RelabelAction.LABELDROP;
import static dev.quarry.relabel.RelabelAction.REPLACE;
import static dev.quarry.relabel.Rules.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.quarry.model.Labels;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Relabelling with regexes that make a backtracking engine run for ever answers in time linear in
 * the value, as in Prometheus (RE2): a rule's regex against a 100 KB value from a target.
 */
class RelabelRegexTimeTest {
  /** Answers at all: the bound only tells a linear engine from a backtracking one. */
  private static final Duration ANSWERS = Duration.ofSeconds(10);

  private static final String VALUE = "a".repeat(100_000);

  private static Labels relabel(Labels in, Rules... rules) {
    List<RelabelConfig> cs = java.util.Arrays.stream(rules).map(Rules::build).toList();
    Relabeler r = Relabeler.compile(cs);
    return assertTimeoutPreemptively(ANSWERS, () -> r.process(in));
  }

  @Test
  void keepWithNestedQuantifiersOnALongValue() {
    Labels in = Labels.of("__name__", "m", "v", VALUE);
    assertNull(relabel(in, rule(KEEP).src("v").regex("((a+)+)+b")));
    assertEquals(in, relabel(in, rule(DROP).src("v").regex("((a+)+)+b")));
  }

  @Test
  void replaceWithNestedQuantifiersAndCapturesOnALongValue() {
    Labels in = Labels.of("__name__", "m", "v", VALUE + "b");
    Labels out =
        relabel(in, rule(REPLACE).src("v").regex("((a+)+)+(b)").target("last").replacement("$3"));
    assertEquals("b", out.get("last"));
    Labels miss = Labels.of("__name__", "m", "v", VALUE);
    assertEquals(
        miss,
        relabel(
            miss, rule(REPLACE).src("v").regex("((a+)+)+(b)").target("last").replacement("$3")));
  }

  @Test
  void labeldropWithNestedQuantifiersOnLongNames() {
    String name = "a".repeat(5_000);
    Labels in = Labels.of("__name__", "m", name, "x");
    assertEquals(in, relabel(in, rule(LABELDROP).regex("((a+)+)+b")));
  }
}
