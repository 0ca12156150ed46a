package dev.quarry.relabel;

import static dev.quarry.relabel.RelabelAction.DROP;
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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Named.named;

import dev.quarry.model.Labels;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each action against the behaviour Prometheus documents and its own relabel tests expect. Every
 * case runs through both entry points: {@code process(Labels)} and {@code process(Builder)}.
 */
class RelabelerTest {

  /** One case: input labels, rules, and the expected labels (null = dropped). */
  record Case(Labels in, List<Rules> rules, Labels want) {}

  private static Arguments c(String name, Labels in, Labels want, Rules... rules) {
    return Arguments.of(named(name, new Case(in, Arrays.asList(rules), want)));
  }

  private static Labels l(String... kv) {
    return Labels.of(kv);
  }

  static Stream<Arguments> replace() {
    return Stream.of(
        c(
            "defaults copy the source value to the target",
            l("a", "foo"),
            l("a", "foo", "b", "foo"),
            rule(REPLACE).src("a").target("b")),
        c(
            "capture group used twice with ${1}",
            l("a", "foo"),
            l("a", "foo", "d", "choo-choo"),
            rule(REPLACE).src("a").regex("f(.*)").target("d").replacement("ch${1}-ch${1}")),
        c(
            "sources joined by the separator before matching",
            l("a", "foo", "b", "bar", "c", "baz"),
            l("a", "boobam", "b", "bar", "c", "baz"),
            rule(REPLACE).src("a", "b").regex("f(.*);(.*)r").target("a").replacement("b${1}${2}m")),
        c(
            "custom separator",
            l("a", "foo", "b", "bar"),
            l("a", "foo", "b", "bar", "c", "foo--bar"),
            rule(REPLACE).src("a", "b").sep("--").target("c")),
        c(
            "missing source label joins as the empty string",
            l("a", "foo"),
            l("a", "foo", "x", "yes"),
            rule(REPLACE).src("a", "missing").regex("foo;").target("x").replacement("yes")),
        c(
            "no match leaves the set unchanged",
            l("a", "boo"),
            l("a", "boo"),
            rule(REPLACE).src("a").regex("f").target("b").replacement("bar")),
        c(
            "regex is anchored: a does not match ba",
            l("a", "ba"),
            l("a", "ba"),
            rule(REPLACE).src("a").regex("a").target("b").replacement("x")),
        c(
            "regex is anchored: o does not match foo",
            l("a", "foo"),
            l("a", "foo"),
            rule(REPLACE).src("a").regex("o").target("b").replacement("x")),
        c(
            "empty result deletes the target label",
            l("a", "foo", "b", "bar"),
            l("a", "foo"),
            rule(REPLACE).src("a").regex(".*").target("b").replacement("")),
        c(
            "missing source with defaults deletes the target",
            l("a", "foo", "b", "old"),
            l("a", "foo"),
            rule(REPLACE).src("missing").target("b")),
        c(
            "no source labels and a literal replacement sets a constant",
            l("a", "foo"),
            l("a", "foo", "env", "prod"),
            rule(REPLACE).target("env").replacement("prod")),
        c(
            "target label name from a capture group",
            l("a", "some-name-value"),
            l("a", "some-name-value", "name", "value"),
            rule(REPLACE)
                .src("a")
                .regex("some-([^-]+)-([^,]+)")
                .target("${1}")
                .replacement("${2}")),
        c(
            "target expanding to the empty name is skipped",
            l("a", "some-name-value"),
            l("a", "some-name-value"),
            rule(REPLACE)
                .src("a")
                .regex("some-([^-]+)-([^,]+)")
                .target("${3}")
                .replacement("${1}")),
        c(
            "target expanding to a name starting with a digit is skipped",
            l("a", "some-0-value"),
            l("a", "some-0-value"),
            rule(REPLACE)
                .src("a")
                .regex("some-([^-]+)-([^,]+)")
                .target("${1}")
                .replacement("${2}")),
        c(
            "$1x names group 1x, which is empty, so the target is deleted",
            l("a", "foo", "b", "old"),
            l("a", "foo"),
            rule(REPLACE).src("a").regex("(f)oo").target("b").replacement("$1x")),
        c(
            "${1}x is group 1 followed by x",
            l("a", "foo"),
            l("a", "foo", "b", "fx"),
            rule(REPLACE).src("a").regex("(f)oo").target("b").replacement("${1}x")),
        c(
            "named groups by $name and ${name}",
            l("a", "foo"),
            l("a", "foo", "b", "oo-f"),
            rule(REPLACE)
                .src("a")
                .regex("(?P<first>f)(?<rest>.*)")
                .target("b")
                .replacement("${rest}-$first")),
        c(
            "$$ is a literal dollar",
            l("a", "foo"),
            l("a", "foo", "b", "$1"),
            rule(REPLACE).src("a").regex("(f)oo").target("b").replacement("$$1")),
        c(
            "$0 is the whole match",
            l("a", "foo"),
            l("a", "foo", "b", "<foo>"),
            rule(REPLACE).src("a").regex("f(o)o").target("b").replacement("<$0>")),
        c(
            "a $ followed by no name stays literal",
            l("a", "foo"),
            l("a", "foo", "b", "5$-$"),
            rule(REPLACE).src("a").regex("foo").target("b").replacement("5$-$")),
        c(
            "multi-line value: dot matches the newline",
            l("a", "foo\nbar"),
            l("a", "foo\nbar", "b", "oo\nbar"),
            rule(REPLACE).src("a").regex("f(.*)").target("b")),
        c(
            "literal replacement on an alternation match",
            l("a", "bar"),
            l("a", "bar", "b", "x"),
            rule(REPLACE).src("a").regex("foo|bar").target("b").replacement("x")),
        c(
            "rules apply in order, each seeing the last one's result",
            l("a", "foo"),
            l("a", "foo", "b", "foo", "c", "foo"),
            rule(REPLACE).src("a").target("b"),
            rule(REPLACE).src("b").target("c")));
  }

  static Stream<Arguments> keepDrop() {
    return Stream.of(
        c("keep on match", l("a", "foo"), l("a", "foo"), rule(KEEP).src("a").regex("f.*")),
        c("keep drops on no match", l("a", "boo"), null, rule(KEEP).src("a").regex("f.*")),
        c("keep is anchored", l("a", "foo"), null, rule(KEEP).src("a").regex("fo")),
        c(
            "keep with .+ drops a missing label",
            l("a", "foo"),
            null,
            rule(KEEP).src("b").regex(".+")),
        c(
            "keep on joined sources",
            l("a", "foo", "b", "bar"),
            l("a", "foo", "b", "bar"),
            rule(KEEP).src("a", "b").regex("foo;bar")),
        c(
            "keep alternation member",
            l("a", "bar"),
            l("a", "bar"),
            rule(KEEP).src("a").regex("foo|bar")),
        c("keep alternation non-member", l("a", "baz"), null, rule(KEEP).src("a").regex("foo|bar")),
        c("drop on match", l("a", "foo"), null, rule(DROP).src("a").regex("f.*")),
        c("drop keeps on no match", l("a", "boo"), l("a", "boo"), rule(DROP).src("a").regex("f.*")),
        c(
            "drop with empty regex drops a missing label",
            l("a", "foo"),
            null,
            rule(DROP).src("b").regex("")),
        c(
            "a dropping rule stops later rules",
            l("a", "foo"),
            null,
            rule(DROP).src("a").regex("foo"),
            rule(REPLACE).target("b").replacement("x")));
  }

  static Stream<Arguments> equalActions() {
    return Stream.of(
        c(
            "keepequal keeps equal values",
            l("a", "1", "b", "1"),
            l("a", "1", "b", "1"),
            rule(KEEPEQUAL).src("a").target("b")),
        c(
            "keepequal drops different values",
            l("a", "1", "b", "2"),
            null,
            rule(KEEPEQUAL).src("a").target("b")),
        c(
            "keepequal: both missing are equal",
            l("c", "1"),
            l("c", "1"),
            rule(KEEPEQUAL).src("a").target("b")),
        c(
            "dropequal drops equal values",
            l("a", "1", "b", "1"),
            null,
            rule(DROPEQUAL).src("a").target("b")),
        c(
            "dropequal keeps different values",
            l("a", "1", "b", "2"),
            l("a", "1", "b", "2"),
            rule(DROPEQUAL).src("a").target("b")),
        c(
            "keepequal compares the joined sources",
            l("a", "1", "b", "2", "c", "1;2"),
            l("a", "1", "b", "2", "c", "1;2"),
            rule(KEEPEQUAL).src("a", "b").target("c")));
  }

  static Stream<Arguments> hashmod() {
    // Expected values: md5sum of the joined value, last 16 hex digits as an unsigned number,
    // modulo the modulus; 976 and 734 are also in Prometheus' own tests.
    return Stream.of(
        c(
            "baz mod 1000",
            l("c", "baz"),
            l("c", "baz", "d", "976"),
            rule(HASHMOD).src("c").target("d").modulus(1000)),
        c(
            "multi-line value mod 1000",
            l("a", "foo\nbar"),
            l("a", "foo\nbar", "b", "734"),
            rule(HASHMOD).src("a").target("b").modulus(1000)),
        c(
            "joined a;b mod 1000",
            l("x", "a", "y", "b"),
            l("x", "a", "y", "b", "h", "74"),
            rule(HASHMOD).src("x", "y").target("h").modulus(1000)),
        c(
            "missing label hashes the empty string",
            l("a", "1"),
            l("a", "1", "h", "958"),
            rule(HASHMOD).src("b").target("h").modulus(1000)),
        c(
            "foo mod 7",
            l("a", "foo"),
            l("a", "foo", "h", "2"),
            rule(HASHMOD).src("a").target("h").modulus(7)),
        c(
            "modulus above 2^63 is unsigned",
            l("c", "baz"),
            l("c", "baz", "h", "7227425850715500163"),
            rule(HASHMOD).src("c").target("h").modulus(-9223372036854775803L)));
  }

  static Stream<Arguments> labelmap() {
    return Stream.of(
        c(
            "copies matching names with the expanded replacement",
            l("a", "foo", "b1", "bar", "b2", "baz"),
            l("a", "foo", "b1", "bar", "b2", "baz", "bar_b1", "bar", "bar_b2", "baz"),
            rule(LABELMAP).regex("(b.*)").replacement("bar_${1}")),
        c(
            "strips a prefix from discovery labels",
            l("a", "foo", "__meta_my_bar", "aaa", "__meta_my_baz", "bbb", "__meta_other", "ccc"),
            l(
                "a",
                "foo",
                "__meta_my_bar",
                "aaa",
                "__meta_my_baz",
                "bbb",
                "__meta_other",
                "ccc",
                "my_bar",
                "aaa",
                "my_baz",
                "bbb"),
            rule(LABELMAP).regex("__meta_(my.*)")),
        c(
            "overwrites an existing label",
            l("__meta_env", "prod", "env", "dev"),
            l("__meta_env", "prod", "env", "prod"),
            rule(LABELMAP).regex("__meta_(.+)")),
        c(
            "regex is anchored on the name",
            l("x_b", "1"),
            l("x_b", "1"),
            rule(LABELMAP).regex("b").replacement("c")),
        c(
            "named group in the replacement",
            l("__meta_k_zone", "eu"),
            l("__meta_k_zone", "eu", "zone", "eu"),
            rule(LABELMAP).regex("__meta_k_(?P<n>.*)").replacement("$n")));
  }

  static Stream<Arguments> labelFilters() {
    return Stream.of(
        c(
            "labeldrop removes matching names",
            l("a", "foo", "b1", "bar", "b2", "baz"),
            l("a", "foo"),
            rule(LABELDROP).regex("b.*")),
        c(
            "labeldrop is anchored",
            l("ab", "1", "b1", "2"),
            l("ab", "1", "b1", "2"),
            rule(LABELDROP).regex("b")),
        c(
            "labelkeep keeps only matching names",
            l("a", "foo", "b1", "bar", "b2", "baz"),
            l("b1", "bar", "b2", "baz"),
            rule(LABELKEEP).regex("b.*")),
        c(
            "labelkeep with an alternation",
            l("a", "1", "b", "2", "c", "3"),
            l("a", "1", "c", "3"),
            rule(LABELKEEP).regex("a|c")),
        c(
            "labeldrop of everything leaves an empty set",
            l("a", "1", "b", "2"),
            Labels.EMPTY,
            rule(LABELDROP).regex(".*")));
  }

  static Stream<Arguments> caseActions() {
    return Stream.of(
        c(
            "lowercase",
            l("foo", "bAr123Foo"),
            l("foo", "bAr123Foo", "foo_lower", "bar123foo"),
            rule(LOWERCASE).src("foo").target("foo_lower")),
        c(
            "uppercase",
            l("foo", "bAr123Foo"),
            l("foo", "bAr123Foo", "foo_upper", "BAR123FOO"),
            rule(UPPERCASE).src("foo").target("foo_upper")),
        c(
            "lowercase of joined sources",
            l("a", "AB", "b", "Cd"),
            l("a", "AB", "b", "Cd", "c", "ab;cd"),
            rule(LOWERCASE).src("a", "b").target("c")),
        c(
            "lowercase is Unicode-aware",
            l("a", "ÄÖ"),
            l("a", "ÄÖ", "b", "äö"),
            rule(LOWERCASE).src("a").target("b")),
        c(
            "lowercase of a missing label deletes the target",
            l("b", "x"),
            Labels.EMPTY,
            rule(LOWERCASE).src("a").target("b")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({
    "replace",
    "keepDrop",
    "equalActions",
    "hashmod",
    "labelmap",
    "labelFilters",
    "caseActions"
  })
  void process(Case tc) {
    Relabeler r = Relabeler.compile(tc.rules.stream().map(Rules::build).toList());

    assertEquals(tc.want, r.process(tc.in), "process(Labels)");

    Labels.Builder b = tc.in.toBuilder();
    boolean kept = r.process(b);
    assertEquals(tc.want != null, kept, "process(Builder) keep");
    if (kept) {
      assertEquals(tc.want, b.build(), "process(Builder) labels");
    }
  }

  @Test
  void dropReturnsNull() {
    Relabeler r = Relabeler.compile(List.of(rule(DROP).src("a").regex("x").build()));
    assertNull(r.process(Labels.of("a", "x")));
  }

  @Test
  void noRulesReturnsTheInputUnchanged() {
    Relabeler r = Relabeler.compile(List.of());
    Labels in = Labels.of("a", "1");
    assertTrue(r.isEmpty());
    assertSame(in, r.process(in));
  }

  @Test
  void relabelerIsSharedSafelyBetweenThreads() throws Exception {
    Relabeler r =
        Relabeler.compile(
            List.of(
                rule(HASHMOD).src("__address__").target("shard").modulus(1000).build(),
                rule(REPLACE).src("__address__").regex("([^:]+):.*").target("host").build()));
    Labels in = Labels.of("__address__", "10.0.0.1:9100");
    Labels want = Labels.of("__address__", "10.0.0.1:9100", "host", "10.0.0.1", "shard", "645");
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      var futures = new java.util.ArrayList<java.util.concurrent.Future<Labels>>();
      for (int i = 0; i < 200; i++) {
        futures.add(pool.submit(() -> r.process(in)));
      }
      for (var f : futures) {
        assertEquals(want, f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
