package dev.quarry.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects the warnings Vert.x's blocked-thread checker logs in this JVM ("... has been blocked for
 * ...") from {@link #watch()} until {@link #close()}. The list is safe to read from any thread.
 */
public final class BlockedThreadReports implements AutoCloseable {
  private static final Logger CHECKER = Logger.getLogger("io.vertx.core.impl.BlockedThreadChecker");

  private final List<String> reports = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          String m = r.getMessage() == null ? "" : r.getMessage();
          if (m.contains("has been blocked for")) {
            reports.add(m);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private BlockedThreadReports() {}

  /** Starts collecting. */
  public static BlockedThreadReports watch() {
    BlockedThreadReports r = new BlockedThreadReports();
    CHECKER.addHandler(r.capture);
    return r;
  }

  /** The warnings so far, oldest first. */
  public List<String> reports() {
    return List.copyOf(reports);
  }

  /** Stops collecting; the warnings so far stay readable. */
  @Override
  public void close() {
    CHECKER.removeHandler(capture);
  }
}
