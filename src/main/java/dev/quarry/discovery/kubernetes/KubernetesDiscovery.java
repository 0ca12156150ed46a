package dev.quarry.discovery.kubernetes;

import dev.quarry.config.KubernetesSdConfig;
import dev.quarry.discovery.DiscoveryProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Entry point of {@code kubernetes_sd_configs}: creates one provider per config entry, all of them
 * sharing clients and informers (see {@link SharedInformers}), so N jobs watching the pods of one
 * cluster cost one list+watch. Holds nothing once every provider has stopped.
 *
 * <p>Thread-safe.
 */
public final class KubernetesDiscovery {
  /** How long a provider's first report waits for its informers to sync. */
  public static final Duration START_DEADLINE = Duration.ofSeconds(15);

  private final Vertx vertx;
  private final SharedInformers informers;
  private final KubernetesMetrics metrics;
  private final Path serviceAccount;
  private final Duration startDeadline;

  /**
   * @param userAgent sent to the API server
   * @param registry for the {@code quarry_sd_kubernetes_*} counters, or null
   */
  public KubernetesDiscovery(Vertx vertx, String userAgent, MeterRegistry registry) {
    this(
        vertx,
        userAgent,
        new KubernetesMetrics(registry),
        ClusterConnection.SERVICE_ACCOUNT,
        START_DEADLINE);
  }

  KubernetesDiscovery(
      Vertx vertx,
      String userAgent,
      KubernetesMetrics metrics,
      Path serviceAccount,
      Duration startDeadline) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.serviceAccount = serviceAccount;
    this.startDeadline = startDeadline;
    this.informers = new SharedInformers(vertx, userAgent, serviceAccount, metrics);
  }

  /** A provider for one entry of job {@code job}; it starts watching on {@code start}. */
  public DiscoveryProvider provider(String job, KubernetesSdConfig config) {
    return new KubernetesSdProvider(vertx, job, config, informers, serviceAccount, startDeadline);
  }

  SharedInformers informers() {
    return informers;
  }

  KubernetesMetrics metrics() {
    return metrics;
  }
}
