package dev.quarry.promql;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Every script in src/test/resources/promql/*.test, each eval a test (see ScriptRunner). */
class PromqlScriptTest {
  @TempDir Path dir;

  @TestFactory
  Stream<DynamicContainer> scripts() throws IOException, URISyntaxException {
    Path root = Path.of(PromqlScriptTest.class.getResource("/promql").toURI());
    List<DynamicContainer> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".test")).sorted().toList()) {
        String name = f.getFileName().toString();
        String text;
        try (InputStream in = Files.newInputStream(f)) {
          text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        out.add(
            DynamicContainer.dynamicContainer(
                name, new ScriptRunner(name, text, dir.resolve(name)).tests()));
      }
    }
    return out.stream();
  }
}
