package dev.quarry.textparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.model.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The captured payloads in the shared fixtures parse with the documented sample counts. */
class FixturesTest {
  private static final Path DIR =
      Path.of(System.getProperty("fixtures.dir", "src/test/resources/fixtures"));

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "node_exporter_1.5.0.prom, 507",
    "prometheus_2.42_agent.prom, 211",
    "vmagent_1.79.5.prom, 624",
    "farm_payload.prom, 1348",
  })
  void parsesWithDocumentedSampleCount(String file, int samples)
      throws IOException, ParseException {
    byte[] body = Files.readAllBytes(DIR.resolve(file));
    PromTextParser p = new PromTextParser(body);
    Labels.Builder b = Labels.builder();
    int series = 0;
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e == Entry.SERIES) {
        series++;
        p.labels(b);
        assertTrue(b.get(Labels.METRIC_NAME).length() > 0);
      }
    }
    assertEquals(samples, series);
  }
}
