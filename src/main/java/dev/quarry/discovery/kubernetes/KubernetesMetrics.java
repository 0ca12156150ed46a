package dev.quarry.discovery.kubernetes;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Self-metrics of Kubernetes discovery: {@code quarry_sd_kubernetes_failures_total} (failed list or
 * watch requests, each retried) and {@code quarry_sd_kubernetes_events_total{role,event}} (objects
 * added, updated and deleted as the watches report them, once per shared informer). Without a
 * registry (unit tests) the counts are only kept in memory. Thread-safe.
 */
public final class KubernetesMetrics {
  private final MeterRegistry registry;
  private final Counter failures;
  private final Map<String, Counter> events = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong failureCount =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * @param registry where to register the counters, or null for none
   */
  public KubernetesMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.failures =
        registry == null
            ? null
            : Counter.builder("quarry.sd.kubernetes.failures")
                .description("Failed list or watch requests to Kubernetes API servers.")
                .register(registry);
  }

  void failure() {
    failureCount.incrementAndGet();
    if (failures != null) {
      failures.increment();
    }
  }

  long failures() {
    return failureCount.get();
  }

  void event(String role, String event) {
    if (registry == null) {
      return;
    }
    events
        .computeIfAbsent(
            role + "/" + event,
            k ->
                Counter.builder("quarry.sd.kubernetes.events")
                    .description("Kubernetes objects added, updated or deleted, per resource.")
                    .tag("role", role)
                    .tag("event", event)
                    .register(registry))
        .increment();
  }
}
