package dev.quarry.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.quarry.config.ConfigLoader;
import dev.quarry.config.KubernetesSdConfig;
import dev.quarry.config.QuarrySettings;
import dev.quarry.discovery.kubernetes.KubernetesResource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.smallrye.config.WithName;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The manifests in {@code k8s/} parse as Kubernetes objects and agree with the application: probes
 * on its real endpoints and port, env vars that are real settings, a config that loads, and a
 * restricted security context.
 */
class KubernetesManifestsTest {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private static <T> T read(String file, Class<T> type) throws Exception {
    return YAML.readValue(Path.of("k8s", file).toFile(), type);
  }

  @SuppressWarnings("unchecked")
  private static int appPort() throws Exception {
    Map<String, Object> app =
        new Yaml().load(Files.readString(Path.of("src/main/resources/application.yaml")));
    return (Integer)
        ((Map<String, Object>) ((Map<String, Object>) app.get("quarkus")).get("http")).get("port");
  }

  /** Every {@code quarry.*} property (QuarrySettings, WebSettings), as its environment variable. */
  private static Set<String> settingEnvVars() {
    Set<String> out = new HashSet<>();
    collect(QuarrySettings.class, "quarry", out);
    collect(dev.quarry.web.WebSettings.class, "quarry.web", out);
    return out;
  }

  private static void collect(Class<?> type, String prefix, Set<String> out) {
    for (Method m : type.getDeclaredMethods()) {
      WithName n = m.getAnnotation(WithName.class);
      String name =
          prefix
              + "."
              + (n != null
                  ? n.value()
                  : m.getName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase());
      if (m.getReturnType().isInterface() && m.getReturnType().getName().startsWith("dev.quarry")) {
        collect(m.getReturnType(), name, out);
      } else {
        out.add(name.toUpperCase().replaceAll("[^A-Z0-9]", "_"));
      }
    }
  }

  @Test
  void statefulSetProbesEnvAndSecurityMatchTheApp() throws Exception {
    StatefulSet sts = read("statefulset.yaml", StatefulSet.class);
    Container c = sts.getSpec().getTemplate().getSpec().getContainers().get(0);
    int port = appPort();
    assertEquals(port, c.getPorts().get(0).getContainerPort());
    Map<String, Probe> probes =
        Map.of(
            "liveness",
            c.getLivenessProbe(),
            "readiness",
            c.getReadinessProbe(),
            "startup",
            c.getStartupProbe());
    Set<String> endpoints = Set.of("/-/healthy", "/-/ready");
    probes.forEach(
        (kind, p) -> {
          assertNotNull(p, kind + " probe");
          assertTrue(
              endpoints.contains(p.getHttpGet().getPath()),
              kind + " probe path " + p.getHttpGet().getPath());
          assertEquals(port, p.getHttpGet().getPort().getIntVal(), kind + " probe port");
        });
    assertEquals("/-/ready", c.getReadinessProbe().getHttpGet().getPath());

    Set<String> settings = settingEnvVars();
    for (EnvVar e : c.getEnv()) {
      if (e.getName().startsWith("QUARRY_")) {
        assertTrue(
            settings.contains(e.getName()),
            e.getName() + " is not a quarry.* setting: " + settings);
      }
    }
    assertTrue(settings.contains("QUARRY_SHARD_COUNT") && settings.contains("QUARRY_DATA_DIR"));

    var pod = sts.getSpec().getTemplate().getSpec().getSecurityContext();
    assertTrue(pod.getRunAsNonRoot());
    assertEquals("RuntimeDefault", pod.getSeccompProfile().getType());
    var sc = c.getSecurityContext();
    assertTrue(sc.getReadOnlyRootFilesystem());
    assertFalse(sc.getAllowPrivilegeEscalation());
    assertEquals(List.of("ALL"), sc.getCapabilities().getDrop());
    assertNotNull(c.getResources().getRequests().get("memory"));

    String dataDir =
        c.getEnv().stream()
            .filter(e -> e.getName().equals("QUARRY_DATA_DIR"))
            .findFirst()
            .orElseThrow()
            .getValue();
    assertTrue(
        c.getVolumeMounts().stream()
            .anyMatch(m -> m.getMountPath().equals(dataDir) && m.getName().equals("data")));
    assertEquals("data", sts.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName());
  }

  @Test
  void configMapHoldsAConfigQuarryLoads() throws Exception {
    ConfigMap cm = read("configmap.yaml", ConfigMap.class);
    Path dir = Files.createTempDirectory("quarry-k8s");
    Path file = dir.resolve("prometheus.yml");
    Files.writeString(
        file, cm.getData().get("prometheus.yml").replace("/etc/quarry/targets", dir.toString()));
    assertEquals("quarry", ConfigLoader.load(file).scrapeConfigs().get(0).jobName());
    StatefulSet sts = read("statefulset.yaml", StatefulSet.class);
    assertEquals(
        cm.getMetadata().getName(),
        sts.getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(v -> v.getConfigMap() != null)
            .findFirst()
            .orElseThrow()
            .getConfigMap()
            .getName());
  }

  /** The documents of {@code rbac.yaml}, by kind. */
  private static Map<String, Object> rbac() throws Exception {
    Map<String, Object> out = new java.util.HashMap<>();
    try (var docs = YAML.readerFor(Map.class).readValues(Path.of("k8s", "rbac.yaml").toFile())) {
      while (docs.hasNext()) {
        Map<?, ?> doc = (Map<?, ?>) docs.next();
        Class<?> type =
            switch ((String) doc.get("kind")) {
              case "ServiceAccount" -> ServiceAccount.class;
              case "ClusterRole" -> ClusterRole.class;
              case "ClusterRoleBinding" -> ClusterRoleBinding.class;
              default -> throw new AssertionError("unexpected kind " + doc.get("kind"));
            };
        out.put((String) doc.get("kind"), YAML.convertValue(doc, type));
      }
    }
    return out;
  }

  @Test
  void clusterRoleGrantsEveryResourceKubernetesDiscoveryWatches() throws Exception {
    Map<String, Object> rbac = rbac();
    ClusterRole role = (ClusterRole) rbac.get("ClusterRole");
    for (KubernetesResource r : KubernetesResource.values()) {
      boolean granted =
          role.getRules().stream()
              .anyMatch(
                  rule ->
                      rule.getApiGroups() != null
                          && rule.getApiGroups().contains(r.apiGroup)
                          && rule.getResources().contains(r.resource)
                          && rule.getVerbs().containsAll(List.of("get", "list", "watch")));
      assertTrue(granted, "get, list, watch on " + r.apiGroup + "/" + r.resource);
    }
    assertTrue(
        role.getRules().stream()
            .anyMatch(
                rule ->
                    rule.getResources() != null
                        && rule.getResources().contains("nodes/metrics")
                        && rule.getVerbs().contains("get")),
        "the kubelet jobs read nodes/metrics");

    ServiceAccount sa = (ServiceAccount) rbac.get("ServiceAccount");
    ClusterRoleBinding binding = (ClusterRoleBinding) rbac.get("ClusterRoleBinding");
    assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
    assertEquals("ClusterRole", binding.getRoleRef().getKind());
    assertTrue(
        binding.getSubjects().stream()
            .anyMatch(
                s ->
                    s.getKind().equals("ServiceAccount")
                        && s.getName().equals(sa.getMetadata().getName())));

    var pod = read("statefulset.yaml", StatefulSet.class).getSpec().getTemplate().getSpec();
    assertEquals(sa.getMetadata().getName(), pod.getServiceAccountName());
    assertFalse(
        Boolean.FALSE.equals(pod.getAutomountServiceAccountToken()),
        "the service-account token must be mounted");
  }

  @Test
  void configMapKubernetesJobsUseTheInClusterServiceAccount() throws Exception {
    ConfigMap cm = read("configmap.yaml", ConfigMap.class);
    Path dir = Files.createTempDirectory("quarry-k8s");
    Path file = dir.resolve("prometheus.yml");
    Files.writeString(file, cm.getData().get("prometheus.yml"));
    var jobs = ConfigLoader.load(file).scrapeConfigs();
    Set<String> roles = new HashSet<>();
    for (var job : jobs) {
      for (var sd : job.serviceDiscoveryConfigs()) {
        if (sd instanceof KubernetesSdConfig k) {
          roles.add(k.role());
          assertNull(k.apiServer(), job.jobName() + " uses the in-cluster API server");
        }
      }
    }
    assertEquals(Set.of("pod", "endpoints", "node"), roles);
  }

  @Test
  void serviceSelectsThePods() throws Exception {
    Service svc = read("service.yaml", Service.class);
    StatefulSet sts = read("statefulset.yaml", StatefulSet.class);
    assertEquals(sts.getSpec().getSelector().getMatchLabels(), svc.getSpec().getSelector());
    assertEquals(appPort(), svc.getSpec().getPorts().get(0).getPort());
  }
}
