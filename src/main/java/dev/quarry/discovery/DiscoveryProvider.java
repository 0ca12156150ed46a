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
 * <p>{@code start} is called on a Vert.x context; every report is delivered on that same context.
 * After {@link #stop}'s future completes, no more reports are made.
 */
public interface DiscoveryProvider {
  void start(Consumer<List<TargetGroup>> updates);

  Future<Void> stop();
}
