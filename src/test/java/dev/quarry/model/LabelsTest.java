package dev.quarry.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LabelsTest {

  private static Labels random(Random r, String prefix, int max) {
    Labels.Builder b = Labels.builder();
    int n = r.nextInt(max + 1);
    for (int i = 0; i < n; i++) {
      // Few distinct names, so that two random sets often share names and differ in one value.
      b.set(prefix + (char) ('a' + r.nextInt(20)), "v" + r.nextInt(3));
    }
    return b.build();
  }

  /** The union as a builder makes it: one array, {@code b}'s values winning. */
  private static Labels flatUnion(Labels a, Labels b) {
    Labels.Builder out = a.toBuilder();
    b.forEach(out::set);
    return out.build();
  }

  private static void assertSameLabels(Labels expected, Labels actual) {
    assertEquals(expected, actual);
    assertEquals(actual, expected);
    assertEquals(expected.hash(), actual.hash());
    assertEquals(expected.hashCode(), actual.hashCode());
    assertEquals(0, expected.compareTo(actual));
    assertEquals(0, actual.compareTo(expected));
    assertEquals(expected.toString(), actual.toString());
    assertEquals(expected.size(), actual.size());
    assertEquals(expected.asList(), actual.asList());
    assertEquals(expected.toMap(), actual.toMap());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.name(i), actual.name(i));
      assertEquals(expected.value(i), actual.value(i));
      assertEquals(expected.value(i), actual.get(expected.name(i)));
      assertTrue(actual.has(expected.name(i)));
    }
    assertFalse(actual.has("zzz-absent"));
    assertEquals("", actual.get("0-absent"));
    assertEquals(expected, actual.toBuilder().build());
    assertEquals(expected, Labels.builder().reset(actual).build());
  }

  @Test
  void aJoinedSetBehavesAsTheSameLabelsInOneArray() {
    Random r = new Random(7);
    List<Labels> joined = new ArrayList<>();
    List<Labels> flat = new ArrayList<>();
    for (int round = 0; round < 3000; round++) {
      // Disjoint names (prefixes "p" and "t", or interleaved single letters) and overlapping ones.
      Labels page = random(r, r.nextBoolean() ? "p" : "", 8);
      Labels target = random(r, r.nextBoolean() ? "t" : "", 4);
      Labels j = Labels.join(page, target);
      Labels f = flatUnion(page, target);
      assertSameLabels(f, j);
      joined.add(j);
      flat.add(f);
    }
    // Order and equality between any two sets do not depend on their form.
    for (int i = 0; i + 1 < joined.size(); i++) {
      Labels a = joined.get(i);
      Labels b = flat.get(i + 1);
      int expected = Integer.signum(flat.get(i).compareTo(b));
      assertEquals(expected, Integer.signum(a.compareTo(b)));
      assertEquals(-expected, Integer.signum(b.compareTo(a)));
      assertEquals(expected == 0, a.equals(joined.get(i + 1)));
    }
  }

  @Test
  void disjointSetsAreJoinedWithoutCopyingAndOverlappingOnesTakeTheSecondValue() {
    Labels page = Labels.of("__name__", "http_requests_total", "code", "200", "path", "/x");
    Labels target = Labels.of("instance", "h:9100", "job", "node");
    Labels j = Labels.join(page, target);
    assertEquals(
        "{__name__=\"http_requests_total\", code=\"200\", instance=\"h:9100\", job=\"node\", "
            + "path=\"/x\"}",
        j.toString());
    assertSame(j.name(2), target.name(0));
    assertSame(j.value(1), page.value(1));
    assertSame(page, Labels.join(page, Labels.EMPTY));
    assertSame(target, Labels.join(Labels.EMPTY, target));

    Labels clash = Labels.join(page, Labels.of("code", "500", "job", "api"));
    assertEquals(
        Labels.of("__name__", "http_requests_total", "code", "500", "job", "api", "path", "/x"),
        clash);

    Labels other =
        Labels.join(
            Labels.of("__name__", "http_requests_total", "code", "200", "path", "/y"), target);
    assertNotEquals(j, other);
    assertTrue(j.compareTo(other) < 0);
  }

  @Test
  void setsTooLargeForTheMaskAreJoinedIntoOneArray() {
    Labels.Builder a = Labels.builder();
    Labels.Builder b = Labels.builder();
    for (int i = 0; i < 20; i++) {
      a.set(String.format("a%02d", i), "x" + i);
      b.set(String.format("b%02d", i), "y" + i);
    }
    Labels j = Labels.join(a.build(), b.build());
    assertEquals(40, j.size());
    assertSameLabels(flatUnion(a.build(), b.build()), j);
  }
}
