package dev.quarry.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quarry.model.Labels;
import dev.quarry.storage.Appender;
import dev.quarry.storage.MemoryStorage;
import dev.quarry.storage.SampleRejectedException;
import org.junit.jupiter.api.Test;

/** The per-scrape limits as appender decorators. */
class LimitAppendersTest {
  private static final Labels A = Labels.of("__name__", "a");

  private final MemoryStorage storage = new MemoryStorage();

  @Test
  void timeLimitRefusesSamplesLaterThanItsMaximumAsTooFarInTheFuture() {
    Appender app = LimitAppenders.timeLimit(storage.appender(), 1_000);
    app.append(0, A, 1_000, 1);
    SampleRejectedException e =
        assertThrows(SampleRejectedException.class, () -> app.append(0, A, 1_001, 2));
    assertEquals(SampleRejectedException.Reason.TOO_FAR_IN_FUTURE, e.reason());
    app.commit();
    assertEquals(1, storage.samples(A).size(), "the batch stays usable");
  }

  @Test
  void sampleLimitFailsEveryAppendPastTheLimit() {
    Appender app = LimitAppenders.sampleLimit(storage.appender(), 2);
    app.append(0, A, 1, 1);
    app.append(0, A, 2, 1);
    assertThrows(LimitAppenders.LimitExceeded.class, () -> app.append(0, A, 3, 1));
    assertThrows(LimitAppenders.LimitExceeded.class, () -> app.append(0, A, 4, 1));
  }

  @Test
  void noSampleLimitIsTheAppenderItself() {
    Appender app = storage.appender();
    assertSame(app, LimitAppenders.sampleLimit(app, 0));
  }
}
