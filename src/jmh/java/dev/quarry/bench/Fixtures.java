package dev.quarry.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The exposition fixtures the benchmarks parse: the real text pages from {@code
 * src/test/resources/fixtures} (or {@code -Dfixtures.dir}) and an OpenMetrics rendering of each.
 */
public final class Fixtures {
  private Fixtures() {}

  public static Path dir() {
    return Path.of(System.getProperty("fixtures.dir", "src/test/resources/fixtures"));
  }

  public static byte[] text(String name) throws IOException {
    return Files.readAllBytes(dir().resolve(name));
  }

  /**
   * The same page in OpenMetrics 1.0: {@code untyped} families become {@code unknown}, counter
   * families are named without {@code _total} in their metadata, blank lines go, and the page ends
   * with {@code # EOF}. Sample lines are unchanged (the fixtures carry no timestamps).
   */
  public static byte[] openMetrics(byte[] text) {
    StringBuilder out = new StringBuilder(text.length + 64);
    String page = new String(text, StandardCharsets.UTF_8);
    for (String line : page.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("# TYPE ") || line.startsWith("# HELP ")) {
        String[] parts = line.split(" ", 4);
        String name = parts[2];
        String rest = parts.length > 3 ? parts[3] : "";
        boolean counter = line.startsWith("# TYPE ") && rest.equals("counter");
        if (line.startsWith("# TYPE ") && rest.equals("untyped")) {
          rest = "unknown";
        }
        if (name.endsWith("_total") && (counter || isCounterFamily(page, name))) {
          String bare = name.substring(0, name.length() - "_total".length());
          if (page.contains("# TYPE " + bare + " ")) {
            // Another family already has the bare name: keep this one as an unknown family.
            if (counter) {
              rest = "unknown";
            }
          } else {
            name = bare;
          }
        }
        out.append(parts[0]).append(' ').append(parts[1]).append(' ').append(name);
        if (!rest.isEmpty()) {
          out.append(' ').append(rest);
        }
        out.append('\n');
      } else if (!line.startsWith("#")) {
        out.append(line).append('\n');
      }
    }
    return out.append("# EOF\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static boolean isCounterFamily(String page, String name) {
    return page.contains("# TYPE " + name + " counter\n");
  }
}
