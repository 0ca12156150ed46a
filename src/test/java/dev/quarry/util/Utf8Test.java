package dev.quarry.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {
  @Test
  void lengthIsTheNumberOfUtf8Bytes() {
    for (String s : new String[] {"", "job", "é", "€uro", "a\uD83D\uDE00b", "日本語"}) {
      assertEquals(s.getBytes(StandardCharsets.UTF_8).length, Utf8.length(s), s);
    }
  }
}
