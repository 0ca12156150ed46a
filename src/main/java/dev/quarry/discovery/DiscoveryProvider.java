package dev.quarry.discovery;

import io.vertx.core.Future;
import java.util.List;
import java.util.function.Consumer;

/**
 * One running discovery mechanism. After {@link #start} it reports the COMPLETE list of its target
 * groups each time it changes (a full replacement, never a delta), at least once: a provider whose
 * first attempt fails reports an empty list, so nobody waits for it forever; later failures keep
 * the last good groups and report nothing.
 *
 * <p>Every network or disk wait of a refresh has a total deadline (not only an idle timeout), so a
 * refresh always ends. The manager does not rely on it alone: a provider that has not reported
 * within the manager's first-report bound counts as having found nothing until it reports.
 *
 * <p>{@code start} is called on a Vert.x context; every report is delivered on that same context,
 * and must not block it. After {@link #stop} is called no more reports are made (the manager also
 * ignores late ones); the future completes when the provider has released its resources, and should
 * do so promptly: a stop cancels in-flight work rather than waiting for it.
 */
public interface DiscoveryProvider {
  void start(Consumer<List<TargetGroup>> updates);

  /**
   * Starts the provider with a listener for failed refreshes: {@code failures} receives, on the
   * same context as the updates, one message per failed refresh naming the provider (job,
   * mechanism, URL or file) and the reason. The manager counts them per job and mechanism.
   * Providers that do not override this only report groups; their failures are not counted.
   */
  default void start(Consumer<List<TargetGroup>> updates, Consumer<String> failures) {
    start(updates);
  }

  Future<Void> stop();
}
