package dev.quarry.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quarry.config.FileSdConfig;
import dev.quarry.model.Labels;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileSdProviderTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final Duration NEVER = Duration.ofHours(1);

  @TempDir Path dir;
  Vertx vertx;
  FileSdProvider provider;
  final Updates<List<TargetGroup>> updates = new Updates<>();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (provider != null) {
      vertx.getOrCreateContext();
      provider.stop().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private void start(Duration refresh, String... files) {
    provider = new FileSdProvider(vertx, "node", new FileSdConfig(List.of(files), refresh));
    vertx.getOrCreateContext().runOnContext(v -> provider.start(updates));
  }

  private static List<String> addresses(List<TargetGroup> groups) {
    return groups.stream()
        .flatMap(g -> g.targets().stream())
        .map(t -> t.get("__address__"))
        .collect(Collectors.toList());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          json | t.json \
          | '[{"targets":["a:9100","b:9100"],"labels":{"env":"prod"}},{"targets":["c:9100"]}]'
          yaml | t.yml \
          | '- targets: [a:9100, b:9100]\\n  labels: {env: prod}\\n- targets: [c:9100]\\n'
          """)
  void readsGroupsWithFilepathAndSource(String name, String file, String content) throws Exception {
    Path f = dir.resolve(file);
    Files.writeString(f, content.replace("\\n", "\n"));
    start(NEVER, f.toString());
    List<TargetGroup> g = updates.awaitLast(l -> !l.isEmpty(), WAIT);
    assertEquals(2, g.size());
    assertEquals(f + ":0", g.get(0).source());
    assertEquals(f + ":1", g.get(1).source());
    assertEquals(Labels.of("env", "prod", "__meta_filepath", f.toString()), g.get(0).labels());
    assertEquals(Labels.of("__meta_filepath", f.toString()), g.get(1).labels());
    assertEquals(List.of("a:9100", "b:9100", "c:9100"), addresses(g));
  }

  @Test
  void globMatchesFilesInTheNamePartOnly() throws Exception {
    Files.writeString(dir.resolve("a.json"), "[{\"targets\": [\"a\"]}]");
    Files.writeString(dir.resolve("b.json"), "[{\"targets\": [\"b\"]}]");
    Files.writeString(dir.resolve("c.yml"), "- targets: [c]\n");
    start(NEVER, dir.resolve("*.json").toString());
    List<TargetGroup> g = updates.awaitLast(l -> l.size() == 2, WAIT);
    assertEquals(List.of("a", "b"), addresses(g));
  }

  @Test
  void changedAndNewFilesArePickedUpByTheWatch() throws Exception {
    Path a = dir.resolve("a.json");
    Files.writeString(a, "[{\"targets\": [\"a\"]}]");
    start(NEVER, dir.resolve("*.json").toString());
    updates.awaitLast(l -> addresses(l).equals(List.of("a")), WAIT);
    Files.writeString(a, "[{\"targets\": [\"a2\"]}]");
    updates.awaitLast(l -> addresses(l).equals(List.of("a2")), WAIT);
    Files.writeString(dir.resolve("b.json"), "[{\"targets\": [\"b\"]}]");
    updates.awaitLast(l -> addresses(l).equals(List.of("a2", "b")), WAIT);
  }

  @Test
  void refreshIntervalCatchesChangesTheWatchCannotSee() throws Exception {
    // The watched directory holds a symlink; writing the file it points to, elsewhere, fires no
    // event in the watched directory, so only the periodic refresh can notice.
    Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
    Path real = elsewhere.resolve("real.json");
    Files.writeString(real, "[{\"targets\": [\"old\"]}]");
    Path watched = Files.createDirectory(dir.resolve("watched"));
    Path link = Files.createSymbolicLink(watched.resolve("t.json"), real);
    start(Duration.ofMillis(200), link.toString());
    updates.awaitLast(l -> addresses(l).equals(List.of("old")), WAIT);
    Files.writeString(real, "[{\"targets\": [\"new\"]}]");
    updates.awaitLast(l -> addresses(l).equals(List.of("new")), WAIT);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          invalid json           | t.json | '[{"targets": ['
          target not a string    | t.json | '[{"targets": [42]}]'
          invalid label name     | t.json | '[{"targets": ["x"], "labels": {"": "v"}}]'
          invalid yaml           | t.yml  | '- targets: [x'
          """)
  void badFileKeepsItsLastGoodTargets(String name, String file, String bad) throws Exception {
    Path f = dir.resolve(file);
    Path other = dir.resolve("other.json");
    Files.writeString(
        f, file.endsWith(".json") ? "[{\"targets\": [\"good\"]}]" : "- targets: [good]\n");
    Files.writeString(other, "[{\"targets\": [\"o1\"]}]");
    start(
        Duration.ofMillis(200), dir.resolve("*").toString().replace("*", "t.*"), other.toString());
    updates.awaitLast(
        l ->
            addresses(l).equals(List.of("o1", "good"))
                || addresses(l).equals(List.of("good", "o1")),
        WAIT);
    // Replaced in one step: a scan between a truncation and the write would read an empty file,
    // which is valid and has no targets.
    Path staged = Files.createDirectory(dir.resolve("staging")).resolve(file);
    Files.writeString(staged, bad);
    Files.move(staged, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    // A change of another file proves a scan ran after the bad write.
    Files.writeString(other, "[{\"targets\": [\"o2\"]}]");
    List<TargetGroup> g = updates.awaitLast(l -> addresses(l).contains("o2"), WAIT);
    assertEquals(
        List.of("good", "o2"), addresses(g).stream().sorted().collect(Collectors.toList()));
  }

  @Test
  void deletedFileRemovesItsTargets() throws Exception {
    Path a = dir.resolve("a.json");
    Files.writeString(a, "[{\"targets\": [\"a\"]}]");
    Files.writeString(dir.resolve("b.json"), "[{\"targets\": [\"b\"]}]");
    start(NEVER, dir.resolve("*.json").toString());
    updates.awaitLast(l -> addresses(l).equals(List.of("a", "b")), WAIT);
    Files.delete(a);
    updates.awaitLast(l -> addresses(l).equals(List.of("b")), WAIT);
  }

  @Test
  void missingFilesReportAnEmptyListOnce() throws Exception {
    start(NEVER, dir.resolve("none/*.json").toString());
    assertEquals(List.of(), updates.awaitLast(l -> true, WAIT));
  }
}
