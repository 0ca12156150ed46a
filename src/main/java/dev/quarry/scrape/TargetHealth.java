package dev.quarry.scrape;

import java.time.Instant;
import java.util.List;

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
  private volatile List<String> warnings = List.of();

  public Snapshot snapshot() {
    return snapshot;
  }

  /**
   * The first warnings of the last scrape (rules of the format's specification that the page broke
   * and Prometheus accepts), each naming its line and byte; empty when none.
   */
  public List<String> warnings() {
    return warnings;
  }

  /** Replaces the warnings with those of the scrape just appended (an immutable list). */
  public void warnings(List<String> kept) {
    warnings = kept;
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
