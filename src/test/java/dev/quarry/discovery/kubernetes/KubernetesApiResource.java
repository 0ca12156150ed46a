package dev.quarry.discovery.kubernetes;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts a mock API server holding {@link Cluster} for a {@code @QuarkusTest} and points a {@code
 * prometheus.yml} with a pod job (keeping pods annotated {@code prometheus.io/scrape}) and an
 * endpoints job at it.
 */
public class KubernetesApiResource implements QuarkusTestResourceLifecycleManager {
  static MockApiServer api;

  @Override
  public Map<String, String> start() {
    try {
      api = new MockApiServer();
      Cluster.create(api.client());
      Path dir = Files.createTempDirectory("quarry-k8s-sd");
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(
          config,
          """
          global:
            scrape_interval: 1h
          scrape_configs:
            - job_name: k8s-pods
              kubernetes_sd_configs:
                - role: pod
                  api_server: %1$s
                  namespaces: {names: [ns1]}
              relabel_configs:
                - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape]
                  action: keep
                  regex: "true"
            - job_name: k8s-endpoints
              kubernetes_sd_configs:
                - role: endpoints
                  api_server: %1$s
          """
              .formatted(api.url()));
      return Map.of("quarry.config-file", config.toString(), "quarry.reload-interval", "1h");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void stop() {
    if (api != null) {
      api.close();
    }
  }
}
