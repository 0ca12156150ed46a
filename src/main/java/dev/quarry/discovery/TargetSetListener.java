package dev.quarry.discovery;

import java.util.List;
import java.util.Map;

/**
 * Receives the target sets discovery found: per job, all of its groups. Discovery is handed one
 * (the scrape manager in the application, a recorder in tests) and knows nothing else of its
 * consumer. Called from discovery's own threads; an implementation hands the update off and returns
 * without blocking.
 */
@FunctionalInterface
public interface TargetSetListener {
  void update(Map<String, List<TargetGroup>> targetSets);
}
