package dev.quarry.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected values are Go's {@code hash/fnv} {@code New64a} sums, as signed longs. */
class Fnv64aTest {
  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource({
    "'', -3750763034362895579",
    "a, -5808556873153909620",
    "foobar, -8821353812377114648"
  })
  void hashMatchesGo(String in, long sum) {
    assertEquals(sum, Fnv64a.hash(in));
    assertEquals(sum, Fnv64a.add(Fnv64a.OFFSET, in.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void longIsFoldedInLeastSignificantByteFirst() {
    long bytes = Fnv64a.OFFSET;
    for (int i = 1; i <= 8; i++) {
      bytes = Fnv64a.add(bytes, i);
    }
    assertEquals(bytes, Fnv64a.addLong(Fnv64a.OFFSET, 0x0807060504030201L));
  }
}
