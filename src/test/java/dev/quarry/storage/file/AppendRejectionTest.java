package dev.quarry.storage.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quarry.model.Labels;
import dev.quarry.storage.Appender;
import dev.quarry.storage.Matcher;
import dev.quarry.storage.SampleRejectedException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Out-of-order and duplicate samples are refused as Prometheus' head refuses them. */
class AppendRejectionTest {
  private static final Labels L = Labels.of("__name__", "temp_celsius", "room", "lab");

  @TempDir Path dir;

  /**
   * A committed sample at t=1000 with value 5, then one more sample, in a later batch or in the
   * same batch as a first sample at t=2000 value 7.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "later timestamp,                          false, 1001, 6,   OK,               1000:5 1001:6",
    "older timestamp,                          false, 999,  6,   OUT_OF_ORDER,     1000:5",
    "same timestamp other value,               false, 1000, 6,   DUPLICATE,        1000:5",
    "same timestamp same value accepted,       false, 1000, 5,   OK,               1000:5",
    "same timestamp NaN vs stored value,       false, 1000, NaN, DUPLICATE,        1000:5",
    "same batch older than pending sample,     true,  1500, 6,   OUT_OF_ORDER,     1000:5 2000:7",
    "same batch same timestamp as pending,     true,  2000, 7,   OK,               1000:5 2000:7",
    "same batch after pending sample,          true,  2500, 8,   OK,               1000:5 2000:7 "
        + "2500:8",
  })
  void secondSample(String name, boolean sameBatch, long t, double v, String outcome, String stored)
      throws Exception {
    try (FileStorage fs = FileStorage.open(dir, FileStorageSettings.DEFAULTS)) {
      Appender a = fs.appender();
      long ref = a.append(0, L, 1000, 5);
      a.commit();
      a = fs.appender();
      if (sameBatch) {
        a.append(ref, L, 2000, 7);
      }
      Appender batch = a;
      if (outcome.equals("OK")) {
        assertEquals(ref, batch.append(ref, L, t, v));
      } else {
        SampleRejectedException e =
            assertThrows(SampleRejectedException.class, () -> batch.append(ref, L, t, v));
        assertEquals(SampleRejectedException.Reason.valueOf(outcome), e.reason());
      }
      a.commit(); // the batch stays usable after a rejection
      assertEquals(stored, render(fs));
    }
    try (FileStorage fs = FileStorage.open(dir, FileStorageSettings.DEFAULTS)) {
      assertEquals(stored, render(fs), "the same after replay");
    }
  }

  private static String render(FileStorage fs) {
    StringBuilder sb = new StringBuilder();
    for (Sample s :
        fs.querier()
            .select(List.of(Matcher.eq("room", "lab")), 0, Long.MAX_VALUE)
            .get(0)
            .samples()) {
      sb.append(sb.length() == 0 ? "" : " ")
          .append(s.timestampMillis())
          .append(':')
          .append(s.value() == Math.rint(s.value()) ? String.valueOf((long) s.value()) : s.value());
    }
    return sb.toString();
  }
}
