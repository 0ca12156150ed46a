package dev.quarry.scrape;

import java.time.Instant;

/**
 * The outcome of a target's last scrape, as the targets API shows it. Written by the target's
 * scrape loop, read by API threads: each report replaces one immutable snapshot.
 */
public final class TargetHealth {
  /** Health of a target as Prometheus names it. */
  public enum State {
    UNKNOWN("unknown"),
    UP("up"),
    DOWN("down");

    private final String text;

    State(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  /** One immutable report: state, last error ("" when none), start time and duration. */
  public record Snapshot(
      State state, String lastError, Instant lastScrape, double durationSeconds) {}

  private static final Snapshot INITIAL = new Snapshot(State.UNKNOWN, "", null, 0);

  private volatile Snapshot snapshot = INITIAL;

  public Snapshot snapshot() {
    return snapshot;
  }

  public void report(Instant start, double durationSeconds, String error) {
    snapshot =
        new Snapshot(
            error == null ? State.UP : State.DOWN,
            error == null ? "" : error,
            start,
            durationSeconds);
  }
}
