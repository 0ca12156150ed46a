package dev.quarry.storage.file;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether the store can append right now: the WAL write or sync of the latest commit failed ({@link
 * #failure()} says since when and why) or succeeded ({@code null}). A full disk thus shows in
 * readiness although the data directory's permissions are fine, and clears by itself with the first
 * commit that is written again.
 *
 * <p>Thread-safe: committing threads report, probes read; the state is one immutable value.
 */
public final class WriteHealth {
  /**
   * Appends fail: the first failure of this run of failures, the latest one and its reason.
   *
   * @param since when the first failed write of the current run happened
   * @param last when the latest failed write happened
   * @param reason the latest error, naming the WAL file
   */
  public record Failure(Instant since, Instant last, String reason) {
    /** For probes: {@code appends failing since <since>: <reason>}. */
    public String describe() {
      return "appends failing since " + since + ": " + reason;
    }
  }

  private final InstantSource clock;
  private final AtomicReference<Failure> state = new AtomicReference<>();

  WriteHealth(InstantSource clock) {
    this.clock = clock;
  }

  void failed(String reason) {
    Instant now = clock.instant();
    state.updateAndGet(f -> new Failure(f == null ? now : f.since(), now, reason));
  }

  void succeeded() {
    if (state.get() != null) {
      state.set(null);
    }
  }

  /** The current run of failures, or null when the latest write succeeded. */
  public Failure failure() {
    return state.get();
  }
}
