package dev.quarry.storage.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.storage.Matcher;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a real JVM in the middle of committing: every scrape it reported as committed is
 * readable after reopening, and the store opens.
 */
class CrashRecoveryTest {
  @TempDir Path dir;

  @Test
  void everyReportedCommitSurvivesKill9() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                CrashWriter.class.getName(),
                dir.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    long lastReported = 0;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        lastReported = Long.parseLong(line.trim());
        if (lastReported >= 300) {
          break;
        }
      }
      p.destroyForcibly();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    }
    assertTrue(lastReported >= 300, "child reported " + lastReported + " commits");

    try (FileStorage fs = FileStorage.open(dir, FileStorageSettings.DEFAULTS)) {
      List<SeriesData> all =
          fs.querier().select(List.of(Matcher.eq("__name__", "crash_test")), 0, Long.MAX_VALUE);
      assertEquals(CrashWriter.SERIES, all.size());
      for (SeriesData s : all) {
        int i = Integer.parseInt(s.labels().get("series"));
        assertTrue(s.samples().size() >= lastReported, s.labels() + ": " + s.samples().size());
        for (int k = 0; k < s.samples().size(); k++) {
          Sample sample = s.samples().get(k);
          assertEquals(k + 1, sample.timestampMillis());
          assertEquals((k + 1) * 10.0 + i, sample.value());
        }
      }
    }
  }
}
